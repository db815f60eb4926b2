// use-lite against its reference: the TF.js implementation (@energetic-ai/embeddings
// 0.2.0, run by tests/reference/uselite_embed.cjs on the same model files) embeds
// 100+ varied texts and the C++ engine must give the same token ids and vectors
// within cosine >= 0.9999 and max |difference| <= 1e-4. Also: identity and weights
// hash, truncation, batching, progress, cancellation, and every load failure.
#include "core/common/assets.h"
#include "core/embed/uselite.h"
#include "core/embed/sentencepiecetokenizer.h"
#include "core/embed/uselitemodel.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

using namespace rag;

namespace {

const char *const kSetupHint = "; run packaging/setup.sh";

// Hand-picked inputs for every path through the tokenizer and the model.
const std::vector<std::string> kVariedTexts = {
    "",
    " ",
    "   ",
    "\t",
    "\n",
    " \t\n ",
    "a",
    "The quick brown fox jumps over the lazy dog.",
    "hello world",
    "Hello, World!",
    "HELLO WORLD",
    "  leading and trailing spaces  ",
    "multiple    spaces   between     words",
    "Line one.\nLine two.\r\nLine three.",
    "Tabs\tseparate\tthese\tcolumns",
    "What's the weather like in New York today?",
    "I can't believe it's not butter!",
    "\"Quoted text,\" she said; (parenthetical) [bracketed] {braced}.",
    "Wait... what?! Really?!?",
    "--- *** ### @@@ !!! ???",
    "Smileys :) :( :-) and a URL: https://example.com/path?q=1&r=2",
    "Time 12:30:45, ratio 3:1, key: value",
    "e-mail me at someone@example.org or call +1 (555) 010-9999",
    "naïve café résumé façade jalapeño",
    "Über straße Größe Ärger öffnen",
    "El niño comió piña en la mañana",
    "cafe\xcc\x81 (combining acute accent)",
    "ﬁnancial ﬂow with ligatures",
    "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３",
    "x² + y³ = z⁴, H₂O, ½ cup, ⅓",
    "Ⅻ chapters, ① item, ㈱ company",
    "東京は日本の首都です。",
    "我爱自然语言处理和机器学习。",
    "한국어 문장도 포함합니다.",
    "Emoji 😀😃😄 and hearts ❤️💙",
    "Family 👨‍👩‍👧‍👦 flags 🇫🇷🇯🇵 skin 👍🏽",
    "🚀",
    "Numbers: 0 1 2 3 42 3.14159 -273.15 1e-9 1,000,000",
    "2023-11-21T06:00:00Z and 21/11/2023",
    "Version 1.2.3-beta+build.45",
    "Привет, мир! Как дела?",
    "Γειά σου Κόσμε",
    "مرحبا بالعالم",
    "שלום עולם",
    "नमस्ते दुनिया",
    "สวัสดีชาวโลก",
    "int main() { return 0; } // C++ code",
    "SELECT * FROM users WHERE id = 42;",
    "∀x ∈ ℝ: x² ≥ 0 ⇒ √(x²) = |x|",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "\xe2\x96\x81 already has the word-prefix symbol",
    "replacement char \xef\xbf\xbd in text",
    "zero\xe2\x80\x8bwidth space and soft\xc2\xadhyphen",
    "non-breaking\xc2\xa0space",
    "MiXeD CaSe TeXt",
    "Supercalifragilisticexpialidocious antidisestablishmentarianism",
    "COVID-19 vaccines and SARS-CoV-2 spike proteins (mRNA-1273, BNT162b2)",
    "p < 0.05, n = 1,234, 95% CI [1.2, 3.4]",
};

struct Reference {
    std::vector<std::vector<std::int32_t>> ids;
    std::vector<std::vector<float>> vectors;
};

std::vector<std::string> readJsonLines(const QString &path, int limit, const std::function<std::string(const QJsonObject &)> &field)
{
    std::vector<std::string> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return out;
    while (!file.atEnd() && int(out.size()) < limit) {
        const QJsonObject object = QJsonDocument::fromJson(file.readLine()).object();
        if (!object.isEmpty())
            out.push_back(field(object));
    }
    return out;
}

double cosine(const float *a, const float *b, int n)
{
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < n; ++i) {
        ab += double(a[i]) * b[i];
        aa += double(a[i]) * a[i];
        bb += double(b[i]) * b[i];
    }
    return ab / std::sqrt(aa * bb);
}

