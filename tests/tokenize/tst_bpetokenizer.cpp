// BpeTokenizer against its reference, npm gpt-tokenizer 4.0.0: the package's own test
// plans, generated edge cases (ids and pre-tokenizer pieces), ill-formed UTF-8, and
// >= 500 random Unicode strings whose ids node computes in this run.
#include "core/common/assets.h"
#include "core/tokenize/bpetokenizer.h"
#include "core/tokenize/bytepairmerge.h"
#include "core/tokenize/pretokenizer.h"
#include "core/tokenize/unicodeclass.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <optional>
#include <random>

using namespace rag;

namespace {

const QString kSetupHint = QStringLiteral("run packaging/setup.sh to fetch the tokenizer assets and reference packages");

QList<quint32> toList(const std::vector<std::uint32_t> &ids)
{
    return QList<quint32>(ids.begin(), ids.end());
}

QByteArray bytes(std::string_view s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

std::string_view view(const QByteArray &b)
{
    return std::string_view(b.constData(), std::size_t(b.size()));
}

// "U+0041 U+0301 ..." so a failing string can be reproduced exactly; ill-formed bytes as <XX>.
QString codePoints(std::string_view s)
{
    QStringList parts;
    for (std::size_t pos = 0; pos < s.size();) {
        const Utf8Char c = readUtf8Char(s, pos);
        if (c.codePoint == U'\uFFFD' && s.substr(pos, 3) != "\xEF\xBF\xBD") {
            for (std::size_t i = 0; i < c.length; ++i)
                parts << QStringLiteral("<%1>").arg(quint8(s[pos + i]), 2, 16, QLatin1Char('0'));
        } else {
            parts << QStringLiteral("U+%1").arg(quint32(c.codePoint), 4, 16, QLatin1Char('0')).toUpper();
        }
        pos += c.length;
    }
    return parts.join(QLatin1Char(' '));
}

bool hasBom(std::string_view s)
{
    return s.find("\xEF\xBB\xBF") != std::string_view::npos;
}

QList<QByteArray> piecesOf(const PreTokenizer &splitter, std::string_view text)
{
    QList<QByteArray> pieces;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t end = splitter.pieceEnd(text, pos);
        if (end <= pos || end > text.size())
            return {QByteArrayLiteral("<splitter made no progress>")};
        pieces << bytes(text.substr(pos, end - pos));
        pos = end;
    }
    return pieces;
}

// Each ill-formed subsequence replaced by U+FFFD, as TextDecoder decodes the bytes.
QByteArray lossyDecoded(std::string_view s)
{
    QByteArray out;
    for (std::size_t pos = 0; pos < s.size();) {
        const Utf8Char c = readUtf8Char(s, pos);
        if (c.codePoint == U'\uFFFD')
            out += "\xEF\xBF\xBD";
        else
            out += bytes(s.substr(pos, c.length));
        pos += c.length;
    }
    return out;
}

// Rows generated from gpt-tokenizer by tests/reference/tokenizer_edge_cases.cjs.
struct EdgeCase {
    const char *name;
    const char *text;
    std::vector<quint32> cl100kIds;
    std::vector<const char *> cl100kPieces;
    std::vector<quint32> o200kIds;
    std::vector<const char *> o200kPieces;
};
struct InvalidUtf8Case {
    const char *name;
    const char *bytes;
    std::vector<const char *> cl100kPieces; // of the text as TextDecoder decodes it
    std::vector<const char *> o200kPieces;
};
#include "tokenizer_edge_cases.inc"

QList<QByteArray> toByteArrays(const std::vector<const char *> &strings)
{
    QList<QByteArray> out;
    for (const char *s : strings)
        out << QByteArray(s);
    return out;
}

struct NodeRun {
    QByteArray output;
    QString error; // empty on success
};

// Runs a tests/reference script with node and the pinned reference packages.
NodeRun runReferenceScript(const QString &script, const QStringList &args)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty())
        return {{}, QStringLiteral("node is not on PATH; ") + kSetupHint};
    const QString nodePath = QString::fromStdString(assetDir()) + QStringLiteral("/node-reference/node_modules");
    if (!QFile::exists(nodePath + QStringLiteral("/gpt-tokenizer/package.json")))
        return {{}, QStringLiteral("gpt-tokenizer is missing from %1; ").arg(nodePath) + kSetupHint};
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NODE_PATH"), nodePath);
    process.setProcessEnvironment(env);
    process.start(node, QStringList{QStringLiteral(RAG_SOURCE_DIR "/tests/reference/") + script} + args);
    if (!process.waitForFinished(120000))
        return {{}, QStringLiteral("node %1 did not finish: %2").arg(script, process.errorString())};
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return {{}, QStringLiteral("node %1 failed (exit %2): %3")
                        .arg(script)
                        .arg(process.exitCode())
                        .arg(QString::fromUtf8(process.readAllStandardError()))};
    return {process.readAllStandardOutput(), {}};
}

} // namespace

