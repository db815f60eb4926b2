// Bad input never throws and never aborts a batch: one test per class of bad
// file (Io, Binary, Empty, TooLarge, Corrupt, Unsupported, all-records-bad)
// asserting the ErrorCode, that the source is the path and that the detail
// says what is wrong; then folder walking, and a mixed batch of good and bad
// files where every good file loads and every bad one gets its own error.
#include "core/ingest/filecollector.h"
#include "core/ingest/fileloader.h"
#include "ingestfixtures.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <map>
#include <thread>
#include <type_traits>

using namespace rag;
using namespace ingesttest;

namespace {

std::string s(const QString &q)
{
    return q.toStdString();
}

QString errorText(const Error &e)
{
    return QString::fromStdString(std::string("[") + errorCodeName(e.code) + "] " + e.message());
}

// Maps as "key=value" lists, so that a failed comparison shows the difference.
template <typename V>
QStringList listed(const std::map<std::string, V> &map)
{
    QStringList out;
    for (const auto &[key, value] : map) {
        if constexpr (std::is_same_v<V, ErrorCode>)
            out.append(QString::fromStdString(key + "=" + errorCodeName(value)));
        else
            out.append(QString::fromStdString(key + "=" + std::to_string(value)));
    }
    return out;
}

QByteArray validDocx(const QString &dir)
{
    const QString path = dir + QStringLiteral("/template.docx");
    writeZip(path, docxMembers(QStringLiteral("<w:p><w:r><w:t>Fine words</w:t></w:r></w:p>")));
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

} // namespace

class TestBadInput : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void badFile_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("detailPart");
        QTest::addColumn<qint64>("maxFileBytes");
        QTest::addColumn<qint64>("maxDocumentChars");
        const qint64 big = 512LL << 20;
        const qint64 chars = 64LL << 20;

        // Io: tests run as root, so permissions cannot make a file unreadable.
        QTest::newRow("missing") << "missing.txt" << "missing" << QByteArray() << "io" << "no such file" << big << chars;
        QTest::newRow("folder named x.txt") << "folder.txt" << "directory" << QByteArray() << "io" << "is a folder" << big << chars;
        QTest::newRow("dangling symlink") << "dangling.txt" << "dangling" << QByteArray() << "io" << "broken symbolic link" << big << chars;
        QTest::newRow("fifo") << "pipe.txt" << "fifo" << QByteArray() << "io" << "not a regular file" << big << chars;
        QTest::newRow("missing parent") << "no/such/dir/file.md" << "missing" << QByteArray() << "io" << "no such file" << big << chars;

        QTest::newRow("nul bytes") << "nul.txt" << "bytes" << QByteArray("some text\0with a NUL", 20) << "binary" << "NUL bytes" << big << chars;
        QTest::newRow("png in txt") << "image.txt" << "bytes" << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << "binary" << "PNG image" << big << chars;
        QTest::newRow("elf in md") << "program.md" << "bytes" << QByteArray("\x7f" "ELF\x02\x01\x01\0\0\0", 10) << "binary" << "ELF executable" << big << chars;
        QTest::newRow("zip in csv") << "archive.csv" << "bytes" << QByteArray("PK\x03\x04\x14\0\0\0\x08\0", 10) << "binary" << "ZIP archive" << big << chars;
        QTest::newRow("control bytes in jsonl") << "controls.jsonl" << "bytes" << QByteArray("\x01\x02\x03\x04\x05\x06\x0e\x0f{}") << "binary" << "control bytes" << big << chars;
        QTest::newRow("binary html") << "page.html" << "bytes" << QByteArray("<html>\0\0\0\0</html>", 17) << "binary" << "NUL bytes" << big << chars;

        QTest::newRow("zero bytes") << "empty.txt" << "bytes" << QByteArray() << "empty" << "empty (0 bytes)" << big << chars;
        QTest::newRow("white space only") << "blank.md" << "bytes" << QByteArray("  \n\t\r\n  ") << "empty" << "no text" << big << chars;
        QTest::newRow("bom only") << "bom.txt" << "bytes" << QByteArray("\xef\xbb\xbf") << "empty" << "no text" << big << chars;
        QTest::newRow("html without visible text") << "scripts.html" << "bytes"
            << QByteArray("<html><head><title></title><script>x()</script></head><body><style>p{}</style></body></html>")
            << "empty" << "no text" << big << chars;
        QTest::newRow("csv header only") << "header.csv" << "bytes" << QByteArray("id,text\n") << "empty" << "no records" << big << chars;
        QTest::newRow("jsonl blank lines") << "blank.jsonl" << "bytes" << QByteArray("\n \n\t\n") << "empty" << "no records" << big << chars;
        QTest::newRow("scanned pdf") << "scanned.pdf" << "scannedPdf" << QByteArray() << "empty" << "no text layer (scanned?)" << big << chars;
        QTest::newRow("docx without text") << "empty.docx" << "docxBody" << QByteArray("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>")
                                           << "empty" << "no text" << big << chars;

