// loadFile on the whole-file formats (txt, md, html, pdf, docx), one
// data-driven test per format with exact expected text, title and metadata.
// Every fixture is generated here: PDFs drawn with QPdfWriter and read back by
// poppler, .docx archives assembled with libzip, text in every encoding.
#include "core/ingest/fileloader.h"
#include "ingestfixtures.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rag;
using namespace ingesttest;

namespace {

QString u8(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

QJsonObject metadataOf(const SourceDocument &doc)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(doc.metadataJson)).object();
}

QString docText(const SourceDocument &doc)
{
    return QString::fromStdString(doc.text);
}

// A paragraph with optional style id, made of runs of plain text.
QString para(const QString &text, const QString &style = {})
{
    const QString pPr = style.isEmpty() ? QString() : QStringLiteral("<w:pPr><w:pStyle w:val=\"%1\"/></w:pPr>").arg(style);
    return QStringLiteral("<w:p>%1<w:r><w:t xml:space=\"preserve\">%2</w:t></w:r></w:p>").arg(pPr, text);
}

const QString kStyles = QStringLiteral(
    "<w:style w:type=\"paragraph\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
    "<w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr></w:style>"
    // A localised built-in (German Word names its id after the translation).
    "<w:style w:type=\"paragraph\" w:styleId=\"berschrift2\"><w:name w:val=\"heading 2\"/></w:style>"
    // A custom style that inherits heading 1.
    "<w:style w:type=\"paragraph\" w:styleId=\"ChapterHead\"><w:name w:val=\"Chapter Head\"/>"
    "<w:basedOn w:val=\"Heading1\"/></w:style>"
    "<w:style w:type=\"character\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/></w:style>");

QString fullBody()
{
    return para(QStringLiteral("Document Title"), QStringLiteral("Title"))
        + para(QStringLiteral("Introduction"), QStringLiteral("Heading1"))
        + QStringLiteral("<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
                         "<w:r><w:t xml:space=\"preserve\">Hello </w:t></w:r><w:r><w:t>world</w:t></w:r>"
                         "<w:r><w:tab/><w:t>tabbed</w:t><w:br/><w:t>R&amp;D line</w:t></w:r></w:p>")
        + QStringLiteral("<w:p><w:r><w:t>Kept text</w:t></w:r><w:del w:id=\"1\"><w:r><w:delText>removed</w:delText>"
                         "</w:r></w:del><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE"
                         "</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>")
        + para(QStringLiteral("Details"), QStringLiteral("berschrift2"))
        + para(QStringLiteral("Chapter Two"), QStringLiteral("ChapterHead"))
        + QStringLiteral("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc>"
                         "<w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p></w:tc></w:tr>"
                         "<w:tr><w:tc><w:p><w:r><w:t>A2</w:t></w:r></w:p></w:tc>"
                         "<w:tc><w:p><w:r><w:t>B2 line1</w:t></w:r></w:p><w:p><w:r><w:t>B2 para2</w:t></w:r></w:p>"
                         "</w:tc></w:tr></w:tbl>")
        + QStringLiteral("<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>"
                         "<w:txbxContent><w:p><w:r><w:t>Box text</w:t></w:r></w:p></w:txbxContent></wps:txbx>"
                         "</w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Box text"
                         "</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>")
        + QStringLiteral("<w:p/><w:p></w:p>") + para(QStringLiteral("End."));
}

const char *const kFullText =
    "Document Title\n# Introduction\nHello world\ttabbed\nR&D line\nKept text\n## Details\n# Chapter Two\n"
    "A1\tB1\nA2\tB2 line1 B2 para2\nBox text\n\nEnd.";

} // namespace