class TestBpeTokenizer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void testPlans_data();
    void testPlans();
    void edgeCases_data();
    void edgeCases();
    void preTokenizerPieces_data();
    void preTokenizerPieces();
    void invalidUtf8_data();
    void invalidUtf8();
    void decodeSpecialAndUnknownIds();
    void mergeStrategiesAgree_data();
    void mergeStrategiesAgree();
    void loadErrors_data();
    void loadErrors();
    void loadMissingAsset();
    void concurrentUse();
    void unicodeClassesMatchNode();
    void randomStringsMatchReference();

private:
    const BpeTokenizer &tokenizer(const QByteArray &encoding) const
    {
        return encoding == "cl100k_base" ? *m_cl100k : *m_o200k;
    }
    void addEdgeCaseRows();

    std::shared_ptr<const BpeTokenizer> m_cl100k;
    std::shared_ptr<const BpeTokenizer> m_o200k;
};

void TestBpeTokenizer::initTestCase()
{
    for (const char *name : {"cl100k_base", "o200k_base"}) {
        auto loaded = BpeTokenizer::load(name);
        // The NotFound error names the path and packaging/setup.sh.
        QVERIFY2(loaded.has_value(), loaded ? "" : loaded.error().message().c_str());
        QCOMPARE((*loaded)->encodingName(), std::string(name));
        (std::string_view(name) == "cl100k_base" ? m_cl100k : m_o200k) = *loaded;
    }
}

// data/TestPlans.txt of gpt-tokenizer, parsed as its GptEncoding.test.ts does: blocks
// separated by a blank line of "EncodingName: ", "Sample: ", "Encoded: [ids]".
void TestBpeTokenizer::testPlans_data()
{
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("sample");
    QTest::addColumn<QList<quint32>>("expected");
    QTest::addColumn<QString>("problem");

    const QString path = QString::fromStdString(assetDir()) + QStringLiteral("/gpt-tokenizer/data/TestPlans.txt");
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        QTest::newRow("TestPlans.txt") << QByteArray() << QByteArray() << QList<quint32>()
                                       << (path + QStringLiteral(" cannot be read; ") + kSetupHint);
        return;
    }
    int rows = 0;
    const QByteArray all = file.readAll();
    qsizetype start = 0;
    while (start <= all.size()) {
        qsizetype end = all.indexOf("\n\n", start);
        if (end < 0)
            end = all.size();
        const QList<QByteArray> lines = all.mid(start, end - start).split('\n');
        start = end + 2;
        if (lines.size() < 3 || lines[0].isEmpty() || lines[1].isEmpty() || lines[2].isEmpty())
            continue;
        const QByteArray encoding = lines[0].mid(lines[0].indexOf(": ") + 2);
        if (encoding != "cl100k_base" && encoding != "o200k_base")
            continue;
        const QByteArray sample = lines[1].mid(lines[1].indexOf(": ") + 2);
        QList<quint32> expected;
        for (const QJsonValue v : QJsonDocument::fromJson(lines[2].mid(lines[2].indexOf(": ") + 2)).array())
            expected << quint32(v.toInteger());
        QTest::addRow("%s #%d", encoding.constData(), ++rows) << encoding << sample << expected << QString();
    }
    if (rows < 100) // 64 cl100k_base + 57 o200k_base plans in gpt-tokenizer 4.0.0
        QTest::newRow("plan count") << QByteArray() << QByteArray() << QList<quint32>()
                                    << QStringLiteral("only %1 cl100k/o200k plans in %2").arg(rows).arg(path);
}