        QTest::newRow("over maxFileBytes") << "big.txt" << "bytes" << QByteArray(5000, 'x') << "too-large" << "over the limit of 4.0 KiB" << qint64(4096) << chars;
        QTest::newRow("over maxDocumentChars") << "long.txt" << "bytes" << QByteArray(50, 'y') << "too-large" << "50 characters, over the limit of 10" << big << qint64(10);

        QTest::newRow("garbage pdf") << "garbage.pdf" << "bytes" << QByteArray("%PDF-1.4\ngarbage garbage\n") << "corrupt" << "not a readable PDF (poppler:" << big << chars;
        QTest::newRow("encrypted pdf") << "locked.pdf" << "bytes" << encryptedPdf() << "corrupt" << "encrypted and needs a password" << big << chars;
        QTest::newRow("text named .pdf") << "fake.pdf" << "bytes" << QByteArray("just text") << "corrupt" << "no %PDF- header" << big << chars;
        QTest::newRow("text named .docx") << "fake.docx" << "bytes" << QByteArray("just text") << "corrupt" << "expected a ZIP archive" << big << chars;
        QTest::newRow("ole named .docx") << "old.docx" << "bytes" << QByteArray("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", 10) << "corrupt" << "OLE compound file" << big << chars;
        QTest::newRow("zip without document") << "nodoc.docx" << "zip" << QByteArray() << "corrupt" << "no word/document.xml" << big << chars;
        QTest::newRow("garbled document.xml") << "garbled.docx" << "garbledDocx" << QByteArray("<w:document><w:body><w:p>")
                                              << "corrupt" << "word/document.xml is not well-formed XML" << big << chars;
        QTest::newRow("truncated docx") << "truncated.docx" << "truncatedDocx" << QByteArray() << "corrupt" << "damaged docx archive" << big << chars;

        QTest::newRow("png file") << "photo.png" << "bytes" << QByteArray("\x89PNG\r\n\x1a\n") << "unsupported" << "unsupported file type '.png'" << big << chars;
        QTest::newRow("no extension") << "Makefile" << "bytes" << QByteArray("all:\n") << "unsupported" << "(no extension)" << big << chars;
        QTest::newRow("legacy doc") << "old.doc" << "bytes" << QByteArray("x") << "unsupported" << "'.doc'" << big << chars;

