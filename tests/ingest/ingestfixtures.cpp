#include "ingestfixtures.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QStandardPaths>
#include <QStringEncoder>

#include <zip.h>

namespace ingesttest {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(bytes) == bytes.size();
}

bool writeZip(const QString &path, const std::map<std::string, QByteArray> &members)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    int error = 0;
    zip_t *zip = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (!zip)
        return false;
    for (const auto &[name, content] : members) {
        // libzip reads the buffer at zip_close time, so it needs its own copy.
        void *copy = std::malloc(std::size_t(content.size()) + 1);
        std::memcpy(copy, content.constData(), std::size_t(content.size()));
        zip_source_t *source = zip_source_buffer(zip, copy, zip_uint64_t(content.size()), 1);
        if (!source || zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
            zip_source_free(source);
            zip_discard(zip);
            return false;
        }
    }
    return zip_close(zip) == 0;
}

std::map<std::string, QByteArray> docxMembers(const QString &bodyXml, const QString &stylesXml,
                                              const QString &coreTitle)
{
    const QString ns = QStringLiteral(
        "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
        "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "
        "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"");
    std::map<std::string, QByteArray> members;
    members["[Content_Types].xml"] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    members["_rels/.rels"] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    members["word/document.xml"] = (QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                                                   "<w:document ")
                                    + ns + QStringLiteral("><w:body>") + bodyXml
                                    + QStringLiteral("</w:body></w:document>"))
                                       .toUtf8();
    if (!stylesXml.isEmpty()) {
        members["word/styles.xml"] = (QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles ") + ns
                                      + QStringLiteral(">") + stylesXml + QStringLiteral("</w:styles>"))
                                         .toUtf8();
    }
    if (!coreTitle.isEmpty()) {
        members["docProps/core.xml"] =
            (QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
                            "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
                            "<dc:title>")
             + coreTitle.toHtmlEscaped()
             + QStringLiteral("</dc:title><dc:creator>Ada Lovelace</dc:creator></cp:coreProperties>"))
                .toUtf8();
    }
    return members;
}

bool writePdf(const QString &path, const QStringList &pages, const QString &title)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QPdfWriter writer(path);
    writer.setResolution(72);
    if (!title.isEmpty())
        writer.setTitle(title);
    QPainter painter;
    if (!painter.begin(&writer))
        return false;
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSize(12);
    painter.setFont(font);
    for (qsizetype i = 0; i < pages.size(); ++i) {
        if (i > 0)
            writer.newPage();
        if (pages[i].isEmpty()) {
            painter.fillRect(QRect(50, 50, 200, 100), Qt::black);
            continue;
        }
        int y = 60;
        for (const QString &line : pages[i].split(QLatin1Char('\n'))) {
            painter.drawText(QPoint(50, y), line);
            y += 24;
        }
    }
    return painter.end();
}

QByteArray encryptedPdf()
{
    // RC4 40-bit (V1, R2) with made-up O and U strings: the empty user password
    // does not authenticate, so a reader sees a locked document.
    QByteArray pdf = "%PDF-1.4\n";
    QList<qsizetype> offsets;
    const QList<QByteArray> objects = {
        "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n",
        "4 0 obj\n<< /Filter /Standard /V 1 /R 2 /P -4 "
        "/O <0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef> "
        "/U <fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210> >>\nendobj\n",
    };
    for (const QByteArray &object : objects) {
        offsets.append(pdf.size());
        pdf += object;
    }
    const qsizetype xref = pdf.size();
    pdf += "xref\n0 5\n0000000000 65535 f \n";
    for (const qsizetype offset : offsets)
        pdf += QByteArray::number(offset).rightJustified(10, '0') + " 00000 n \n";
    pdf += "trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R "
           "/ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\n"
           "startxref\n" + QByteArray::number(xref) + "\n%%EOF\n";
    return pdf;
}

QByteArray encodeUtf16(const QString &text, bool bigEndian, bool bom)
{
    QStringEncoder encoder(bigEndian ? QStringConverter::Utf16BE : QStringConverter::Utf16LE,
                           bom ? QStringConverter::Flag::WriteBom : QStringConverter::Flag::Default);
    return encoder.encode(text);
}

QByteArray encodeUtf32(const QString &text, bool bigEndian, bool bom)
{
    QStringEncoder encoder(bigEndian ? QStringConverter::Utf32BE : QStringConverter::Utf32LE,
                           bom ? QStringConverter::Flag::WriteBom : QStringConverter::Flag::Default);
    return encoder.encode(text);
}

QString nodeExecutable()
{
    return QStandardPaths::findExecutable(QStringLiteral("node"));
}

} // namespace ingesttest
