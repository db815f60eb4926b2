// The record formats: CSV/TSV and JSONL/BEIR, one data-driven test each with
// exact ids, titles, texts and per-record errors (code, "file:line" source and
// detail), and the real SciFact corpus checked in full against a Node reading.
#include "core/ingest/fileloader.h"
#include "ingestfixtures.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rag;
using namespace ingesttest;

namespace {

QStringList ids(const LoadedFile &file)
{
    QStringList out;
    for (const SourceDocument &doc : file.documents)
        out.append(QString::fromStdString(doc.externalId));
    return out;
}

QStringList titles(const LoadedFile &file)
{
    QStringList out;
    for (const SourceDocument &doc : file.documents)
        out.append(QString::fromStdString(doc.title));
    return out;
}

QStringList texts(const LoadedFile &file)
{
    QStringList out;
    for (const SourceDocument &doc : file.documents)
        out.append(QString::fromStdString(doc.text));
    return out;
}

// Each expected error is "line|code|words from the detail".
void compareErrors(const LoadedFile &file, const QString &path, const QStringList &expected)
{
    QStringList actual;
    for (const Error &e : file.recordErrors)
        actual.append(QString::fromStdString(e.source + " [" + errorCodeName(e.code) + "] " + e.detail));
    QVERIFY2(file.recordErrors.size() == std::size_t(expected.size()), qPrintable(actual.join(QLatin1Char('\n'))));
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const QStringList parts = expected[i].split(QLatin1Char('|'));
        const Error &e = file.recordErrors[std::size_t(i)];
        QCOMPARE(QString::fromStdString(e.source), path + QLatin1Char(':') + parts[0]);
        QCOMPARE(QString::fromLatin1(errorCodeName(e.code)), parts[1]);
        QVERIFY2(QString::fromStdString(e.detail).contains(parts[2]), qPrintable(actual[i]));
    }
}

} // namespace