void TestBpeTokenizer::testPlans()
{
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, sample);
    QFETCH(QList<quint32>, expected);
    QFETCH(QString, problem);
    if (!problem.isEmpty())
        QFAIL(qPrintable(problem));
    const BpeTokenizer &t = tokenizer(encoding);
    const std::vector<std::uint32_t> ids = t.encode(view(sample));
    QCOMPARE(toList(ids), expected);
    QCOMPARE(t.countTokens(view(sample)), std::size_t(expected.size()));
    QCOMPARE(bytes(t.decode(ids)), sample);
}

void TestBpeTokenizer::addEdgeCaseRows()
{
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<quint32>>("ids");
    QTest::addColumn<QList<QByteArray>>("pieces");
    for (const EdgeCase &c : kEdgeCases) {
        QTest::addRow("cl100k_base: %s", c.name) << QByteArray("cl100k_base") << QByteArray(c.text)
                                                 << QList<quint32>(c.cl100kIds.begin(), c.cl100kIds.end())
                                                 << toByteArrays(c.cl100kPieces);
        QTest::addRow("o200k_base: %s", c.name) << QByteArray("o200k_base") << QByteArray(c.text)
                                                << QList<quint32>(c.o200kIds.begin(), c.o200kIds.end())
                                                << toByteArrays(c.o200kPieces);
    }
}

// Ids from gpt-tokenizer (generated by tests/reference/tokenizer_edge_cases.cjs).
void TestBpeTokenizer::edgeCases_data()
{
    addEdgeCaseRows();
}

void TestBpeTokenizer::edgeCases()
{
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, text);
    QFETCH(QList<quint32>, ids);
    const BpeTokenizer &t = tokenizer(encoding);
    const std::vector<std::uint32_t> encoded = t.encode(view(text));
    QVERIFY2(toList(encoded) == ids, qPrintable(QStringLiteral("ids differ for %1").arg(codePoints(view(text)))));
    QCOMPARE(t.countTokens(view(text)), std::size_t(ids.size()));
    if (!hasBom(view(text))) // the reference may drop a BOM (BpeTokenizer::encode)
        QCOMPARE(bytes(t.decode(encoded)), text);
}

// The split regexes' pieces, from the regexes themselves (String.prototype.matchAll).
void TestBpeTokenizer::preTokenizerPieces_data()
{
    addEdgeCaseRows();
}

void TestBpeTokenizer::preTokenizerPieces()
{
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, text);
    QFETCH(QList<QByteArray>, pieces);
    const PreTokenizer splitter(encoding == "cl100k_base" ? SplitPattern::Cl100k : SplitPattern::O200k);
    QCOMPARE(piecesOf(splitter, view(text)), pieces);
}

// Ill-formed UTF-8: split as gpt-tokenizer splits the TextDecoder-decoded text, raw bytes kept.
void TestBpeTokenizer::invalidUtf8_data()
{
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<QByteArray>>("decodedPieces");
    for (const InvalidUtf8Case &c : kInvalidUtf8Cases) {
        QTest::addRow("cl100k_base: %s", c.name) << QByteArray("cl100k_base") << QByteArray(c.bytes)
                                                 << toByteArrays(c.cl100kPieces);
        QTest::addRow("o200k_base: %s", c.name) << QByteArray("o200k_base") << QByteArray(c.bytes)
                                                << toByteArrays(c.o200kPieces);
    }
}

void TestBpeTokenizer::invalidUtf8()
{
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, text);
    QFETCH(QList<QByteArray>, decodedPieces);
    const BpeTokenizer &t = tokenizer(encoding);
    const PreTokenizer splitter(encoding == "cl100k_base" ? SplitPattern::Cl100k : SplitPattern::O200k);
    QList<QByteArray> lossyPieces;
    for (const QByteArray &piece : piecesOf(splitter, view(text)))
        lossyPieces << lossyDecoded(view(piece));
    QCOMPARE(lossyPieces, decodedPieces);

    const std::vector<std::uint32_t> ids = t.encode(view(text));
    QCOMPARE(bytes(t.decode(ids)), text);
    QCOMPARE(t.countTokens(view(text)), ids.size());
    // Every piece is encoded on its own: the ids are the concatenation of the pieces' ids.
    std::vector<std::uint32_t> joined;
    for (const QByteArray &piece : piecesOf(splitter, view(text))) {
        const std::vector<std::uint32_t> p = t.encode(view(piece));
        joined.insert(joined.end(), p.begin(), p.end());
    }
    QCOMPARE(toList(ids), toList(joined));
}