double maxAbsDiff(const float *a, const float *b, int n)
{
    double worst = 0;
    for (int i = 0; i < n; ++i)
        worst = std::max(worst, std::abs(double(a[i]) - double(b[i])));
    return worst;
}

std::vector<std::string_view> views(const std::vector<std::string> &texts)
{
    return {texts.begin(), texts.end()};
}

} // namespace

class TestUseLite : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void tokenIdsMatchReference_data();
    void tokenIdsMatchReference();
    void vectorsMatchReference_data();
    void vectorsMatchReference();
    void worstCaseAgreement();
    void knownTokenIds_data();
    void knownTokenIds();
    void syntheticVocabularyMatchesReference();
    void identityAndWeightsHash();
    void rowsAreUnitLength();
    void longTextsAreCutToMaxTokens();
    void batchingDoesNotChangeVectors();
    void emptyInputGivesNoRows();
    void progressAndCancellation();
    void loadFailures_data();
    void loadFailures();
    void defaultLocalEmbedder();

private:
    Reference runReference(const std::vector<std::string> &texts, int batchSize);

    std::string m_modelDir;
    std::unique_ptr<UseLiteEmbedder> m_embedder;
    std::vector<std::string> m_texts;
    Reference m_reference;
    std::vector<float> m_vectors;  // C++ vectors of m_texts, embedded as one call
};

// Runs tests/reference/<script> on `input` (written as IN.json) and returns its
// OUT.json; an empty object after a QFAIL-style failure has been recorded.
QJsonObject runNodeScript(const char *script, const QJsonObject &input)
{
    const QString nodeModules = QString::fromStdString(assetDir() + "/node-reference/node_modules");
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty() || !QDir(nodeModules + "/@energetic-ai/embeddings").exists()) {
        QTest::qFail(qPrintable("node or the @energetic-ai reference packages are missing in " + nodeModules
                                + kSetupHint),
                     __FILE__, __LINE__);
        return {};
    }
    QTemporaryDir dir;
    QFile inFile(dir.filePath("in.json"));
    if (!inFile.open(QIODevice::WriteOnly))
        return {};
    inFile.write(QJsonDocument(input).toJson(QJsonDocument::Compact));
    inFile.close();

    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NODE_PATH"), nodeModules);
    process.setProcessEnvironment(env);
    process.start(node, {QStringLiteral(RAG_SOURCE_DIR "/tests/reference/") + script, dir.filePath("in.json"),
                         dir.filePath("out.json")});
    if (!process.waitForFinished(240000) || process.exitCode() != 0) {
        QTest::qFail(qPrintable(QString(script) + " failed: " + process.readAllStandardError()), __FILE__, __LINE__);
        return {};
    }
    QFile outFile(dir.filePath("out.json"));
    if (!outFile.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(outFile.readAll()).object();
}

std::vector<std::vector<std::int32_t>> idRows(const QJsonValue &rows)
{
    std::vector<std::vector<std::int32_t>> out;
    for (const QJsonValue &row : rows.toArray()) {
        std::vector<std::int32_t> ids;
        for (const QJsonValue &id : row.toArray())
            ids.push_back(id.toInt());
        out.push_back(std::move(ids));
    }
    return out;
}

Reference TestUseLite::runReference(const std::vector<std::string> &texts, int batchSize)
{
    QJsonArray textArray;
    for (const std::string &text : texts)
        textArray.append(QString::fromStdString(text));
    const QJsonObject output = runNodeScript("uselite_embed.cjs", {{"modelDir", QString::fromStdString(m_modelDir)},
                                                                   {"texts", textArray},
                                                                   {"batchSize", batchSize}});
    Reference reference;
    reference.ids = idRows(output.value("ids"));
    for (const QJsonValue &row : output.value("vectors").toArray()) {
        std::vector<float> vector;
        for (const QJsonValue &value : row.toArray())
            vector.push_back(float(value.toDouble()));
        reference.vectors.push_back(std::move(vector));
    }
    return reference;
}