class TestRecords : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void csv_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<QStringList>("titles");
        QTest::addColumn<QStringList>("texts");
        QTest::addColumn<QStringList>("errors");
        QTest::addColumn<QString>("firstMetadata");

        QTest::newRow("comma")
            << "basic.csv" << QByteArray("id,title,text\n1,First,Hello world\n2,Second,\"Quoted, with comma\"\n")
            << QStringList{"1", "2"} << QStringList{"First", "Second"} << QStringList{"Hello world", "Quoted, with comma"}
            << QStringList{} << "{}";
        QTest::newRow("semicolon, crlf, quoted newline and quotes")
            << "semi.csv"
            << QByteArray("doc_id;Title;Content;lang\r\na;T1;\"multi\r\nline \"\"quoted\"\"\";en\r\nb;T2;plain;de\r\n")
            << QStringList{"a", "b"} << QStringList{"T1", "T2"} << QStringList{"multi\nline \"quoted\"", "plain"}
            << QStringList{} << "{\"lang\":\"en\"}";
        QTest::newRow("tsv")
            << "tabs.tsv" << QByteArray("_id\ttext\nx1\tTab separated, with commas, inside\nx2\tsecond\n")
            << QStringList{"x1", "x2"} << QStringList{"", ""}
            << QStringList{"Tab separated, with commas, inside", "second"} << QStringList{} << "{}";
        QTest::newRow("no text column: fields joined, row numbers as ids")
            << "joined.csv" << QByteArray("name,description,price\nWidget,A small widget,3.50\nGadget,,7\n")
            << QStringList{"2", "3"} << QStringList{"", ""}
            << QStringList{"name: Widget\ndescription: A small widget\nprice: 3.50", "name: Gadget\nprice: 7"}
            << QStringList{} << "{}";
        QTest::newRow("text column priority")
            << "priority.csv" << QByteArray("ID,Abstract,Body\n7,abs text,body text\n")
            << QStringList{"7"} << QStringList{""} << QStringList{"body text"} << QStringList{}
            << "{\"Abstract\":\"abs text\"}";
        QTest::newRow("bad rows")
            << "bad.csv"
            << QByteArray("id,text\n1,good\n2,too,many\n3,\"bad\"x\n4,fine\n5,\n1,dup\n6,\"unterminated\n7,never seen\n")
            << QStringList{"1", "4"} << QStringList{"", ""} << QStringList{"good", "fine"}
            << QStringList{"3|parse|row 3 has 3 fields, the header has 2", "4|parse|row 4: unexpected text after a closing quote",
                           "6|empty|row 6 has no text", "7|parse|row 7 repeats id '1' from line 2",
                           "8|parse|row 8: the quoted field opened on line 8 is never closed"}
            << "{}";
        QTest::newRow("utf-8 bom before header")
            << "bom.csv" << QByteArray("\xef\xbb\xbfid,text\n1,caf\xc3\xa9\n")
            << QStringList{"1"} << QStringList{""} << QStringList{QString::fromUtf8("caf\xc3\xa9")} << QStringList{} << "{}";
        QTest::newRow("windows-1252")
            << "legacy.csv" << QByteArray("id,text\n1,caf\xe9 \x93q\x94\n")
            << QStringList{"1"} << QStringList{""}
            << QStringList{QString::fromUtf8("caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d")} << QStringList{} << "{}";
    }

    void csv()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QStringList, ids);
        QFETCH(QStringList, titles);
        QFETCH(QStringList, texts);
        QFETCH(QStringList, errors);
        QFETCH(QString, firstMetadata);
        const QString path = m_dir.filePath(QStringLiteral("csv/") + name);
        QVERIFY(writeFile(path, content));
        auto loaded = loadFile(path.toStdString());
        QVERIFY2(loaded, loaded ? "" : loaded.error().message().c_str());
        QCOMPARE(loaded->format, std::string("csv"));
        QCOMPARE(::ids(*loaded), ids);
        QCOMPARE(::titles(*loaded), titles);
        QCOMPARE(::texts(*loaded), texts);
        compareErrors(*loaded, path, errors);
        QCOMPARE(QString::fromStdString(loaded->documents.front().metadataJson), firstMetadata);
    }

    void jsonl_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<QStringList>("titles");
        QTest::addColumn<QStringList>("texts");
        QTest::addColumn<QStringList>("errors");
        QTest::addColumn<QString>("firstMetadata");

        QTest::newRow("generic")
            << QByteArray("{\"id\": 1, \"content\": \"first\", \"tags\": [\"a\"]}\n"
                          "{\"id\": \"b\", \"title\": \"T\", \"content\": \"second\"}\n")
            << "jsonl" << QStringList{"1", "b"} << QStringList{"", "T"} << QStringList{"first", "second"} << QStringList{}
            << "{\"tags\":[\"a\"]}";
        QTest::newRow("beir with escapes")
            << QByteArray("{\"_id\": \"d1\", \"title\": \"Title \\u00e9\", \"text\": \"caf\\u00e9 \\ud83d\\ude00 \\u2019\", "
                          "\"metadata\": {\"year\": 2020}}\n"
                          "{\"_id\": \"d2\", \"title\": \"\", \"text\": \"plain\", \"metadata\": {}}\n")
            << "beir" << QStringList{"d1", "d2"} << QStringList{QString::fromUtf8("Title \xc3\xa9"), ""}
            << QStringList{QString::fromUtf8("caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x80\x99"), "plain"} << QStringList{}
            << "{\"year\":2020}";
        QTest::newRow("bad lines")
            << QByteArray("{\"_id\":\"1\",\"text\":\"ok\"}\n"
                          "{\"_id\":\"2\",\"text\":\"broken\"\n"
                          "[1,2,3]\n"
                          "{\"_id\":\"4\",\"text\":42}\n"
                          "\n"
                          "{\"_id\":\"1\",\"text\":\"dup\"}\n"
                          "{\"_id\":\"7\",\"text\":\"   \"}\n"
                          "{\"_id\":\"8\",\"text\":\"fine\\r\\n\"}\r\n"
                          "{\"_id\":{\"x\":1},\"text\":\"t\"}\n"
                          "{\"_id\":\"10\",\"text\":\"bad \\ud800 surrogate\"}\n")
            << "beir" << QStringList{"1", "8"} << QStringList{"", ""} << QStringList{"ok", "fine\n"}
            << QStringList{"2|parse|invalid JSON (column", "3|parse|expected a JSON object, found array",
                           "4|parse|field 'text' must be a string, not number", "6|parse|repeats id '1' from line 1",
                           "7|empty|record has no text", "9|parse|field '_id' must be a string or an integer",
                           "10|parse|invalid JSON"}
            << "{}";
        QTest::newRow("no text field: fields joined, line numbers as ids")
            << QByteArray("\n{\"question\": \"Why?\", \"answer\": \"Because.\", \"score\": 3}\n")
            << "jsonl" << QStringList{"2"} << QStringList{""} << QStringList{"answer: Because.\nquestion: Why?\nscore: 3"}
            << QStringList{} << "{}";
        QTest::newRow("title-only record kept")
            << QByteArray("{\"_id\": \"t\", \"title\": \"Only a title\", \"text\": \"\"}\n")
            << "beir" << QStringList{"t"} << QStringList{"Only a title"} << QStringList{""} << QStringList{} << "{}";
    }

    void jsonl()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, format);
        QFETCH(QStringList, ids);
        QFETCH(QStringList, titles);
        QFETCH(QStringList, texts);
        QFETCH(QStringList, errors);
        QFETCH(QString, firstMetadata);
        const QString path = m_dir.filePath(QStringLiteral("jsonl/records%1.jsonl").arg(m_counter++));
        QVERIFY(writeFile(path, content));
        auto loaded = loadFile(path.toStdString());
        QVERIFY2(loaded, loaded ? "" : loaded.error().message().c_str());
        QCOMPARE(QString::fromStdString(loaded->format), format);
        QCOMPARE(::ids(*loaded), ids);
        QCOMPARE(::titles(*loaded), titles);
        QCOMPARE(::texts(*loaded), texts);
        compareErrors(*loaded, path, errors);
        QCOMPARE(QString::fromStdString(loaded->documents.front().metadataJson), firstMetadata);
    }

    // The real BEIR SciFact corpus, compared record by record (through a digest)
    // with an independent reading by Node's JSON.parse.
    void scifactCorpus()
    {
        const QString path = QStringLiteral(RAG_SHARED_DIR "/datasets/scifact/corpus.jsonl");
        QVERIFY2(QFileInfo::exists(path), qPrintable(path + " is missing: the shared SciFact dataset must be in place"));
        QElapsedTimer timer;
        timer.start();
        auto loaded = loadFile(path.toStdString());
        const qint64 ms = timer.elapsed();
        QVERIFY2(loaded, loaded ? "" : loaded.error().message().c_str());
        qInfo("SciFact corpus: %zu documents, %lld bytes loaded in %lld ms", loaded->documents.size(),
              static_cast<long long>(loaded->byteSize), static_cast<long long>(ms));
        QCOMPARE(loaded->format, std::string("beir"));
        QCOMPARE(loaded->documents.size(), std::size_t(5183));
        QVERIFY(loaded->recordErrors.empty());
        QCOMPARE(loaded->byteSize, std::int64_t(8106566));
        QCOMPARE(loaded->fileHash, std::string("dec31c8182f3d744c7d2c09423756fd1d17cbef75808db13ba01cc0aab4d1ac6"));
        const SourceDocument &first = loaded->documents.front();
        QCOMPARE(first.externalId, std::string("4983"));
        QCOMPARE(first.title, std::string("Microstructural development of human newborn cerebral white matter assessed "
                                          "in vivo by diffusion tensor magnetic resonance imaging."));
        QVERIFY(first.text.starts_with("Alterations of the architecture of cerebral white matter"));
        QCOMPARE(first.metadataJson, std::string("{}"));
        // Line 2 holds "CD33\u2019s" and "TGF-\u03b2" as escapes.
        const std::string &second = loaded->documents[1].text;
        QVERIFY(second.find("CD33\xe2\x80\x99s") != std::string::npos);
        QVERIFY(second.find("TGF-\xce\xb2") != std::string::npos);
        for (const SourceDocument &doc : loaded->documents)
            QVERIFY2(doc.text.find("\\u") == std::string::npos, doc.externalId.c_str());

        const QString node = nodeExecutable();
        QVERIFY2(!node.isEmpty(), "node is not installed; run packaging/setup.sh");
        QProcess process;
        process.start(node, {QStringLiteral(RAG_SOURCE_DIR "/tests/ingest/reference/beir_digest.cjs"), path});
        QVERIFY2(process.waitForFinished(120000), "node did not finish");
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const QJsonObject reference = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QCOMPARE(reference.value(QStringLiteral("count")).toInt(), 5183);
        QCryptographicHash digest(QCryptographicHash::Sha256);
        for (const SourceDocument &doc : loaded->documents) {
            const std::string entry = doc.externalId + '\0' + doc.title + '\0' + doc.text + '\n';
            digest.addData(QByteArrayView(entry.data(), qsizetype(entry.size())));
        }
        QCOMPARE(QString::fromLatin1(digest.result().toHex()), reference.value(QStringLiteral("sha256")).toString());
    }

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
};

QTEST_GUILESS_MAIN(TestRecords)
#include "tst_records.moc"