void TestBpeTokenizer::decodeSpecialAndUnknownIds()
{
    // gpt-tokenizer: decode([100257]) === '<|endoftext|>' (cl100k), [199999] (o200k).
    const std::vector<std::uint32_t> cl{9906, 100257, 100276, 100264};
    QCOMPARE(m_cl100k->decode(cl), std::string("Hello<|endoftext|><|endofprompt|><|im_start|>"));
    const std::vector<std::uint32_t> o{13225, 199999, 200006};
    QCOMPARE(m_o200k->decode(o), std::string("Hello<|endoftext|><|endofprompt|>"));
    // 100256 is a hole in cl100k (neither rank nor special token); far ids likewise: nothing.
    const std::vector<std::uint32_t> unknown{9906, 100256, 4000000000u, 1917};
    QCOMPARE(m_cl100k->decode(unknown), std::string("Hello world"));
    // Tokens that begin with U+FEFF are never produced but decode to their bytes.
    const std::vector<std::uint32_t> bom{3305, 4117};
    QCOMPARE(m_cl100k->decode(bom), std::string("\xEF\xBB\xBF\xEF\xBB\xBFusing"));
    QCOMPARE(m_cl100k->decode({}), std::string());
    // Ids that split a character decode to its bytes (here the 4 bytes of U+1F642 in two ids).
    const std::vector<std::uint32_t> emoji = m_cl100k->encode("\xF0\x9F\x99\x82");
    QVERIFY(emoji.size() >= 2);
    const std::string first = m_cl100k->decode(std::span(emoji).first(1));
    QVERIFY(!first.empty() && first.size() < 4);
    QCOMPARE(first, std::string("\xF0\x9F\x99\x82").substr(0, first.size()));
}

// The heap merge (long pieces) must reproduce the linear merge exactly, ties included.
void TestBpeTokenizer::mergeStrategiesAgree_data()
{
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("piece");
    std::mt19937 rng(12345);
    const QList<QByteArray> alphabets{"ab", "abc ", "aaab", "0123456789", "etaoinshrdlu", " \n\t"};
    for (const char *encoding : {"cl100k_base", "o200k_base"}) {
        QTest::addRow("%s: repeated a", encoding) << QByteArray(encoding) << QByteArray(300, 'a');
        QTest::addRow("%s: CJK", encoding) << QByteArray(encoding)
                                           << QString::fromUtf8("検索拡張生成の評価と比較").repeated(20).toUtf8();
        QTest::addRow("%s: emoji", encoding) << QByteArray(encoding) << QByteArray("\xF0\x9F\x99\x82").repeated(60);
        for (int i = 0; i < 40; ++i) {
            const QByteArray &alphabet = alphabets[i % alphabets.size()];
            QByteArray piece;
            const int length = 2 + int(rng() % 400);
            for (int k = 0; k < length; ++k)
                piece += alphabet[int(rng() % unsigned(alphabet.size()))];
            QTest::addRow("%s: random %d", encoding, i) << QByteArray(encoding) << piece;
        }
        QByteArray allBytes;
        for (int b = 0; b < 256; ++b)
            allBytes += char(b);
        QTest::addRow("%s: all bytes", encoding) << QByteArray(encoding) << allBytes + allBytes;
    }
}

void TestBpeTokenizer::mergeStrategiesAgree()
{
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, piece);
    auto loaded = BpeRankTable::loadFile(assetDir() + "/gpt-tokenizer/data/" + encoding.toStdString() + ".tiktoken");
    QVERIFY2(loaded.has_value(), qPrintable(kSetupHint));
    std::vector<std::uint32_t> linear, heap;
    bytePairMerge(*loaded, view(piece), linear, MergeStrategy::Linear);
    bytePairMerge(*loaded, view(piece), heap, MergeStrategy::Heap);
    QCOMPARE(toList(heap), toList(linear));
    std::string rebuilt;
    for (const std::uint32_t id : linear) {
        QVERIFY(id != BpeRankTable::kNoRank);
        rebuilt += loaded->bytes(id);
    }
    QCOMPARE(bytes(rebuilt), piece);
}