void TestUseLite::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_modelDir = defaultUseLiteDir();
    auto embedder = UseLiteEmbedder::load(m_modelDir);
    QVERIFY2(embedder.has_value(), qPrintable(QString::fromStdString(
                                       (embedder ? std::string() : embedder.error().message()) + kSetupHint)));
    m_embedder = std::move(*embedder);

    m_texts = kVariedTexts;
    const QString scifact = QStringLiteral(RAG_SHARED_DIR "/datasets/scifact/");
    const auto abstracts = readJsonLines(scifact + "corpus.jsonl", 40, [](const QJsonObject &o) {
        return (o.value("title").toString() + " " + o.value("text").toString()).toStdString();
    });
    const auto queries = readJsonLines(scifact + "queries.jsonl", 20,
                                       [](const QJsonObject &o) { return o.value("text").toString().toStdString(); });
    QVERIFY2(abstracts.size() == 40 && queries.size() == 20, "SciFact is missing from " RAG_SHARED_DIR "/datasets");
    m_texts.insert(m_texts.end(), abstracts.begin(), abstracts.end());
    m_texts.insert(m_texts.end(), queries.begin(), queries.end());
    std::string veryLong;
    for (int i = 0; i < 12; ++i)
        veryLong += abstracts[std::size_t(i)] + "\n\n";
    m_texts.push_back(veryLong);
    m_texts.push_back("");  // an empty text last in the batch as well as first
    QVERIFY(m_texts.size() >= 100);
    QVERIFY(m_embedder->tokenize(veryLong).size() > 10 * std::size_t(m_embedder->maxTokens()));

    m_reference = runReference(m_texts, 16);
    QCOMPARE(m_reference.ids.size(), m_texts.size());
    QCOMPARE(m_reference.vectors.size(), m_texts.size());

    const auto texts = views(m_texts);
    auto vectors = m_embedder->embed(texts, JobContext());
    QVERIFY(vectors.has_value());
    QCOMPARE(vectors->size(), m_texts.size() * 512);
    m_vectors = std::move(*vectors);
}

void TestUseLite::tokenIdsMatchReference_data()
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < m_texts.size(); ++i) {
        QString preview = QString::fromStdString(m_texts[i]).left(40);
        preview.replace('\n', "\\n").replace('\r', "\\r").replace('\t', "\\t");
        QTest::addRow("%zu: \"%s\"", i, preview.toUtf8().constData()) << int(i);
    }
}

void TestUseLite::tokenIdsMatchReference()
{
    QFETCH(int, index);
    QCOMPARE(m_embedder->tokenize(m_texts[std::size_t(index)]), m_reference.ids[std::size_t(index)]);
}

void TestUseLite::vectorsMatchReference_data()
{
    tokenIdsMatchReference_data();
}

void TestUseLite::vectorsMatchReference()
{
    QFETCH(int, index);
    const std::vector<float> &expected = m_reference.vectors[std::size_t(index)];
    QCOMPARE(int(expected.size()), 512);
    const float *actual = m_vectors.data() + std::size_t(index) * 512;
    const double cos = cosine(actual, expected.data(), 512);
    const double diff = maxAbsDiff(actual, expected.data(), 512);
    QVERIFY2(cos >= 0.9999, qPrintable(QStringLiteral("cosine %1").arg(cos, 0, 'g', 8)));
    QVERIFY2(diff <= 1e-4, qPrintable(QStringLiteral("max |diff| %1").arg(diff, 0, 'g', 4)));
}

// The same bounds over all texts at once, printed for the record.
void TestUseLite::worstCaseAgreement()
{
    double worstCosine = 1, worstDiff = 0;
    for (std::size_t i = 0; i < m_texts.size(); ++i) {
        worstCosine = std::min(worstCosine, cosine(m_vectors.data() + i * 512, m_reference.vectors[i].data(), 512));
        worstDiff = std::max(worstDiff, maxAbsDiff(m_vectors.data() + i * 512, m_reference.vectors[i].data(), 512));
    }
    qInfo("%zu texts: worst cosine %.9f, worst max |diff| %.3g", m_texts.size(), worstCosine, worstDiff);
    QVERIFY(worstCosine >= 0.9999);
    QVERIFY(worstDiff <= 1e-4);
}

// Ids the reference printed for these texts (independent of node at test time).
void TestUseLite::knownTokenIds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::vector<std::int32_t>>("ids");
    QTest::newRow("empty") << QString() << std::vector<std::int32_t>{};
    QTest::newRow("space") << QStringLiteral(" ") << std::vector<std::int32_t>{30, 30};
    QTest::newRow("hello world") << QStringLiteral("hello world") << std::vector<std::int32_t>{2002, 102, 311};
    QTest::newRow("punctuation") << QStringLiteral("Hello, World!") << std::vector<std::int32_t>{341, 4125, 8, 1369, 78};
    QTest::newRow("emoji") << QStringLiteral("😀 emoji") << std::vector<std::int32_t>{30, 0, 299, 451, 2501};
    QTest::newRow("cjk merged unknown") << QStringLiteral("東京") << std::vector<std::int32_t>{30, 0};
    QTest::newRow("accents") << QStringLiteral("naïve café") << std::vector<std::int32_t>{1216, 0, 105, 976, 209, 1133};
}