        QTest::newRow("no record loads") << "allbad.jsonl" << "bytes" << QByteArray("{broken\n[1]\n") << "parse"
                                         << "none of its 2 records could be loaded; the first problem, at " << big << chars;
    }

    void badFile()
    {
        QFETCH(QString, name);
        QFETCH(QString, kind);
        QFETCH(QByteArray, content);
        QFETCH(QString, code);
        QFETCH(QString, detailPart);
        QFETCH(qint64, maxFileBytes);
        QFETCH(qint64, maxDocumentChars);
        const QString dir = m_dir.filePath(QStringLiteral("bad/%1").arg(m_counter++));
        QVERIFY(QDir().mkpath(dir));
        const QString path = dir + QLatin1Char('/') + name;
        QVERIFY(createFixture(path, kind, content));

        LoadOptions options;
        options.maxFileBytes = maxFileBytes;
        options.maxDocumentChars = maxDocumentChars;
        auto loaded = loadFile(s(path), options);
        QVERIFY2(!loaded, "a bad file loaded");
        const Error &error = loaded.error();
        QCOMPARE(QString::fromLatin1(errorCodeName(error.code)), code);
        QCOMPARE(QString::fromStdString(error.source), path);
        QVERIFY2(QString::fromStdString(error.detail).contains(detailPart), qPrintable(errorText(error)));
        QVERIFY(QString::fromStdString(error.message()).startsWith(path + QStringLiteral(": ")));
    }

    // The error for a file none of whose records load names the first bad line.
    void allRecordsBadNamesLine()
    {
        const QString path = m_dir.filePath(QStringLiteral("allbad.csv"));
        QVERIFY(writeFile(path, "id,text\n1,a,b\n2,c,d\n"));
        auto loaded = loadFile(s(path));
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().code, ErrorCode::Parse);
        QVERIFY2(loaded.error().detail.find(s(path) + ":2: row 2 has 3 fields") != std::string::npos,
                 loaded.error().detail.c_str());
    }

    void collect()
    {
        const QString root = m_dir.filePath(QStringLiteral("walk"));
        QVERIFY(writeFile(root + "/b.txt", "b"));
        QVERIFY(writeFile(root + "/a.md", "a"));
        QVERIFY(writeFile(root + "/sub/c.csv", "id,text\n1,c\n"));
        QVERIFY(writeFile(root + "/sub/.secret.txt", "hidden"));
        QVERIFY(writeFile(root + "/.cache/x.txt", "hidden folder"));
        QVERIFY(writeFile(root + "/sub/image.jpg", "\xff\xd8\xff"));
        QVERIFY(QFile::link(root, root + "/sub/loop"));
        QVERIFY(writeFile(m_dir.filePath("outside/.explicit.txt"), "named explicitly"));

        std::vector<Error> skipped;
        const std::vector<std::string> files = collectFiles(
            {s(root + "/"), s(root + "/b.txt"), s(m_dir.filePath("outside/.explicit.txt")), s(m_dir.filePath("nope")),
             s(root + "/sub/image.jpg")},
            &skipped);
        const std::vector<std::string> expected{s(root + "/a.md"), s(root + "/b.txt"), s(root + "/sub/c.csv"),
                                                s(m_dir.filePath("outside/.explicit.txt"))};
        std::vector<std::string> sortedExpected = expected;
        std::sort(sortedExpected.begin(), sortedExpected.end());
        QCOMPARE(files, sortedExpected);

        std::map<std::string, Error> byPath;
        for (const Error &e : skipped)
            byPath[e.source] = e;
        QCOMPARE(skipped.size(), std::size_t(4)); // the jpg twice (walked and named), nope, the loop
        QCOMPARE(byPath.size(), std::size_t(3));
        QCOMPARE(byPath.at(s(root + "/sub/image.jpg")).code, ErrorCode::Unsupported);
        QCOMPARE(byPath.at(s(m_dir.filePath("nope"))).code, ErrorCode::Io);
        QCOMPARE(byPath.at(s(m_dir.filePath("nope"))).detail, std::string("does not exist"));
        QCOMPARE(byPath.at(s(root + "/sub/loop")).code, ErrorCode::Io);
        QVERIFY(byPath.at(s(root + "/sub/loop")).detail.starts_with("symbolic link loop"));

        // The same selection in another order gives the same list.
        QCOMPARE(collectFiles({s(m_dir.filePath("outside/.explicit.txt")), s(root)}, nullptr), sortedExpected);
    }

    void mixedBatch()
    {
        const QString root = m_dir.filePath(QStringLiteral("batch"));
        QVERIFY(writeFile(root + "/good.txt", "Good plain text."));
        QVERIFY(writeFile(root + "/notes/good.md", "# Notes\n\nSome notes.\n"));
        QVERIFY(writeFile(root + "/notes/deeper/table.csv", "id,text\n1,alpha\n2,beta\n"));
        QVERIFY(writeFile(root + "/page.html", "<title>Page</title><p>Web text</p>"));
        QVERIFY(writePdf(root + "/doc.pdf", {QStringLiteral("Portable text")}));
        QVERIFY(writeZip(root + "/word.docx", docxMembers(QStringLiteral("<w:p><w:r><w:t>Word text</w:t></w:r></w:p>"))));
        QVERIFY(writeFile(root + "/corpus.jsonl", "{\"_id\":\"a\",\"text\":\"one\"}\n{oops\n{\"_id\":\"b\",\"text\":\"two\"}\n"));
        QVERIFY(writeFile(root + "/folder.txt/inner.txt", "A file inside a folder named like a file."));
        QVERIFY(writeFile(root + "/.hidden.txt", "skipped"));
        QVERIFY(writeFile(root + "/.git/config.txt", "skipped"));
        QVERIFY(writeFile(root + "/image.png", "\x89PNG\r\n\x1a\n"));
        QVERIFY(writeFile(root + "/README", "no extension"));
        QVERIFY(writeFile(root + "/binary.txt", QByteArray("bin\0ary", 7)));
        QVERIFY(writeFile(root + "/empty.txt", QByteArray()));
        QVERIFY(writeFile(root + "/big.txt", QByteArray(300000, 'z')));
        QVERIFY(writeFile(root + "/broken.pdf", "%PDF-1.7\n1 0 obj <<"));
        QVERIFY(writeFile(root + "/broken.docx", "PK\x03\x04 not really a zip"));
        QVERIFY(QFile::link(root + "/gone.md", root + "/dangling.md"));
        QVERIFY(QFile::link(root, root + "/notes/loop"));

        std::vector<Error> skipped;
        const std::vector<std::string> files = collectFiles({s(root)}, &skipped);
        LoadOptions options;
        options.maxFileBytes = 200000;

        std::map<std::string, std::size_t> loadedDocs;
        std::map<std::string, ErrorCode> failed;
        for (const std::string &file : files) {
            auto loaded = loadFile(file, options);
            const std::string relative = file.substr(s(root).size() + 1);
            if (loaded)
                loadedDocs[relative] = loaded->documents.size();
            else
                failed[relative] = loaded.error().code;
            if (!loaded)
                QCOMPARE(loaded.error().source, file);
        }
        const std::map<std::string, std::size_t> expectedDocs{
            {"corpus.jsonl", 2}, {"doc.pdf", 1}, {"folder.txt/inner.txt", 1}, {"good.txt", 1},
            {"notes/deeper/table.csv", 2}, {"notes/good.md", 1}, {"page.html", 1}, {"word.docx", 1}};
        const std::map<std::string, ErrorCode> expectedFailures{
            {"big.txt", ErrorCode::TooLarge}, {"binary.txt", ErrorCode::Binary}, {"broken.docx", ErrorCode::Corrupt},
            {"broken.pdf", ErrorCode::Corrupt}, {"dangling.md", ErrorCode::Io}, {"empty.txt", ErrorCode::Empty}};
        QCOMPARE(listed(loadedDocs).join(QLatin1Char(' ')), listed(expectedDocs).join(QLatin1Char(' ')));
        QCOMPARE(listed(failed).join(QLatin1Char(' ')), listed(expectedFailures).join(QLatin1Char(' ')));

        std::map<std::string, ErrorCode> skippedByName;
        for (const Error &e : skipped)
            skippedByName[e.source.substr(s(root).size() + 1)] = e.code;
        const std::map<std::string, ErrorCode> expectedSkipped{
            {"README", ErrorCode::Unsupported}, {"image.png", ErrorCode::Unsupported}, {"notes/loop", ErrorCode::Io}};
        QCOMPARE(listed(skippedByName).join(QLatin1Char(' ')), listed(expectedSkipped).join(QLatin1Char(' ')));

        auto corpus = loadFile(s(root + "/corpus.jsonl"), options);
        QVERIFY(corpus);
        QCOMPARE(corpus->recordErrors.size(), std::size_t(1));
        QCOMPARE(corpus->recordErrors.front().source, s(root + "/corpus.jsonl:2"));
    }

    // Loads run on job threads: several threads loading the same batch (PDFs
    // with poppler's per-thread message capture included) get what one does.
    void concurrentLoadsMatchSerial()
    {
        const QString root = m_dir.filePath(QStringLiteral("threads"));
        QVERIFY(writePdf(root + "/a.pdf", {QStringLiteral("Alpha page")}));
        QVERIFY(writePdf(root + "/b.pdf", {QStringLiteral("Beta page"), QStringLiteral("Beta two")}));
        QVERIFY(writeFile(root + "/bad.pdf", "%PDF-1.4\nnot really\n"));
        QVERIFY(writeFile(root + "/c.html", "<p>Gamma &amp; delta</p>"));
        QVERIFY(writeZip(root + "/d.docx", docxMembers(QStringLiteral("<w:p><w:r><w:t>Delta</w:t></w:r></w:p>"))));
        QVERIFY(writeFile(root + "/e.jsonl", "{\"_id\":\"1\",\"text\":\"caf\\u00e9\"}\n"));
        const std::vector<std::string> files = collectFiles({s(root)}, nullptr);
        QCOMPARE(files.size(), std::size_t(6));

        const auto describe = [&files] {
            std::vector<std::string> out;
            for (const std::string &file : files) {
                auto loaded = loadFile(file);
                out.push_back(loaded ? loaded->fileHash + "|" + loaded->documents.front().text
                                     : std::string(errorCodeName(loaded.error().code)) + "|" + loaded.error().detail);
            }
            return out;
        };
        const std::vector<std::string> serial = describe();
        std::vector<std::vector<std::string>> results(4);
        std::vector<std::thread> threads;
        for (auto &result : results)
            threads.emplace_back([&result, &describe] {
                for (int round = 0; round < 5; ++round)
                    result = describe();
            });
        for (std::thread &thread : threads)
            thread.join();
        for (const auto &result : results)
            QCOMPARE(result, serial);
        QVERIFY2(serial[2].starts_with("corrupt|not a readable PDF (poppler: "), serial[2].c_str());
    }

    // Damaged variants of every format (bytes flipped, inserted, cut off) load
    // or fail with an error about that file; nothing throws or crashes.
    void mutatedFilesFailCleanly()
    {
        const QString root = m_dir.filePath(QStringLiteral("mutants"));
        QVERIFY(writePdf(root + "/seed.pdf", {QStringLiteral("Seed text for mutation")}));
        QVERIFY(writeZip(root + "/seed.docx", docxMembers(QStringLiteral("<w:p><w:r><w:t>Seed</w:t></w:r></w:p>"))));
        const std::map<QString, QByteArray> seeds{
            {"html", "<html><head><title>T&amp;</title></head><body><p>a<b>b</b></p><table><tr><td>1</td></tr></table></body></html>"},
            {"csv", "id,title,text\n1,\"a, b\",\"multi\nline\"\n2,c,d\n"},
            {"jsonl", "{\"_id\":\"1\",\"title\":\"t\",\"text\":\"\\u00e9\\ud83d\\ude00\"}\n{\"id\":2,\"content\":\"x\"}\n"},
            {"md", "---\ntitle: x\n---\n# H\n\ntext\n"},
            {"txt", "caf\xc3\xa9 plain text\r\n"},
            {"pdf", readAll(root + "/seed.pdf")},
            {"docx", readAll(root + "/seed.docx")},
        };
        QRandomGenerator rng(7);
        int loadedCount = 0, failedCount = 0;
        for (const auto &[ext, seed] : seeds) {
            QVERIFY(!seed.isEmpty());
            for (int i = 0; i < 60; ++i) {
                QByteArray mutant = seed;
                const int edits = rng.bounded(1, 6);
                for (int e = 0; e < edits && !mutant.isEmpty(); ++e) {
                    const int at = rng.bounded(int(mutant.size()));
                    switch (rng.bounded(3)) {
                    case 0: mutant[at] = char(rng.bounded(256)); break;
                    case 1: mutant.insert(at, char(rng.bounded(256))); break;
                    default: mutant.truncate(at); break;
                    }
                }
                const QString path = root + QStringLiteral("/m%1.").arg(i) + ext;
                QVERIFY(writeFile(path, mutant));
                auto loaded = loadFile(s(path));
                if (loaded) {
                    ++loadedCount;
                    for (const SourceDocument &doc : loaded->documents)
                        QVERIFY(doc.metadataJson.starts_with("{"));
                } else {
                    ++failedCount;
                    QCOMPARE(loaded.error().source, s(path));
                    QVERIFY(!loaded.error().detail.empty());
                    QVERIFY(loaded.error().code != ErrorCode::Internal);
                }
            }
        }
        qInfo("mutants: %d loaded, %d failed cleanly", loadedCount, failedCount);
        QVERIFY(loadedCount > 0);
        QVERIFY(failedCount > 0);
    }