void TestBpeTokenizer::loadErrors_data()
{
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("sourceSuffix");

    QByteArray allBytes; // a minimal valid table: the 256 single bytes
    for (int b = 0; b < 256; ++b)
        allBytes += QByteArray(1, char(b)).toBase64() + ' ' + QByteArray::number(b) + '\n';
    QTest::newRow("unknown encoding") << "p50k_base" << allBytes << int(ErrorCode::Unsupported) << "tokenizer";
    QTest::newRow("empty file") << "cl100k_base" << QByteArray() << int(ErrorCode::Empty) << ".tiktoken";
    QTest::newRow("no space") << "cl100k_base" << QByteArray("IQ==0\n") << int(ErrorCode::Parse) << ".tiktoken:1";
    QTest::newRow("bad base64") << "cl100k_base" << QByteArray("IQ== 0\n!!! 1\n") << int(ErrorCode::Parse)
                                << ".tiktoken:2";
    QTest::newRow("bad rank") << "cl100k_base" << QByteArray("IQ== 0\nIg== x1\n") << int(ErrorCode::Parse)
                              << ".tiktoken:2";
    QTest::newRow("huge rank") << "cl100k_base" << QByteArray("IQ== 4000000000\n") << int(ErrorCode::Parse)
                               << ".tiktoken:1";
    QTest::newRow("duplicate rank") << "cl100k_base" << allBytes + "YWI= 255\n" << int(ErrorCode::Corrupt)
                                    << ".tiktoken";
    QTest::newRow("duplicate token") << "cl100k_base" << allBytes + "IQ== 300\n" << int(ErrorCode::Corrupt)
                                     << ".tiktoken";
    QTest::newRow("missing byte") << "cl100k_base" << QByteArray("IQ== 0\nYWI= 1\n") << int(ErrorCode::Corrupt)
                                  << ".tiktoken";
    QTest::newRow("wrong vocabulary") << "cl100k_base" << allBytes << int(ErrorCode::Mismatch) << ".tiktoken";
}