void TestUseLite::knownTokenIds()
{
    QFETCH(QString, text);
    QFETCH(std::vector<std::int32_t>, ids);
    QCOMPARE(m_embedder->tokenize(text.toStdString()), ids);
    QCOMPARE(m_embedder->tokenizer().countTokens(text.toStdString()), ids.size());
}

// A small vocabulary made to reach the reference's corner cases, on 400 random
// strings: equal-score segmentations (ties go to the later start), null scores
// (count as 0, and a best of 0 counts as unset), an unknown piece whose text is
// five UTF-16 units long (the backtrack steps back by that), pieces holding an
// emoji (two UTF-16 units for one code point), runs of unknown code points, NFKC
// (the no-break space becomes a space, so a word boundary).
void TestUseLite::syntheticVocabularyMatchesReference()
{
    QTemporaryDir dir;
    const QString vocabularyPath = dir.filePath("vocab.json");
    QFile vocabulary(vocabularyPath);
    QVERIFY(vocabulary.open(QIODevice::WriteOnly));
    vocabulary.write(R"([["<unk>",0],["<s>",0],["</s>",0],["e1",0],["e2",0],["e3",0],["\u2581",-1.5],["a",-1.0],)"
                     R"(["b",-1.2],["aa",-2.0],["ab",-2.1],["abc",-2.5],["bc",-1.9],["\ud83d\ude00",-3.0],)"
                     R"(["a\ud83d\ude00",-2.0],["\ud83d\ude00b",null],[":",null],["\u2581:",null],["\u2581a",-1.4],)"
                     R"(["\u2581b",-2.2],["ba",-2.2],["cc",-0.5],["a:b",-0.25]])");
    vocabulary.close();
    auto tokenizer = SentencePieceTokenizer::load(vocabularyPath.toStdString());
    QVERIFY2(tokenizer.has_value(), tokenizer ? "" : tokenizer.error().message().c_str());

    const std::vector<std::string> alphabet = {"a", "b", "c", " ", "\xf0\x9f\x98\x80", ":", "x", "\xc3\xa9", "\xc2\xa0", "aa"};
    std::mt19937 random(20240611);
    std::vector<std::string> texts = {"", " ", "abc", "a\xf0\x9f\x98\x80" "b", "xx\xf0\x9f\x98\x80", "cc cc", "a:b:a"};
    while (texts.size() < 400) {
        std::string text;
        const int length = int(random() % 13);
        for (int i = 0; i < length; ++i)
            text += alphabet[random() % alphabet.size()];
        texts.push_back(std::move(text));
    }
    QJsonArray textArray;
    for (const std::string &text : texts)
        textArray.append(QString::fromStdString(text));
    const auto expected =
        idRows(runNodeScript("uselite_tokenize.cjs", {{"vocabularyPath", vocabularyPath}, {"texts", textArray}})
                   .value("ids"));
    QCOMPARE(expected.size(), texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i)
        QVERIFY2(tokenizer->encode(texts[i]) == expected[i], qPrintable(QString::fromStdString(texts[i])));
    QCOMPARE(tokenizer->encode("abc"), std::vector<std::int32_t>{0});  // the backtrack jumps over "▁ab"
}

void TestUseLite::identityAndWeightsHash()
{
    const EmbedderIdentity id = m_embedder->identity();
    QCOMPARE(id.name, std::string("use-lite"));
    QCOMPARE(id.version, std::string("1"));
    QCOMPARE(id.dimension, 512);
    QCOMPARE(id.kind, EmbedderKind::Neural);
    QCOMPARE(m_embedder->maxTokens(), 128);

    // sha256 of model.json then the shards, computed here independently.
    const QString dir = QString::fromStdString(m_modelDir);
    QFile model(dir + "/model.json");
    QVERIFY(model.open(QIODevice::ReadOnly));
    const QByteArray modelBytes = model.readAll();
    QCryptographicHash sha(QCryptographicHash::Sha256);
    sha.addData(modelBytes);
    const QJsonArray paths =
        QJsonDocument::fromJson(modelBytes).object().value("weightsManifest").toArray().at(0).toObject().value("paths").toArray();
    QCOMPARE(paths.size(), 7);
    for (const QJsonValue &path : paths) {
        QFile shard(dir + "/" + path.toString());
        QVERIFY(shard.open(QIODevice::ReadOnly));
        sha.addData(shard.readAll());
    }
    QCOMPARE(id.weightsHash, sha.result().toHex().toStdString());
    QCOMPARE(id.key(), "use-lite@1#" + id.weightsHash.substr(0, 12) + "/512");
}