class TestLoaders : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void txt_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("encoding");
        const QString sample = u8("caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xf0\x9f\x98\x80");
        QTest::newRow("utf-8 crlf") << "plain.txt" << QByteArray("Hello\r\nWorld\r\n") << "Hello\nWorld\n" << "utf-8";
        QTest::newRow("utf-8 bom") << "bom.txt" << QByteArray("\xef\xbb\xbf") + sample.toUtf8() << sample << "utf-8";
        QTest::newRow("utf-16le bom") << "le.txt" << encodeUtf16(sample + u8("\r\n"), false, true) << sample + u8("\n")
                                      << "utf-16le";
        QTest::newRow("utf-16be bom") << "be.txt" << encodeUtf16(sample, true, true) << sample << "utf-16be";
        QTest::newRow("utf-32le bom") << "le32.txt" << encodeUtf32(sample, false, true) << sample << "utf-32le";
        QTest::newRow("utf-32be bom") << "be32.txt" << encodeUtf32(sample, true, true) << sample << "utf-32be";
        QTest::newRow("utf-16le no bom") << "nobom.txt" << encodeUtf16(QStringLiteral("No mark here.\n"), false, false)
                                         << "No mark here.\n" << "utf-16le";
        QTest::newRow("windows-1252") << "legacy.txt" << QByteArray("caf\xe9 \x93quoted\x94 \x80" "5")
                                      << u8("caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x82\xac" "5") << "windows-1252";
        QTest::newRow("nfd to nfc") << "nfd.txt" << QByteArray("Cafe\xcc\x81 na\xc3\xafve") << u8("Caf\xc3\xa9 na\xc3\xafve")
                                    << "utf-8";
        QTest::newRow("stray control dropped") << "bell.txt" << QByteArray("An ordinary sentence with a bell\x07 in it.")
                                               << "An ordinary sentence with a bell in it." << "utf-8";
        QTest::newRow("upper-case extension") << "SHOUT.TXT" << QByteArray("loud") << "loud" << "utf-8";
        QTest::newRow(".text extension") << "notes.text" << QByteArray("  leading and trailing kept  ")
                                         << "  leading and trailing kept  " << "utf-8";
    }

    void txt()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, raw);
        QFETCH(QString, expected);
        QFETCH(QString, encoding);
        const QString path = m_dir.filePath(QStringLiteral("txt/") + name);
        QVERIFY(writeFile(path, raw));
        auto loaded = loadFile(path.toStdString());
        QVERIFY2(loaded, loaded ? "" : loaded.error().message().c_str());
        QCOMPARE(loaded->path, path.toStdString());
        QCOMPARE(loaded->format, std::string("txt"));
        QCOMPARE(loaded->byteSize, std::int64_t(raw.size()));
        QCOMPARE(QByteArray::fromStdString(loaded->fileHash),
                 QCryptographicHash::hash(raw, QCryptographicHash::Sha256).toHex());
        QCOMPARE(loaded->documents.size(), std::size_t(1));
        QVERIFY(loaded->recordErrors.empty());
        const SourceDocument &doc = loaded->documents.front();
        QCOMPARE(doc.externalId, std::string());
        QCOMPARE(doc.title, std::string());
        QCOMPARE(docText(doc), expected);
        QCOMPARE(metadataOf(doc).value(QStringLiteral("encoding")).toString(), encoding);
    }

    void markdown_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("title");
        QTest::newRow("front matter") << QByteArray("---\ntitle: \"Front Title\"\nauthor: x\n---\n# Heading\nBody\n")
                                      << "Front Title";
        QTest::newRow("atx h1 with closing hashes") << QByteArray("Intro line\n\n# Main   Title #\n\n## Sub\ntext\n")
                                                    << "Main Title";
        QTest::newRow("h1 after h2") << QByteArray("## First Sub\n\n# The Title\n") << "The Title";
        QTest::newRow("setext") << QByteArray("Setext Title\n============\n\nSome text.\n") << "Setext Title";
        QTest::newRow("fenced heading ignored") << QByteArray("```\n# not a title\n```\n\n## Real Sub\n") << "Real Sub";
        QTest::newRow("indented code is not a heading") << QByteArray("    # code\n\nplain\n") << "";
        QTest::newRow("hashtag is not a heading") << QByteArray("#hashtag and more\n") << "";
    }

    void markdown()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, title);
        const QString path = m_dir.filePath(QStringLiteral("md/%1.md").arg(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')));
        QVERIFY(writeFile(path, content));
        auto loaded = loadFile(path.toStdString());
        QVERIFY2(loaded, loaded ? "" : loaded.error().message().c_str());
        QCOMPARE(loaded->format, std::string("md"));
        QCOMPARE(loaded->documents.size(), std::size_t(1));
        // Markdown stays Markdown: the text is the file, byte for byte.
        QCOMPARE(QByteArray::fromStdString(loaded->documents.front().text), content);
        QCOMPARE(QString::fromStdString(loaded->documents.front().title), title);
    }

    void html_data()
    {
        QTest::addColumn<QByteArray>("html");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("encoding");
        QTest::addColumn<QString>("lang");

        QTest::newRow("document")
            << QByteArray("<!DOCTYPE html><html lang=\"en\"><head><title>The &amp; Title</title>"
                          "<meta charset=\"utf-8\"><style>p { color: red }</style>"
                          "<script>var x = \"<p>not text</p>\";</script></head><body>"
                          "<h1>Main   heading</h1><p>First  paragraph\n   with <b>bold</b> and <a href=\"x>y\">link</a>.</p>"
                          "<p>Second&nbsp;one &copy 2024 &#8212; &#x263A; &unknown; &#150; &lt;tag&gt;</p></body></html>")
            << "The & Title"
            << u8("# Main heading\n\nFirst paragraph with bold and link.\n\n"
                  "Second\xc2\xa0one \xc2\xa9 2024 \xe2\x80\x94 \xe2\x98\xba &unknown; \xe2\x80\x93 <tag>")
            << "utf-8" << "en";
        QTest::newRow("title from first h1")
            << QByteArray("<body><h2>Before</h2><h1>Fallback <i>Heading</i></h1><p>x</p></body>")
            << "Fallback Heading" << "## Before\n\n# Fallback Heading\n\nx" << "utf-8" << "";
        QTest::newRow("lists, div and br")
            << QByteArray("<ul><li>one</li><li>two</li></ul><div>a<br>b</div>") << "" << "one\ntwo\n\na\nb" << "utf-8" << "";
        QTest::newRow("table")
            << QByteArray("<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td> 31 </td></tr></table><p>after</p>")
            << "" << "Name\tAge\nAnn\t31\n\nafter" << "utf-8" << "";
        QTest::newRow("pre keeps white space")
            << QByteArray("<p>Code:</p><pre>\n  int x;\n    return  x;\n</pre><p>done</p>")
            << "" << "Code:\n\n  int x;\n    return  x;\n\ndone" << "utf-8" << "";
        QTest::newRow("hidden content")
            << QByteArray("<p>Visible<!-- hidden <p>comment</p> --> text</p><noscript>Enable JS</noscript>"
                          "<template><p>tpl</p></template><svg><title>icon</title><text>svg</text></svg>"
                          "<textarea>draft</textarea><p>end</p>")
            << "" << "Visible text\n\nend" << "utf-8" << "";
        QTest::newRow("head dropped")
            << QByteArray("<html><head><title>T</title>\n<link rel=\"x\">\n<meta name=\"a\" content=\"b\"></head>\n"
                          "<body>\n<p>Body text</p>\n</body></html>")
            << "T" << "Body text" << "utf-8" << "";
        QTest::newRow("meta charset windows-1252")
            << QByteArray("<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head>"
                          "<body><p>\x93quoted\x94 \x96 na\xefve</p></body></html>")
            << u8("Caf\xc3\xa9") << u8("\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x93 na\xc3\xafve") << "windows-1252" << "";
        QTest::newRow("headings and empty heading")
            << QByteArray("<h2>Sub &amp; more</h2><p>a</p><h3> </h3><p>b</p>") << "" << "## Sub & more\n\na\n\nb" << "utf-8" << "";
        QTest::newRow("literal less-than")
            << QByteArray("<p>a < b, 5 <= 6</p>") << "" << "a < b, 5 <= 6" << "utf-8" << "";
        QTest::newRow("utf-16 html")
            << encodeUtf16(QStringLiteral("<html><title>Wide</title><p>w\u00e9de</p></html>"), false, true)
            << "Wide" << u8("w\xc3\xa9" "de") << "utf-16le" << "";
    }

    void html()
    {
        QFETCH(QByteArray, html);
        QFETCH(QString, title);
        QFETCH(QString, text);
        QFETCH(QString, encoding);
        QFETCH(QString, lang);
        const QString path = m_dir.filePath(QStringLiteral("html/page%1.html").arg(m_counter++));
        QVERIFY(writeFile(path, html));
        auto loaded = loadFile(path.toStdString());
        QVERIFY2(loaded, loaded ? "" : loaded.error().message().c_str());
        QCOMPARE(loaded->format, std::string("html"));
        QCOMPARE(loaded->documents.size(), std::size_t(1));
        const SourceDocument &doc = loaded->documents.front();
        QCOMPARE(docText(doc), text);
        QCOMPARE(QString::fromStdString(doc.title), title);
        const QJsonObject metadata = metadataOf(doc);
        QCOMPARE(metadata.value(QStringLiteral("encoding")).toString(), encoding);
        QCOMPARE(metadata.value(QStringLiteral("lang")).toString(), lang);
    }

    void pdf_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("pages");
        QTest::addColumn<QString>("pdfTitle");
        QTest::addColumn<QStringList>("expectedPages");
        const QString first = u8("Hello PDF world, caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d\nSecond line here");
        QTest::newRow("two pages with title")
            << "two.pdf" << QStringList{first, QStringLiteral("Page two text")} << "My PDF Title"
            << QStringList{first, QStringLiteral("Page two text")};
        QTest::newRow("blank middle page")
            << "gap.pdf" << QStringList{QStringLiteral("Alpha"), QString(), QStringLiteral("Gamma")} << ""
            << QStringList{QStringLiteral("Alpha"), QString(), QStringLiteral("Gamma")};
        QTest::newRow("pdf named .txt is sniffed")
            << "actually-a-pdf.txt" << QStringList{QStringLiteral("Sniffed by content")} << ""
            << QStringList{QStringLiteral("Sniffed by content")};
    }

    void pdf()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, pages);
        QFETCH(QString, pdfTitle);
        QFETCH(QStringList, expectedPages);
        const QString path = m_dir.filePath(QStringLiteral("pdf/") + name);
        QVERIFY(writePdf(path, pages, pdfTitle));
        auto loaded = loadFile(path.toStdString());
        QVERIFY2(loaded, loaded ? "" : loaded.error().message().c_str());
        QCOMPARE(loaded->format, std::string("pdf"));
        QCOMPARE(loaded->documents.size(), std::size_t(1));
        const SourceDocument &doc = loaded->documents.front();
        QStringList nonEmpty = expectedPages;
        nonEmpty.removeAll(QString());
        QCOMPARE(docText(doc), nonEmpty.join(QStringLiteral("\n\n")));
        QVERIFY(!doc.text.contains('\f'));
        QCOMPARE(QString::fromStdString(doc.title), pdfTitle);

        // pageOffsets locate each page in the text (a blank page starts where the next one does).
        const QJsonObject metadata = metadataOf(doc);
        QCOMPARE(metadata.value(QStringLiteral("pageCount")).toInt(), int(pages.size()));
        const QJsonArray offsets = metadata.value(QStringLiteral("pageOffsets")).toArray();
        QCOMPARE(offsets.size(), pages.size());
        const QByteArray utf8 = QByteArray::fromStdString(doc.text);
        for (qsizetype i = 0; i < pages.size(); ++i) {
            if (expectedPages[i].isEmpty())
                continue;
            const QByteArray page = expectedPages[i].toUtf8();
            QCOMPARE(utf8.mid(offsets.at(i).toInteger(), page.size()), page);
        }
    }

    void docx_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("styles");
        QTest::addColumn<QString>("coreTitle");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("title");
        QTest::newRow("full document, core title") << fullBody() << kStyles << "Core Title" << kFullText << "Core Title";
        QTest::newRow("title style paragraph") << fullBody() << kStyles << "" << kFullText << "Document Title";
        QTest::newRow("no styles part")
            << (para(QStringLiteral("Sub"), QStringLiteral("Heading2"))
                + QStringLiteral("<w:p><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr><w:r><w:t>Outline Heading</w:t></w:r></w:p>")
                + para(QStringLiteral("text")))
            << "" << "" << "## Sub\n# Outline Heading\ntext" << "Outline Heading";
        QTest::newRow("character style is not a heading")
            << para(QStringLiteral("Plain"), QStringLiteral("Heading3")) << kStyles << "" << "Plain" << "";
        QTest::newRow("nested table flattens")
            << QStringLiteral("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>outer</w:t></w:r></w:p><w:tbl><w:tr>"
                              "<w:tc><w:p><w:r><w:t>in1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>in2</w:t></w:r></w:p></w:tc>"
                              "</w:tr></w:tbl></w:tc><w:tc><w:p><w:r><w:t>right</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")
            << kStyles << "" << "outer in1 in2\tright" << "";
    }

    void docx()
    {
        QFETCH(QString, body);
        QFETCH(QString, styles);
        QFETCH(QString, coreTitle);
        QFETCH(QString, text);
        QFETCH(QString, title);
        const QString path = m_dir.filePath(QStringLiteral("docx/doc%1.docx").arg(m_counter++));
        QVERIFY(writeZip(path, docxMembers(body, styles, coreTitle)));
        auto loaded = loadFile(path.toStdString());
        QVERIFY2(loaded, loaded ? "" : loaded.error().message().c_str());
        QCOMPARE(loaded->format, std::string("docx"));
        QCOMPARE(loaded->documents.size(), std::size_t(1));
        const SourceDocument &doc = loaded->documents.front();
        QCOMPARE(docText(doc), text);
        QCOMPARE(QString::fromStdString(doc.title), title);
        if (!coreTitle.isEmpty())
            QCOMPARE(metadataOf(doc).value(QStringLiteral("author")).toString(), QStringLiteral("Ada Lovelace"));
    }

    void htmlSavedAsTxtIsSniffed()
    {
        const QString path = m_dir.filePath(QStringLiteral("sniff/page.txt"));
        QVERIFY(writeFile(path, "<!DOCTYPE html>\n<html><head><title>Saved</title></head><body><p>Hi &amp; bye</p></body></html>"));
        auto loaded = loadFile(path.toStdString());
        QVERIFY2(loaded, loaded ? "" : loaded.error().message().c_str());
        QCOMPARE(loaded->format, std::string("html"));
        QCOMPARE(loaded->documents.front().text, std::string("Hi & bye"));
        QCOMPARE(loaded->documents.front().title, std::string("Saved"));
    }

    void supportedFiles_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("format");
        QTest::newRow("txt") << "a/b.txt" << "txt";
        QTest::newRow("md upper") << "README.MD" << "md";
        QTest::newRow("markdown") << "x.markdown" << "md";
        QTest::newRow("htm") << "x.htm" << "html";
        QTest::newRow("xhtml") << "x.xhtml" << "html";
        QTest::newRow("pdf") << "x.pdf" << "pdf";
        QTest::newRow("docx") << "x.docx" << "docx";
        QTest::newRow("tsv") << "x.tsv" << "csv";
        QTest::newRow("ndjson") << "x.ndjson" << "jsonl";
        QTest::newRow("doc is not docx") << "x.doc" << "";
        QTest::newRow("no extension") << "Makefile" << "";
        QTest::newRow("dotfile") << ".txt" << "";
        QTest::newRow("dot in folder only") << "v1.2/notes" << "";
    }

    void supportedFiles()
    {
        QFETCH(QString, path);
        QFETCH(QString, format);
        QCOMPARE(QString::fromStdString(formatForPath(path.toStdString())), format);
        QCOMPARE(isSupportedFile(path.toStdString()), !format.isEmpty());
    }

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
};

QTEST_MAIN(TestLoaders)
#include "tst_loaders.moc"
