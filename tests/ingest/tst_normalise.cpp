// normaliseText and friends: the exact documented steps, idempotence over many
// generated inputs, and agreement with an independent implementation (Node's
// String.prototype.normalize over its own ICU) on every valid-UTF-8 input.
#include "core/ingest/textdecoder.h"
#include "core/ingest/textnormaliser.h"
#include "ingestfixtures.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rag;

namespace {

std::string str(const QByteArray &bytes)
{
    return bytes.toStdString();
}

QByteArray bytes(const std::string &s)
{
    return QByteArray::fromStdString(s);
}

// Deterministic mixed inputs: ASCII, CR/LF, controls, combining marks, Hangul
// jamo, C1 controls, compatibility characters and emoji, plus broken UTF-8.
std::vector<std::string> generatedInputs(int count, bool allowInvalid)
{
    static const char *const pieces[] = {
        "a", "Z", " ", "\t", "\n", "\r", "\r\n", "\x01", "\x1b", "\x7f", "\xc2\x85", "\xc2\x9f",
        "e", "\xcc\x81" /* U+0301 */, "\xcc\xa3" /* U+0323 */, "\xcc\x87" /* U+0307 */,
        "\xe1\x84\x80" /* U+1100 jamo L */, "\xe1\x85\xa1" /* U+1161 jamo V */, "\xe1\x86\xa8" /* U+11A8 jamo T */,
        "\xc3\xa9" /* é */, "\xe2\x84\xab" /* U+212B angstrom */, "\xef\xac\x81" /* U+FB01 fi */,
        "\xef\xbb\xbf" /* U+FEFF */, "\xc2\xa0", "\xf0\x9f\x98\x80" /* emoji */, "\xe0\xa4\x95\xe0\xa5\x8d",
    };
    static const char *const broken[] = {"\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80"};
    QRandomGenerator rng(20240611);
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
        std::string s;
        const int len = rng.bounded(1, 24);
        for (int k = 0; k < len; ++k) {
            if (allowInvalid && rng.bounded(10) == 0)
                s += broken[rng.bounded(int(std::size(broken)))];
            else
                s += pieces[rng.bounded(int(std::size(pieces)))];
        }
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace

class TestNormalise : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void normalise_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("ascii unchanged") << QByteArray("Hello, world.\n\tIndented") << QByteArray("Hello, world.\n\tIndented");
        QTest::newRow("empty") << QByteArray("") << QByteArray("");
        QTest::newRow("crlf") << QByteArray("a\r\nb\r\n") << QByteArray("a\nb\n");
        QTest::newRow("lone cr") << QByteArray("a\rb\r") << QByteArray("a\nb\n");
        QTest::newRow("cr cr lf") << QByteArray("a\r\r\nb") << QByteArray("a\n\nb");
        QTest::newRow("nul dropped") << QByteArray("a\0b", 3) << QByteArray("ab");
        QTest::newRow("c0 and del dropped") << QByteArray("a\x01\x08\x0b\x0c\x1b\x1f\x7f" "b") << QByteArray("ab");
        QTest::newRow("c1 dropped") << QByteArray("a\xc2\x85" "b\xc2\x9f" "c\xc2\x80") << QByteArray("abc");
        QTest::newRow("c1 neighbours kept") << QByteArray("\xc2\xa0\xc2\xa1~") << QByteArray("\xc2\xa0\xc2\xa1~");
        QTest::newRow("nfd e acute") << QByteArray("caf" "e\xcc\x81") << QByteArray("caf\xc3\xa9");
        QTest::newRow("A ring") << QByteArray("A\xcc\x8a") << QByteArray("\xc3\x85");
        QTest::newRow("angstrom singleton") << QByteArray("\xe2\x84\xab") << QByteArray("\xc3\x85");
        QTest::newRow("ohm singleton") << QByteArray("\xe2\x84\xa6") << QByteArray("\xce\xa9");
        QTest::newRow("hangul jamo") << QByteArray("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8") << QByteArray("\xea\xb0\x81");
        QTest::newRow("combining order") << QByteArray("q\xcc\x87\xcc\xa3") << QByteArray("q\xcc\xa3\xcc\x87");
        QTest::newRow("control between base and mark")
            << QByteArray("e\x01\xcc\x81") << QByteArray("\xc3\xa9");
        QTest::newRow("crlf in non-ascii") << QByteArray("\xc3\xa9\r\n\xc3\xa8\r") << QByteArray("\xc3\xa9\n\xc3\xa8\n");
        QTest::newRow("compatibility kept (not NFKC)")
            << QByteArray("\xef\xac\x81 \xef\xbc\xa1 \xe2\x91\xa0") << QByteArray("\xef\xac\x81 \xef\xbc\xa1 \xe2\x91\xa0");
        QTest::newRow("leading feff kept") << QByteArray("\xef\xbb\xbf\xef\xbb\xbfx") << QByteArray("\xef\xbb\xbf\xef\xbb\xbfx");
        QTest::newRow("line separator kept") << QByteArray("a\xe2\x80\xa8" "b") << QByteArray("a\xe2\x80\xa8" "b");
        QTest::newRow("emoji kept") << QByteArray("\xf0\x9f\x98\x80!") << QByteArray("\xf0\x9f\x98\x80!");
        QTest::newRow("invalid byte") << QByteArray("a\xff" "b") << QByteArray("a\xef\xbf\xbd" "b");
        // Qt replaces each byte of an ill-formed sequence.
        QTest::newRow("truncated sequence") << QByteArray("a\xe2\x82") << QByteArray("a\xef\xbf\xbd\xef\xbf\xbd");
        QTest::newRow("encoded surrogate") << QByteArray("\xed\xa0\x80") << QByteArray("\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    }

    void normalise()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        const std::string once = normaliseText(str(input));
        QCOMPARE(bytes(once), expected);
        QCOMPARE(bytes(normaliseText(once)), expected);
    }

    void idempotent()
    {
        for (const std::string &input : generatedInputs(3000, true)) {
            const std::string once = normaliseText(input);
            const std::string twice = normaliseText(once);
            QVERIFY2(once == twice, qPrintable(QStringLiteral("not idempotent for %1")
                                                   .arg(QString::fromLatin1(bytes(input).toHex(' ')))));
            QVERIFY(isValidUtf8(once));
        }
    }

    // Node's ICU is a different copy of the Unicode tables than Qt's: agreement
    // on thousands of mixed inputs checks NFC, the CR rules and the control set.
    void matchesNodeReference()
    {
        const QString node = ingesttest::nodeExecutable();
        QVERIFY2(!node.isEmpty(), "node is not installed; run packaging/setup.sh");
        const QString script = QStringLiteral(RAG_SOURCE_DIR "/tests/ingest/reference/normalise_ref.cjs");
        QVERIFY2(QFile::exists(script), qPrintable(script + " is missing"));

        std::vector<std::string> inputs = generatedInputs(3000, false);
        const char *const fixed[] = {"caf" "e\xcc\x81", "a\r\r\nb", "\xe2\x84\xab", "q\xcc\x87\xcc\xa3",
                                     "e\x01\xcc\x81", "\xef\xac\x81", "\xea\xb0\x81"};
        for (const char *s : fixed)
            inputs.emplace_back(s);

        // nlohmann rather than QJson: Qt's JSON parser drops a U+FEFF that starts
        // a string, and that character is part of what is being compared.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString in = dir.filePath(QStringLiteral("in.json"));
        const QString out = dir.filePath(QStringLiteral("out.json"));
        QVERIFY(ingesttest::writeFile(in, QByteArray::fromStdString(nlohmann::json(inputs).dump())));
        QProcess process;
        process.start(node, {script, in, out});
        QVERIFY2(process.waitForFinished(60000), "node did not finish");
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        QFile result(out);
        QVERIFY(result.open(QIODevice::ReadOnly));
        const auto expected = nlohmann::json::parse(result.readAll().toStdString()).get<std::vector<std::string>>();
        QCOMPARE(expected.size(), inputs.size());
        int differences = 0;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const std::string ours = normaliseText(inputs[i]);
            if (ours != expected[i] && ++differences <= 5)
                qWarning() << "differs for" << bytes(inputs[i]).toHex(' ') << bytes(ours).toHex(' ')
                           << bytes(expected[i]).toHex(' ');
        }
        QCOMPARE(differences, 0);
    }