private:
    static QByteArray readAll(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    bool createFixture(const QString &path, const QString &kind, const QByteArray &content)
    {
        if (kind == QLatin1String("bytes"))
            return writeFile(path, content);
        if (kind == QLatin1String("missing"))
            return !QFile::exists(path);
        if (kind == QLatin1String("directory"))
            return QDir().mkpath(path) && writeFile(path + "/inside.txt", "x");
        if (kind == QLatin1String("dangling"))
            return QFile::link(path + ".target-that-does-not-exist", path);
        if (kind == QLatin1String("fifo"))
            return ::mkfifo(QFile::encodeName(path).constData(), 0600) == 0;
        if (kind == QLatin1String("scannedPdf"))
            return writePdf(path, {QString()});
        if (kind == QLatin1String("docxBody"))
            return writeZip(path, docxMembers(QString::fromUtf8(content)));
        if (kind == QLatin1String("zip"))
            return writeZip(path, {{"word/other.xml", "<x/>"}});
        if (kind == QLatin1String("garbledDocx")) {
            auto members = docxMembers(QStringLiteral("<w:p/>"));
            members["word/document.xml"] = content;
            return writeZip(path, members);
        }
        if (kind == QLatin1String("truncatedDocx")) {
            const QByteArray whole = validDocx(m_dir.path());
            return !whole.isEmpty() && writeFile(path, whole.left(whole.size() / 2));
        }
        return false;
    }

    QTemporaryDir m_dir;
    int m_counter = 0;
};

QTEST_MAIN(TestBadInput)
#include "tst_badinput.moc"