void TestUseLite::rowsAreUnitLength()
{
    for (std::size_t i = 0; i < m_texts.size(); ++i) {
        const float *row = m_vectors.data() + i * 512;
        double norm = 0;
        for (int d = 0; d < 512; ++d)
            norm += double(row[d]) * row[d];
        QVERIFY2(std::abs(std::sqrt(norm) - 1.0) < 1e-5, qPrintable(QString::number(i)));
    }
}

// Only the first 128 tokens count: what follows them changes nothing.
void TestUseLite::longTextsAreCutToMaxTokens()
{
    const std::string &longText = m_texts[kVariedTexts.size() + 40 + 20];
    const std::vector<std::string> texts = {longText, longText + " An entirely different ending about astronomy.",
                                            longText.substr(0, longText.size() / 2)};
    for (const std::string &text : texts)
        QVERIFY(m_embedder->tokenize(text).size() > 200);
    auto vectors = m_embedder->embed(views(texts), JobContext());
    QVERIFY(vectors.has_value());
    QCOMPARE(maxAbsDiff(vectors->data(), vectors->data() + 512, 512), 0.0);
    QCOMPARE(maxAbsDiff(vectors->data(), vectors->data() + 1024, 512), 0.0);
    // ... while a short text is not cut.
    const std::vector<std::string> shortTexts = {"a short sentence", "a short sentence about astronomy"};
    auto shortVectors = m_embedder->embed(views(shortTexts), JobContext());
    QVERIFY(shortVectors.has_value());
    QVERIFY(maxAbsDiff(shortVectors->data(), shortVectors->data() + 512, 512) > 1e-3);
}

// One call over everything, and one call per text, give the same rows.
void TestUseLite::batchingDoesNotChangeVectors()
{
    for (std::size_t i = 0; i < m_texts.size(); i += 7) {
        const std::string_view text = m_texts[i];
        auto single = m_embedder->embed(std::span<const std::string_view>(&text, 1), JobContext());
        QVERIFY(single.has_value());
        QVERIFY2(maxAbsDiff(single->data(), m_vectors.data() + i * 512, 512) <= 1e-5, qPrintable(QString::number(i)));
    }
}

void TestUseLite::emptyInputGivesNoRows()
{
    auto vectors = m_embedder->embed({}, JobContext());
    QVERIFY(vectors.has_value());
    QVERIFY(vectors->empty());
}

void TestUseLite::progressAndCancellation()
{
    std::vector<std::string> texts;
    for (int i = 0; i < 64; ++i)
        texts.push_back(m_texts[kVariedTexts.size() + std::size_t(i % 40)]);  // ~64 x 128 tokens: 4 batches
    std::vector<ProgressReport> reports;
    CancelToken token;
    auto vectors = m_embedder->embed(views(texts), JobContext(token, [&](const ProgressReport &r) { reports.push_back(r); }));
    QVERIFY(vectors.has_value());
    QVERIFY(!reports.empty());
    QCOMPARE(reports.back().done, std::int64_t(64));
    QCOMPARE(reports.back().total, std::int64_t(64));
    QCOMPARE(reports.back().stage, std::string("embedding"));

    // Cancelled after the first batch: the call stops there and says so.
    CancelToken cancelAfterFirst;
    std::int64_t lastDone = 0;
    auto cancelled = m_embedder->embed(views(texts), JobContext(cancelAfterFirst, [&](const ProgressReport &r) {
                                           lastDone = r.done;
                                           cancelAfterFirst.cancel();
                                       }));
    QVERIFY(!cancelled.has_value());
    QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
    QVERIFY(lastDone > 0 && lastDone < 64);

    CancelToken already;
    already.cancel();
    auto none = m_embedder->embed(views(texts), JobContext(already, {}));
    QVERIFY(!none.has_value());
    QCOMPARE(none.error().code, ErrorCode::Cancelled);
}