    void title_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("trim and collapse") << QByteArray("  Hello \n\t World  ") << QByteArray("Hello World");
        QTest::newRow("nbsp collapses") << QByteArray("a\xc2\xa0\xc2\xa0" "b") << QByteArray("a b");
        QTest::newRow("ideographic space") << QByteArray("\xe3\x80\x80x\xe3\x80\x80") << QByteArray("x");
        QTest::newRow("normalised too") << QByteArray("Cafe\xcc\x81\r\n") << QByteArray("Caf\xc3\xa9");
        QTest::newRow("blank") << QByteArray(" \n ") << QByteArray("");
    }

    void title()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        QCOMPARE(bytes(normaliseTitle(str(input))), expected);
    }

    void blank_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("blank");
        QTest::newRow("empty") << QByteArray() << true;
        QTest::newRow("ascii white space") << QByteArray(" \t\r\n\f\v") << true;
        QTest::newRow("nbsp and ideographic") << QByteArray("\xc2\xa0\xe3\x80\x80\n") << true;
        QTest::newRow("letter") << QByteArray("  x ") << false;
        QTest::newRow("non-ascii letter") << QByteArray("\xc2\xa0\xc3\xa9") << false;
        QTest::newRow("zero width no-break space is not white space") << QByteArray("\xef\xbb\xbf") << false;
    }

    void blank()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, blank);
        QCOMPARE(isBlankText(str(input)), blank);
    }

    void codePoints()
    {
        QCOMPARE(countCodePoints(""), 0);
        QCOMPARE(countCodePoints("abc"), 3);
        QCOMPARE(countCodePoints("caf\xc3\xa9 \xf0\x9f\x98\x80"), 6);
    }
};

QTEST_GUILESS_MAIN(TestNormalise)
#include "tst_normalise.moc"
