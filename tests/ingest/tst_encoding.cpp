// Encoding detection and decoding (core/ingest/textdecoder.h): every BOM, BOM-less
// UTF-16, UTF-8, damaged UTF-8, Windows-1252 (checked byte by byte against ICU),
// declared charsets, and the binary verdicts.
#include "core/ingest/contentsniffer.h"
#include "core/ingest/htmltextextractor.h"
#include "core/ingest/textdecoder.h"
#include "ingestfixtures.h"

#include <QStringDecoder>
#include <QTest>

using namespace rag;
using ingesttest::encodeUtf16;
using ingesttest::encodeUtf32;

namespace {

// "café “quoted” – €5 😀" (UTF-8 in source as escapes).
const QString kSample = QString::fromUtf8("caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x93 \xe2\x82\xac" "5 \xf0\x9f\x98\x80");

} // namespace

class TestEncoding : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decode_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("declared");
        QTest::addColumn<QString>("expectedText");
        QTest::addColumn<QString>("expectedEncoding");

        QTest::newRow("utf-8") << kSample.toUtf8() << QString() << kSample << "utf-8";
        QTest::newRow("utf-8 bom") << QByteArray("\xef\xbb\xbf") + kSample.toUtf8() << QString() << kSample << "utf-8";
        QTest::newRow("utf-8 bom then zwnbsp") << QByteArray("\xef\xbb\xbf\xef\xbb\xbfx") << QString()
                                                << QString::fromUtf8("\xef\xbb\xbfx") << "utf-8";
        QTest::newRow("utf-16le bom") << encodeUtf16(kSample, false, true) << QString() << kSample << "utf-16le";
        QTest::newRow("utf-16be bom") << encodeUtf16(kSample, true, true) << QString() << kSample << "utf-16be";
        QTest::newRow("utf-32le bom") << encodeUtf32(kSample, false, true) << QString() << kSample << "utf-32le";
        QTest::newRow("utf-32be bom") << encodeUtf32(kSample, true, true) << QString() << kSample << "utf-32be";
        // Hand-written bytes, independent of Qt's encoder: "hé\n" in UTF-16LE with BOM.
        QTest::newRow("utf-16le bytes") << QByteArray("\xff\xfeh\x00\xe9\x00\n\x00", 8) << QString()
                                        << QString::fromUtf8("h\xc3\xa9\n") << "utf-16le";
        QTest::newRow("utf-16le no bom") << encodeUtf16(QStringLiteral("Plain words, no BOM.\n"), false, false)
                                         << QString() << QStringLiteral("Plain words, no BOM.\n") << "utf-16le";
        QTest::newRow("utf-16be no bom") << encodeUtf16(QStringLiteral("Plain words, no BOM.\n"), true, false)
                                         << QString() << QStringLiteral("Plain words, no BOM.\n") << "utf-16be";
        QTest::newRow("windows-1252") << QByteArray("caf\xe9 \x93quoted\x94 \x96 \x80" "5") << QString()
                                      << QString::fromUtf8("caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x93 \xe2\x82\xac" "5")
                                      << "windows-1252";
        QTest::newRow("latin-1 declared is windows-1252") << QByteArray("\x93x\x94") << "ISO-8859-1"
                                                          << QString::fromUtf8("\xe2\x80\x9cx\xe2\x80\x9d") << "windows-1252";
        QTest::newRow("declared koi8-r") << QByteArray("\xd0\xd2\xc9\xd7\xc5\xd4") << "koi8-r"
                                         << QString::fromUtf8("\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82") << "koi8-r";
        QTest::newRow("declared iso-8859-5") << QByteArray("\xbc\xd8\xe0") << "iso-8859-5"
                                             << QString::fromUtf8("\xd0\x9c\xd0\xb8\xd1\x80") << "iso-8859-5";
        QTest::newRow("wrong utf-8 declaration") << QByteArray("caf\xe9") << "utf-8"
                                                 << QString::fromUtf8("caf\xc3\xa9") << "windows-1252";
        QTest::newRow("utf-8 wins over declaration") << QByteArray("caf\xc3\xa9") << "windows-1252"
                                                     << QString::fromUtf8("caf\xc3\xa9") << "utf-8";
        QTest::newRow("unknown declaration") << QByteArray("caf\xe9") << "x-no-such-charset"
                                             << QString::fromUtf8("caf\xc3\xa9") << "windows-1252";
        QByteArray damaged = QString::fromUtf8("\xc3\xa9t\xc3\xa9 ").repeated(10).toUtf8();
        damaged.insert(5, '\xff');
        QString damagedText = QString::fromUtf8("\xc3\xa9t\xc3\xa9 ").repeated(10);
        damagedText.insert(3, QChar(0xfffd));
        QTest::newRow("damaged utf-8") << damaged << QString() << damagedText << "utf-8";
        QTest::newRow("empty") << QByteArray() << QString() << QString() << "utf-8";
    }

    void decode()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, declared);
        QFETCH(QString, expectedText);
        QFETCH(QString, expectedEncoding);
        auto decoded = decodeText(raw.toStdString(), "sample.txt", declared.toStdString());
        QVERIFY2(decoded.has_value(), decoded ? "" : decoded.error().message().c_str());
        QCOMPARE(QString::fromStdString(decoded->text), expectedText);
        QCOMPARE(QString::fromStdString(decoded->encoding), expectedEncoding);
        QVERIFY(isValidUtf8(decoded->text));
    }

    void binary_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("detailPart");
        QTest::newRow("nul") << QByteArray("text\0more text here", 19) << "NUL bytes";
        QTest::newRow("png") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << "PNG image";
        QTest::newRow("zip") << QByteArray("PK\x03\x04\x14\0\0\0", 8) << "ZIP archive";
        QTest::newRow("elf") << QByteArray("\x7f" "ELF\x02\x01\x01\0", 8) << "ELF executable";
        QTest::newRow("gzip") << QByteArray("\x1f\x8b\x08\0", 4) << "gzip";
        QTest::newRow("ole") << QByteArray("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") << "OLE";
        QTest::newRow("controls") << QByteArray("\x01\x02\x03\x04\x05\x06 abcdefgh") << "control bytes";
        QTest::newRow("utf-16 with nul characters") << encodeUtf16(QString(40, QChar(0)), false, true) << "NUL bytes";
    }

    void binary()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, detailPart);
        auto decoded = decodeText(raw.toStdString(), "/data/x.txt");
        QVERIFY(!decoded.has_value());
        QCOMPARE(decoded.error().code, ErrorCode::Binary);
        QCOMPARE(decoded.error().source, std::string("/data/x.txt"));
        QVERIFY2(QString::fromStdString(decoded.error().detail).contains(detailPart),
                 decoded.error().detail.c_str());
    }

    void notBinary()
    {
        // Logs with colour codes and form feeds are text.
        QVERIFY(!binaryContentReason("\x1b[31mred\x1b[0m\fpage two\n").has_value());
        QVERIFY(!binaryMagicName("BZh is not bzip2 without its block header").has_value());
        QVERIFY(binaryMagicName(std::string("BZh91AY&SY") + std::string(4, '\0')).has_value());
    }

    // Windows-1252 is compared with ICU (through Qt) on all 256 byte values; the
    // five bytes 1252 leaves unassigned map to U+0081, U+008D, U+008F, U+0090,
    // U+009D as the WHATWG Encoding Standard says.
    void windows1252MatchesIcu()
    {
        QStringDecoder icu("windows-1252");
        QVERIFY2(icu.isValid(), "Qt was built without ICU codecs");
        for (int b = 0; b < 256; ++b) {
            const char byte = char(b);
            const QString ours = QString::fromStdString(decodeWindows1252(std::string_view(&byte, 1)));
            const QString theirs = icu.decode(QByteArray(1, byte));
            QVERIFY2(ours == theirs, qPrintable(QStringLiteral("byte 0x%1: ours U+%2, ICU U+%3")
                                                    .arg(b, 2, 16, QLatin1Char('0'))
                                                    .arg(ours.isEmpty() ? 0 : ours.at(0).unicode(), 4, 16)
                                                    .arg(theirs.isEmpty() ? 0 : theirs.at(0).unicode(), 4, 16)));
        }
        QCOMPARE(QString::fromStdString(decodeWindows1252("\x81\x8d\x8f\x90\x9d")),
                 QString::fromUtf16(u"\u0081\u008d\u008f\u0090\u009d"));
    }

    void utf8Validation_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ascii") << QByteArray("abc") << true;
        QTest::newRow("4-byte") << QByteArray("\xf0\x9f\x98\x80") << true;
        QTest::newRow("max") << QByteArray("\xf4\x8f\xbf\xbf") << true;
        QTest::newRow("past max") << QByteArray("\xf4\x90\x80\x80") << false;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
        QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("truncated") << QByteArray("\xe2\x82") << false;
        QTest::newRow("lone continuation") << QByteArray("\x80") << false;
    }

    void utf8Validation()
    {
        QFETCH(QByteArray, raw);
        QFETCH(bool, valid);
        QCOMPARE(isValidUtf8(raw.toStdString()), valid);
    }

    void metaCharset_data()
    {
        QTest::addColumn<QByteArray>("html");
        QTest::addColumn<QString>("charset");
        QTest::newRow("html5") << QByteArray("<html><head><meta charset=\"windows-1252\">") << "windows-1252";
        QTest::newRow("unquoted upper case") << QByteArray("<HTML><HEAD><META CHARSET=ISO-8859-1>") << "iso-8859-1";
        QTest::newRow("http-equiv") << QByteArray("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">")
                                    << "koi8-r";
        QTest::newRow("other meta first") << QByteArray("<meta name=\"x\" content=\"y\"><meta charset='utf-8'>") << "utf-8";
        QTest::newRow("xml declaration") << QByteArray("<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>\n<html>")
                                         << "iso-8859-15";
        QTest::newRow("meta beats xml declaration")
            << QByteArray("<?xml version=\"1.0\" encoding=\"utf-8\"?><html><meta charset=\"koi8-r\">") << "koi8-r";
        QTest::newRow("none") << QByteArray("<html><body>no meta</body></html>") << "";
    }

    void metaCharset()
    {
        QFETCH(QByteArray, html);
        QFETCH(QString, charset);
        QCOMPARE(QString::fromStdString(HtmlTextExtractor::declaredCharset(html.toStdString())), charset);
    }
};

QTEST_GUILESS_MAIN(TestEncoding)
#include "tst_encoding.moc"