void TestUseLite::loadFailures_data()
{
    QTest::addColumn<QString>("damage");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no files") << "empty" << ErrorCode::NotFound << "model.json";
    QTest::newRow("model.json not JSON") << "garbage-graph" << ErrorCode::Parse << "model.json";
    QTest::newRow("shard cut short") << "truncated-shard" << ErrorCode::Corrupt << "group1-shard1of7";
    QTest::newRow("shard missing") << "missing-shard" << ErrorCode::NotFound << "group1-shard7of7";
    QTest::newRow("tensor renamed") << "renamed-tensor" << ErrorCode::Unsupported << "module/Embeddings_en";
    QTest::newRow("other activation") << "changed-op" << ErrorCode::Unsupported << "FFN/conv1/Relu";
    QTest::newRow("no vocabulary") << "missing-vocab" << ErrorCode::NotFound << "vocab.json";
    QTest::newRow("vocabulary not pairs") << "bad-vocab" << ErrorCode::Parse << "vocab.json";
}

void TestUseLite::loadFailures()
{
    QFETCH(QString, damage);
    QFETCH(ErrorCode, code);
    QFETCH(QString, mentions);
    QTemporaryDir tmp;
    const QString source = QString::fromStdString(m_modelDir);
    const QString dir = tmp.path();
    if (damage != "empty") {
        for (const QString &name : QDir(source).entryList({"group1-shard*", "vocab.json", "model.json"}, QDir::Files))
            QVERIFY(QFile::link(source + "/" + name, dir + "/" + name));
    }
    auto rewrite = [&](const QString &name, const QByteArray &bytes) {
        QFile::remove(dir + "/" + name);
        QFile file(dir + "/" + name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    };
    auto graph = [&] {
        QFile file(source + "/model.json");
        return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
    };
    if (damage == "garbage-graph") {
        rewrite("model.json", "{ this is not json");
    } else if (damage == "truncated-shard") {
        QFile shard(source + "/group1-shard1of7");
        QVERIFY(shard.open(QIODevice::ReadOnly));
        rewrite("group1-shard1of7", shard.read(4096));
    } else if (damage == "missing-shard") {
        QFile::remove(dir + "/group1-shard7of7");
    } else if (damage == "renamed-tensor" || damage == "changed-op") {
        QJsonObject model = graph();
        QByteArray json = QJsonDocument(model).toJson();
        if (damage == "renamed-tensor")
            json.replace("\"module/Embeddings_en\"", "\"module/Embeddings_xx\"");
        else
            json.replace("\"op\": \"Relu\"", "\"op\": \"Relu6\"");
        rewrite("model.json", json);
    } else if (damage == "missing-vocab") {
        QFile::remove(dir + "/vocab.json");
    } else if (damage == "bad-vocab") {
        rewrite("vocab.json", "[[\"a\", -1.0], [\"b\"]]");
    }
    auto embedder = UseLiteEmbedder::load(dir.toStdString());
    QVERIFY(!embedder.has_value());
    QCOMPARE(embedder.error().code, code);
    QVERIFY2(QString::fromStdString(embedder.error().message()).contains(mentions),
             embedder.error().message().c_str());
}

void TestUseLite::defaultLocalEmbedder()
{
    const QByteArray saved = qgetenv("RAGWB_ASSET_DIR");
    const QString realAssets = QString::fromStdString(assetDir());
    QTemporaryDir empty;
    qputenv("RAGWB_ASSET_DIR", empty.path().toUtf8());
    auto missing = makeDefaultLocalEmbedder();
    QVERIFY(!missing.has_value());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    const QString message = QString::fromStdString(missing.error().message());
    QVERIFY2(message.contains("packaging/setup.sh") && message.contains("--embedder lexical")
                 && message.contains(empty.path() + "/use-lite/dist"),
             qPrintable(message));

    qputenv("RAGWB_ASSET_DIR", realAssets.toUtf8());
    auto present = makeDefaultLocalEmbedder();
    if (saved.isEmpty())
        qunsetenv("RAGWB_ASSET_DIR");
    else
        qputenv("RAGWB_ASSET_DIR", saved);
    QVERIFY2(present.has_value(), present ? "" : present.error().message().c_str());
    QCOMPARE((*present)->identity(), m_embedder->identity());
}

QTEST_GUILESS_MAIN(TestUseLite)
#include "tst_uselite.moc"