void TestBpeTokenizer::loadErrors()
{
    QFETCH(QString, encoding);
    QFETCH(QByteArray, content);
    QFETCH(int, code);
    QFETCH(QString, sourceSuffix);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("ranks.tiktoken"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    const auto loaded = BpeTokenizer::loadFromFile(encoding.toStdString(), path.toStdString());
    QVERIFY(!loaded.has_value());
    QCOMPARE(int(loaded.error().code), code);
    QVERIFY2(QString::fromStdString(loaded.error().source).endsWith(sourceSuffix),
             loaded.error().message().c_str());
    QVERIFY(!loaded.error().detail.empty());
}

void TestBpeTokenizer::loadMissingAsset()
{
    // A file of another encoding is refused, not silently used.
    const auto wrong = BpeTokenizer::loadFromFile("o200k_base", assetDir() + "/gpt-tokenizer/data/cl100k_base.tiktoken");
    QVERIFY(!wrong.has_value());
    QCOMPARE(wrong.error().code, ErrorCode::Mismatch);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    qputenv("RAGWB_ASSET_DIR", dir.path().toUtf8());
    const auto missing = BpeTokenizer::load("cl100k_base");
    qunsetenv("RAGWB_ASSET_DIR");
    QVERIFY(!missing.has_value());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QCOMPARE(missing.error().source, dir.path().toStdString() + "/gpt-tokenizer/data/cl100k_base.tiktoken");
    QVERIFY2(missing.error().detail.find("packaging/setup.sh") != std::string::npos, missing.error().detail.c_str());
}

// One instance, many threads: every thread must get the single-threaded answer.
void TestBpeTokenizer::concurrentUse()
{
    QStringList texts;
    for (int i = 0; i < 64; ++i)
        texts << QStringLiteral("Document %1: retrieval-augmented generation, 検索 %2 — naïve café 🙂 it's x%3\n\n")
                     .arg(i)
                     .arg(i * 7919)
                     .repeated(1 + i % 9)
                     .arg(i);
    for (const auto &t : {m_cl100k, m_o200k}) {
        QList<QList<quint32>> expected;
        for (const QString &text : texts)
            expected << toList(t->encode(text.toStdString()));
        QThreadPool pool;
        pool.setMaxThreadCount(4);
        const QList<QList<quint32>> parallel =
            QtConcurrent::blockingMapped(&pool, texts, [t](const QString &text) {
                return toList(t->encode(text.toStdString()));
            });
        QCOMPARE(parallel, expected);
    }
}

// The class table was generated from node; node must still agree on every code point.
void TestBpeTokenizer::unicodeClassesMatchNode()
{
    const NodeRun run = runReferenceScript(QStringLiteral("tokenizer_unicode_table.cjs"), {});
    QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
    const QJsonObject root = QJsonDocument::fromJson(run.output).object();
    const QJsonArray runs = root.value(QStringLiteral("runs")).toArray();
    QVERIFY2(runs.size() > 1000, "the reference printed no class table");
    QStringList differences;
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const QJsonArray r = runs[i].toArray();
        const char32_t first = char32_t(r[0].toInteger());
        const char32_t last = i + 1 < runs.size() ? char32_t(runs[i + 1].toArray()[0].toInteger()) - 1 : 0x10FFFF;
        const auto cls = CharClass(r[1].toInt());
        for (char32_t cp = first; cp <= last; ++cp) {
            if (charClass(cp) != cls && differences.size() < 20)
                differences << QStringLiteral("U+%1 node %2 table %3")
                                   .arg(quint32(cp), 4, 16, QLatin1Char('0'))
                                   .arg(int(cls))
                                   .arg(int(charClass(cp)));
        }
    }
    QVERIFY2(differences.isEmpty(),
             qPrintable(QStringLiteral("node (Unicode %1) and the table (Unicode %2) differ; regenerate "
                                       "core/tokenize/unicodeclass_table.inc: ")
                            .arg(root.value(QStringLiteral("unicode")).toString(),
                                 QString::fromLatin1(charClassUnicodeVersion()))
                        + differences.join(QStringLiteral(", "))));
}

// >= 500 seeded random strings, ids from gpt-tokenizer computed now.
void TestBpeTokenizer::randomStringsMatchReference()
{
    const NodeRun run = runReferenceScript(QStringLiteral("tokenizer_reference.cjs"), {});
    QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
    QJsonParseError parseError;
    const QJsonObject root = QJsonDocument::fromJson(run.output, &parseError).object();
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    const QJsonArray cases = root.value(QStringLiteral("cases")).toArray();
    QVERIFY2(cases.size() >= 500, qPrintable(QStringLiteral("only %1 reference strings").arg(cases.size())));

    QStringList failures;
    qsizetype compared = 0;
    for (const QJsonValue c : cases) {
        const QJsonObject obj = c.toObject();
        // The exact bytes; QJsonDocument would drop a leading U+FEFF from "text".
        const std::string text =
            QByteArray::fromBase64(obj.value(QStringLiteral("utf8")).toString().toLatin1()).toStdString();
        for (const char *encoding : {"cl100k_base", "o200k_base"}) {
            QList<quint32> expected;
            for (const QJsonValue id : obj.value(QLatin1String(encoding)).toArray())
                expected << quint32(id.toInteger());
            const BpeTokenizer &t = tokenizer(encoding);
            const std::vector<std::uint32_t> ids = t.encode(text);
            ++compared;
            const bool roundTrips = hasBom(text) || t.decode(ids) == text; // the reference may drop a BOM
            if (toList(ids) != expected || t.countTokens(text) != ids.size() || !roundTrips) {
                if (failures.size() < 10)
                    failures << QStringLiteral("%1 [%2]").arg(QLatin1String(encoding), codePoints(text).left(600));
            }
        }
    }
    QCOMPARE(compared, cases.size() * 2);
    QVERIFY2(failures.isEmpty(), qPrintable(QStringLiteral("ids differ from %1 for: ")
                                                .arg(root.value(QStringLiteral("generator")).toString())
                                            + failures.join(QStringLiteral("\n"))));
}

QTEST_GUILESS_MAIN(TestBpeTokenizer)
#include "tst_bpetokenizer.moc"
