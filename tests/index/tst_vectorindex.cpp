// Vector indexes: exact search against an independent double-precision brute force,
// HNSW recall against exact, persistence (round trip, atomic replacement, damage
// detection), identity checks and cancellation.
#include "core/index/flatindex.h"
#include "core/index/hnswindex.h"
#include "core/index/indexfileformat.h"
#include "core/index/vectorindex.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <set>

using namespace rag;

namespace {

EmbedderIdentity lexicalIdentity(int dim)
{
    return EmbedderIdentity{"lexical", "1", std::string(64, 'a'), dim, EmbedderKind::Lexical};
}

// Clustered unit vectors: `clusters` Gaussian centres, points spread around them.
struct Dataset {
    int dim = 0;
    std::vector<float> rows;
    std::vector<std::int64_t> labels;
    std::vector<float> queries;
};

Dataset clustered(std::size_t n, std::size_t nq, int dim, int clusters, std::uint32_t seed, bool normalise = true,
                  float spreadScale = 1.0f)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    std::vector<float> centres(std::size_t(clusters) * std::size_t(dim));
    for (float &c : centres)
        c = gauss(rng);
    const auto draw = [&](std::vector<float> &out) {
        const std::size_t c = rng() % std::size_t(clusters);
        const float spread = spreadScale * (0.3f + 0.4f * float(c % 5) / 4.0f);
        double norm = 0;
        const std::size_t at = out.size();
        for (int d = 0; d < dim; ++d) {
            out.push_back(centres[c * std::size_t(dim) + std::size_t(d)] + spread * gauss(rng));
            norm += double(out.back()) * out.back();
        }
        if (normalise)
            for (int d = 0; d < dim; ++d)
                out[at + std::size_t(d)] = float(out[at + std::size_t(d)] / std::sqrt(norm));
    };
    Dataset data;
    data.dim = dim;
    for (std::size_t i = 0; i < n; ++i) {
        draw(data.rows);
        data.labels.push_back(std::int64_t(i) * 7 + 1000); // labels are not row numbers
    }
    for (std::size_t i = 0; i < nq; ++i)
        draw(data.queries);
    return data;
}

// The reference: every distance in double precision, full sort.
std::vector<std::int64_t> bruteForce(const Dataset &data, std::size_t q, int k, Metric metric)
{
    const auto dim = std::size_t(data.dim);
    const float *query = data.queries.data() + q * dim;
    double qn = 0;
    for (std::size_t d = 0; d < dim; ++d)
        qn += double(query[d]) * query[d];
    std::vector<std::pair<double, std::int64_t>> scored;
    for (std::size_t i = 0; i < data.labels.size(); ++i) {
        const float *row = data.rows.data() + i * dim;
        double s = 0, rn = 0, l2 = 0;
        for (std::size_t d = 0; d < dim; ++d) {
            s += double(query[d]) * row[d];
            rn += double(row[d]) * row[d];
            l2 += (double(query[d]) - row[d]) * (double(query[d]) - row[d]);
        }
        const double score = metric == Metric::Cosine ? s / std::sqrt(qn * rn) : -std::sqrt(l2);
        scored.emplace_back(-score, data.labels[i]);
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::int64_t> out;
    for (int i = 0; i < k && i < int(scored.size()); ++i)
        out.push_back(scored[std::size_t(i)].second);
    return out;
}

double recallAt(const std::vector<Hit> &hits, const std::vector<std::int64_t> &truth)
{
    const std::set<std::int64_t> want(truth.begin(), truth.end());
    int found = 0;
    for (const Hit &h : hits)
        found += want.count(h.label) ? 1 : 0;
    return double(found) / double(truth.size());
}

std::unique_ptr<VectorIndex> makeIndex(const QString &kind, int dim, Metric metric, const std::string &chunkSet = "7")
{
    if (kind == "hnsw")
        return std::make_unique<HnswIndex>(chunkSet, lexicalIdentity(dim), metric, HnswParams{16, 200, 64, 42});
    return std::make_unique<FlatIndex>(chunkSet, lexicalIdentity(dim), metric);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

} // namespace

class TestVectorIndex : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void flatIsExact_data();
    void flatIsExact();
    void hnswRecall_data();
    void hnswRecall();
    void searchMatchesSearchBatch();
    void cosineNormalisesInputs();
    void identityJsonRoundTrip();
    void saveLoadRoundTrip_data();
    void saveLoadRoundTrip();
    void loadVectorIndexPicksKind();
    void loadRefusesOtherKind();
    void corruptFilesAreRejected_data();
    void corruptFilesAreRejected();
    void saveCancelledKeepsPreviousFile();
    void saveFailingTmpKeepsPreviousFile();
    void buildCancelledWritesNothing();
    void addAppendsAndRejectsDuplicates_data();
    void addAppendsAndRejectsDuplicates();
    void hnswAddCancelledRollsBack();
    void mismatchRefusal_data();
    void mismatchRefusal();
    void invalidInput();
    void emptyAndSmallIndexes();
};

void TestVectorIndex::flatIsExact_data()
{
    QTest::addColumn<int>("metric");
    QTest::addColumn<int>("dim");
    QTest::addColumn<int>("k");
    QTest::newRow("cosine 384") << int(Metric::Cosine) << 384 << 10;
    QTest::newRow("cosine odd dim 37") << int(Metric::Cosine) << 37 << 5;
    QTest::newRow("l2 64") << int(Metric::L2) << 64 << 10;
    QTest::newRow("l2 odd dim 19, k 1") << int(Metric::L2) << 19 << 1;
}

void TestVectorIndex::flatIsExact()
{
    QFETCH(int, metric);
    QFETCH(int, dim);
    QFETCH(int, k);
    // 9,000 rows span three row blocks and 300 queries two query blocks of the tiled search.
    const Dataset data = clustered(9000, 300, dim, 40, 7, false); // unnormalised on purpose
    FlatIndex index("1", lexicalIdentity(dim), Metric(metric));
    QVERIFY(index.build(data.labels, data.rows).has_value());
    QCOMPARE(index.size(), std::int64_t(9000));
    const auto results = index.searchBatch(data.queries, k);
    QCOMPARE(results.size(), std::size_t(300));
    int disagreements = 0;
    for (std::size_t q = 0; q < 300; ++q) {
        const auto truth = bruteForce(data, q, k, Metric(metric));
        QCOMPARE(results[q].size(), std::size_t(k));
        for (int i = 0; i < k; ++i)
            disagreements += results[q][std::size_t(i)].label != truth[std::size_t(i)] ? 1 : 0;
        for (std::size_t i = 1; i < results[q].size(); ++i)
            QVERIFY(results[q][i - 1].score >= results[q][i].score);
    }
    // Float vs double rounding may swap near-ties; anything beyond that is a bug.
    QVERIFY2(disagreements <= 3, qPrintable(QString("%1 ranks differ from brute force").arg(disagreements)));

    // Scores are the metric's values: cosine similarity, or minus the Euclidean distance.
    const float *q0 = data.queries.data();
    const auto top = results[0][0];
    const auto row = std::find(data.labels.begin(), data.labels.end(), top.label) - data.labels.begin();
    const float *r = data.rows.data() + row * dim;
    double s = 0, qn = 0, rn = 0, l2 = 0;
    for (int d = 0; d < dim; ++d) {
        s += double(q0[d]) * r[d];
        qn += double(q0[d]) * q0[d];
        rn += double(r[d]) * r[d];
        l2 += (double(q0[d]) - r[d]) * (double(q0[d]) - r[d]);
    }
    const double expected = metric == int(Metric::Cosine) ? s / std::sqrt(qn * rn) : -std::sqrt(l2);
    QVERIFY2(std::abs(top.score - expected) < 1e-4, qPrintable(QString("score %1, expected %2").arg(top.score).arg(expected)));
}

void TestVectorIndex::hnswRecall_data()
{
    QTest::addColumn<int>("metric");
    QTest::newRow("cosine") << int(Metric::Cosine);
    QTest::newRow("l2") << int(Metric::L2);
}

void TestVectorIndex::hnswRecall()
{
    QFETCH(int, metric);
    const int dim = 64;
    // Wide clusters (spread comparable to the distance between centres) so that the
    // neighbourhoods overlap and the graph search has real work to do.
    const Dataset data = clustered(5000, 200, dim, 50, 11, true, 3.0f);
    HnswIndex hnsw("1", lexicalIdentity(dim), Metric(metric), HnswParams{16, 200, 64, 42});
    FlatIndex flat("1", lexicalIdentity(dim), Metric(metric));
    std::vector<ProgressReport> reports;
    JobContext ctx(CancelToken(), [&](const ProgressReport &r) { reports.push_back(r); });
    QVERIFY(hnsw.build(data.labels, data.rows, ctx).has_value());
    QVERIFY(flat.build(data.labels, data.rows).has_value());
    QCOMPARE(hnsw.size(), std::int64_t(5000));
    QVERIFY(!reports.empty());
    QCOMPARE(reports.back().done, std::int64_t(5000));
    QCOMPARE(reports.back().total, std::int64_t(5000));
    QCOMPARE(reports.back().stage, std::string("building HNSW"));

    const auto exact = flat.searchBatch(data.queries, 10);
    const auto recallOf = [&](const VectorIndex &index) {
        const auto approx = index.searchBatch(data.queries, 10);
        double sum = 0;
        for (std::size_t q = 0; q < exact.size(); ++q) {
            std::vector<std::int64_t> truth;
            for (const Hit &h : exact[q])
                truth.push_back(h.label);
            sum += recallAt(approx[q], truth);
        }
        return sum / double(exact.size());
    };
    const double recall = recallOf(hnsw);
    // The measurement discriminates: a deliberately starved graph scores lower.
    HnswIndex weak("1", lexicalIdentity(dim), Metric(metric), HnswParams{4, 8, 10, 42});
    QVERIFY(weak.build(data.labels, data.rows).has_value());
    const double weakRecall = recallOf(weak);
    qInfo("HNSW recall@10 vs flat (%s): %.4f (M=4, ef=10: %.4f)", metricName(Metric(metric)), recall, weakRecall);
    QVERIFY2(recall >= 0.95, qPrintable(QString("recall@10 %1 < 0.95").arg(recall)));
    QVERIFY2(weakRecall < recall - 0.05, qPrintable(QString("starved graph recall %1").arg(weakRecall)));
    const auto approx = hnsw.searchBatch(data.queries, 10);
    // The best hit's score agrees with the exact one when it is the same vector: to
    // float rounding, or for half-precision storage (cosine) within 2u = 2^-10, the
    // bound for a dot product of two unit vectors each rounded to binary16.
    const double tolerance = hnsw.identity().precision == "f16" ? 1.0 / 1024 : 1e-4;
    QCOMPARE(QString::fromStdString(hnsw.identity().precision), metric == int(Metric::Cosine) ? "f16" : "f32");
    double worst = 0;
    for (std::size_t q = 0; q < exact.size(); ++q) {
        if (approx[q][0].label == exact[q][0].label)
            worst = std::max(worst, double(std::abs(approx[q][0].score - exact[q][0].score)));
    }
    QVERIFY2(worst <= tolerance, qPrintable(QString("score error %1 > %2").arg(worst).arg(tolerance)));
}

void TestVectorIndex::searchMatchesSearchBatch()
{
    const Dataset data = clustered(2000, 20, 32, 10, 3);
    for (const QString kind : {"hnsw", "flat"}) {
        auto index = makeIndex(kind, 32, Metric::Cosine);
        QVERIFY(index->build(data.labels, data.rows).has_value());
        const auto batch = index->searchBatch(data.queries, 7);
        for (std::size_t q = 0; q < 20; ++q) {
            // BLAS may sum a single query in another order than a batch: equal up to rounding.
            const auto single = index->search(std::span<const float>(data.queries).subspan(q * 32, 32), 7);
            QCOMPARE(single.size(), batch[q].size());
            for (std::size_t i = 0; i < single.size(); ++i) {
                QCOMPARE(single[i].label, batch[q][i].label);
                QVERIFY(std::abs(single[i].score - batch[q][i].score) < 1e-5);
            }
        }
    }
}

void TestVectorIndex::cosineNormalisesInputs()
{
    // Scaling rows or queries must not change cosine results or scores.
    const Dataset data = clustered(1000, 10, 16, 5, 5);
    std::vector<float> scaledRows = data.rows;
    for (std::size_t i = 0; i < scaledRows.size(); ++i)
        scaledRows[i] *= float(1 + (i / 16) % 9);
    std::vector<float> scaledQueries = data.queries;
    for (float &v : scaledQueries)
        v *= 3.5f;
    for (const QString kind : {"hnsw", "flat"}) {
        auto a = makeIndex(kind, 16, Metric::Cosine);
        auto b = makeIndex(kind, 16, Metric::Cosine);
        QVERIFY(a->build(data.labels, data.rows).has_value());
        QVERIFY(b->build(data.labels, scaledRows).has_value());
        const auto ra = a->searchBatch(data.queries, 5);
        const auto rb = b->searchBatch(scaledQueries, 5);
        for (std::size_t q = 0; q < ra.size(); ++q) {
            QCOMPARE(ra[q].size(), rb[q].size());
            for (std::size_t i = 0; i < ra[q].size(); ++i) {
                QCOMPARE(ra[q][i].label, rb[q][i].label);
                QVERIFY(std::abs(ra[q][i].score - rb[q][i].score) < (kind == "hnsw" ? 1e-3 : 1e-5));
                QVERIFY(ra[q][i].score <= 1.0001f);
            }
        }
    }
}

void TestVectorIndex::identityJsonRoundTrip()
{
    IndexIdentity id;
    id.chunkSetId = "chunks-42";
    id.embedder = EmbedderIdentity{"use-lite", "3", "f00d", 512, EmbedderKind::Neural};
    id.metric = "l2";
    id.kind = "hnsw";
    id.M = 24;
    id.efConstruction = 300;
    id.efSearch = 80;
    id.seed = 1234567890123ull;
    id.count = 98765;
    id.builtAt = "2024-05-01T12:00:00Z";
    auto back = IndexIdentity::fromJson(id.toJson());
    QVERIFY(back.has_value());
    QCOMPARE(*back, id);

    auto missing = IndexIdentity::fromJson(R"({"chunkSetId":"1"})", "x.idx");
    QVERIFY(!missing.has_value());
    QCOMPARE(missing.error().code, ErrorCode::Parse);
    QCOMPARE(missing.error().source, std::string("x.idx"));
    std::string wrongType = id.toJson();
    wrongType.replace(wrongType.find("\"M\":24"), 6, "\"M\":\"24\"");
    auto typed = IndexIdentity::fromJson(wrongType, "y.idx");
    QVERIFY(!typed.has_value());
    QVERIFY(typed.error().detail.find("\"M\"") != std::string::npos);
    QVERIFY(!IndexIdentity::fromJson("not json").has_value());
}

void TestVectorIndex::saveLoadRoundTrip_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("metric");
    QTest::newRow("hnsw cosine") << "hnsw" << int(Metric::Cosine);
    QTest::newRow("hnsw l2") << "hnsw" << int(Metric::L2);
    QTest::newRow("flat cosine") << "flat" << int(Metric::Cosine);
    QTest::newRow("flat l2") << "flat" << int(Metric::L2);
}

void TestVectorIndex::saveLoadRoundTrip()
{
    QFETCH(QString, kind);
    QFETCH(int, metric);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("index.idx").toStdString();
    const Dataset data = clustered(3000, 50, 48, 20, 21);
    auto index = makeIndex(kind, 48, Metric(metric));
    QVERIFY(index->build(data.labels, data.rows).has_value());
    const auto saved = index->save(path);
    QVERIFY2(saved.has_value(), saved ? "" : saved.error().message().c_str());
    QVERIFY(!QFileInfo::exists(QString::fromStdString(path + ".tmp")));

    auto loaded = makeIndex(kind, 1, Metric::Cosine, "other"); // replaced wholesale by load()
    const auto ok = loaded->load(path);
    QVERIFY2(ok.has_value(), ok ? "" : ok.error().message().c_str());
    QCOMPARE(loaded->identity(), index->identity());
    QCOMPARE(loaded->identity().chunkSetId, std::string("7"));
    QCOMPARE(loaded->dimension(), 48);
    QCOMPARE(int(loaded->metric()), metric);
    QCOMPARE(loaded->size(), std::int64_t(3000));
    QCOMPARE(loaded->searchBatch(data.queries, 10), index->searchBatch(data.queries, 10));

    // Saving the loaded index reproduces the file byte for byte.
    const std::string again = dir.filePath("again.idx").toStdString();
    QVERIFY(loaded->save(again).has_value());
    QCOMPARE(readAll(QString::fromStdString(again)), readAll(QString::fromStdString(path)));
}

void TestVectorIndex::loadVectorIndexPicksKind()
{
    QTemporaryDir dir;
    const Dataset data = clustered(500, 5, 8, 4, 2);
    for (const QString kind : {"hnsw", "flat"}) {
        const std::string path = dir.filePath(kind + ".idx").toStdString();
        auto index = makeIndex(kind, 8, Metric::L2);
        QVERIFY(index->build(data.labels, data.rows).has_value());
        QVERIFY(index->save(path).has_value());
        auto opened = loadVectorIndex(path);
        QVERIFY(opened.has_value());
        QCOMPARE((*opened)->identity().kind, kind.toStdString());
        QCOMPARE((*opened)->searchBatch(data.queries, 3), index->searchBatch(data.queries, 3));
    }
    const auto missing = loadVectorIndex(dir.filePath("nope.idx").toStdString());
    QVERIFY(!missing.has_value());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(missing.error().source.ends_with("nope.idx"));
}

void TestVectorIndex::loadRefusesOtherKind()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("flat.idx").toStdString();
    const Dataset data = clustered(100, 1, 8, 2, 2);
    FlatIndex flat("1", lexicalIdentity(8), Metric::Cosine);
    QVERIFY(flat.build(data.labels, data.rows).has_value());
    QVERIFY(flat.save(path).has_value());
    HnswIndex hnsw;
    const auto loaded = hnsw.load(path);
    QVERIFY(!loaded.has_value());
    QCOMPARE(loaded.error().code, ErrorCode::Mismatch);
    QCOMPARE(loaded.error().source, path);
    QCOMPARE(hnsw.size(), std::int64_t(0));
}

void TestVectorIndex::corruptFilesAreRejected_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("damage");
    for (const char *kind : {"hnsw", "flat"}) {
        for (const char *damage : {"truncated payload", "truncated header", "empty file", "flipped payload byte",
                                   "flipped identity byte", "bad magic", "trailing garbage", "wrong length field",
                                   "newer version"})
            QTest::newRow(qPrintable(QString("%1: %2").arg(kind, damage))) << kind << damage;
    }
}

void TestVectorIndex::corruptFilesAreRejected()
{
    QFETCH(QString, kind);
    QFETCH(QString, damage);
    QTemporaryDir dir;
    const QString path = dir.filePath("damaged.idx");
    const Dataset data = clustered(800, 1, 16, 8, 9);
    auto index = makeIndex(kind, 16, Metric::Cosine);
    QVERIFY(index->build(data.labels, data.rows).has_value());
    QVERIFY(index->save(path.toStdString()).has_value());
    QByteArray bytes = readAll(path);
    QVERIFY(bytes.size() > 1000);

    ErrorCode expected = ErrorCode::Corrupt;
    if (damage == "truncated payload")
        bytes.chop(bytes.size() / 3);
    else if (damage == "truncated header")
        bytes.truncate(20);
    else if (damage == "empty file")
        bytes.clear();
    else if (damage == "flipped payload byte")
        bytes[bytes.size() - 100] = char(bytes[bytes.size() - 100] ^ 0x10);
    else if (damage == "flipped identity byte")
        bytes[int(indexfile::kPrefixSize) + 5] = char(bytes[int(indexfile::kPrefixSize) + 5] ^ 0x01);
    else if (damage == "bad magic")
        bytes[0] = 'X';
    else if (damage == "trailing garbage")
        bytes.append("garbage");
    else if (damage == "wrong length field")
        bytes[24] = char(bytes[24] + 1);
    else if (damage == "newer version") {
        bytes[8] = 2;
        expected = ErrorCode::SchemaTooNew;
    }
    writeAll(path, bytes);

    auto target = makeIndex(kind, 16, Metric::Cosine);
    const Dataset previous = clustered(10, 1, 16, 2, 1);
    QVERIFY(target->build(previous.labels, previous.rows).has_value());
    const auto loaded = target->load(path.toStdString());
    QVERIFY2(!loaded.has_value(), "a damaged file was accepted");
    QCOMPARE(loaded.error().code, expected);
    QCOMPARE(loaded.error().source, path.toStdString());
    // A failed load leaves the index as it was.
    QCOMPARE(target->size(), std::int64_t(10));
    QCOMPARE(target->search(std::span<const float>(previous.rows).subspan(0, 16), 1).front().label,
             previous.labels.front());
    const auto viaFactory = loadVectorIndex(path.toStdString());
    QVERIFY(!viaFactory.has_value());
    QCOMPARE(viaFactory.error().code, expected);
}

void TestVectorIndex::saveCancelledKeepsPreviousFile()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("index.idx").toStdString();
    const Dataset small = clustered(200, 1, 32, 4, 1);
    HnswIndex first("1", lexicalIdentity(32), Metric::Cosine);
    QVERIFY(first.build(small.labels, small.rows).has_value());
    QVERIFY(first.save(path).has_value());
    const QByteArray before = readAll(QString::fromStdString(path));

    // A second, larger index is saved over it and cancelled part-way: the first
    // cancellation check fires after the writer has started on the payload.
    const Dataset big = clustered(20000, 1, 128, 10, 2);
    for (const QString kind : {"hnsw", "flat"}) {
        auto second = makeIndex(kind, 128, Metric::Cosine);
        QVERIFY(second->build(big.labels, big.rows).has_value());
        CancelToken token;
        token.cancel();
        const auto saved = second->save(path, JobContext(token, {}));
        QVERIFY(!saved.has_value());
        QCOMPARE(saved.error().code, ErrorCode::Cancelled);
        QCOMPARE(readAll(QString::fromStdString(path)), before);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(path + ".tmp")));
    }
    HnswIndex reloaded;
    QVERIFY(reloaded.load(path).has_value());
    QCOMPARE(reloaded.size(), std::int64_t(200));
}

void TestVectorIndex::saveFailingTmpKeepsPreviousFile()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("index.idx").toStdString();
    const Dataset data = clustered(300, 1, 16, 4, 3);
    FlatIndex index("1", lexicalIdentity(16), Metric::Cosine);
    QVERIFY(index.build(data.labels, data.rows).has_value());
    QVERIFY(index.save(path).has_value());
    const QByteArray before = readAll(QString::fromStdString(path));

    // The temporary path is taken by a directory (with a file in it), so the write fails.
    QVERIFY(QDir().mkpath(QString::fromStdString(path + ".tmp")));
    writeAll(QString::fromStdString(path + ".tmp/keep"), "x");
    FlatIndex other("1", lexicalIdentity(16), Metric::Cosine);
    QVERIFY(other.build(std::span(data.labels).subspan(0, 10), std::span(data.rows).subspan(0, 160)).has_value());
    const auto saved = other.save(path);
    QVERIFY(!saved.has_value());
    QCOMPARE(saved.error().code, ErrorCode::Io);
    QCOMPARE(saved.error().source, path);
    QVERIFY2(saved.error().detail.find(".tmp") != std::string::npos, saved.error().detail.c_str());
    QCOMPARE(readAll(QString::fromStdString(path)), before);
    QVERIFY(QFileInfo(QString::fromStdString(path + ".tmp")).isDir());
    QVERIFY(QFileInfo::exists(QString::fromStdString(path + ".tmp/keep")));

    // A stale temporary *file* (a crashed save) is simply replaced.
    QVERIFY(QDir(QString::fromStdString(path + ".tmp")).removeRecursively());
    writeAll(QString::fromStdString(path + ".tmp"), "stale");
    QVERIFY(other.save(path).has_value());
    FlatIndex reloaded;
    QVERIFY(reloaded.load(path).has_value());
    QCOMPARE(reloaded.size(), std::int64_t(10));
}

void TestVectorIndex::buildCancelledWritesNothing()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("index.idx").toStdString();
    // ~90 insert batches, so that the first progress report (which cancels) comes
    // long before the last batch even when a loaded machine deschedules the
    // reporting thread while the other one keeps inserting.
    const Dataset data = clustered(24000, 5, 32, 20, 4);
    HnswIndex index("1", lexicalIdentity(32), Metric::Cosine);
    const Dataset earlier = clustered(50, 1, 32, 2, 5);
    QVERIFY(index.build(earlier.labels, earlier.rows).has_value());

    // Cancel from the progress sink at the first report, part-way through the build.
    CancelToken token;
    std::int64_t lastDone = 0;
    JobContext ctx(token, [&](const ProgressReport &r) {
        lastDone = r.done;
        token.cancel();
    });
    const auto built = index.build(data.labels, data.rows, ctx);
    QVERIFY(!built.has_value());
    QCOMPARE(built.error().code, ErrorCode::Cancelled);
    QVERIFY2(lastDone > 0 && lastDone < 24000, "the build ran to the end despite the cancel");
    // The build is all-or-nothing: the index still holds the earlier 50 vectors,
    // and since the job stops at the error nothing is written.
    QCOMPARE(index.size(), std::int64_t(50));
    QCOMPARE(index.search(std::span<const float>(earlier.rows).subspan(0, 32), 1).front().label, earlier.labels[0]);
    const auto saved = index.save(path, ctx);
    QVERIFY(!saved.has_value());
    QCOMPARE(saved.error().code, ErrorCode::Cancelled);
    QVERIFY(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
}

void TestVectorIndex::addAppendsAndRejectsDuplicates_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("hnsw") << "hnsw";
    QTest::newRow("flat") << "flat";
}

void TestVectorIndex::addAppendsAndRejectsDuplicates()
{
    QFETCH(QString, kind);
    const Dataset data = clustered(2000, 30, 24, 10, 8);
    auto whole = makeIndex(kind, 24, Metric::Cosine);
    QVERIFY(whole->build(data.labels, data.rows).has_value());
    auto parts = makeIndex(kind, 24, Metric::Cosine);
    const std::span<const std::int64_t> labels(data.labels);
    const std::span<const float> rows(data.rows);
    QVERIFY(parts->add(labels.subspan(0, 1200), rows.subspan(0, 1200 * 24)).has_value());
    QVERIFY(parts->add(labels.subspan(1200), rows.subspan(1200 * 24)).has_value());
    QCOMPARE(parts->size(), std::int64_t(2000));
    if (kind == "flat") {
        QCOMPARE(parts->searchBatch(data.queries, 5), whole->searchBatch(data.queries, 5));
    } else {
        for (std::size_t q = 0; q < 30; ++q)
            QCOMPARE(parts->search(rows.subspan(q * 24, 24), 1).front().label, data.labels[q]);
    }
    const auto dup = parts->add(labels.subspan(5, 1), rows.subspan(5 * 24, 24));
    QVERIFY(!dup.has_value());
    QCOMPARE(dup.error().code, ErrorCode::InvalidArgument);
    QVERIFY(dup.error().detail.find(std::to_string(data.labels[5])) != std::string::npos);
    QCOMPARE(parts->size(), std::int64_t(2000));
}

void TestVectorIndex::hnswAddCancelledRollsBack()
{
    // Enough rows for ~90 insert batches, so the first progress report (which
    // cancels) comes long before the last batch even when a loaded machine
    // deschedules the reporting thread.
    const Dataset data = clustered(24000, 1, 32, 10, 12);
    const std::span<const std::int64_t> labels(data.labels);
    const std::span<const float> rows(data.rows);
    HnswIndex index("1", lexicalIdentity(32), Metric::Cosine);
    QVERIFY(index.build(labels.subspan(0, 1000), rows.subspan(0, 1000 * 32)).has_value());
    CancelToken token;
    JobContext ctx(token, [&](const ProgressReport &) { token.cancel(); });
    const auto added = index.add(labels.subspan(1000), rows.subspan(1000 * 32), ctx);
    QVERIFY(!added.has_value());
    QCOMPARE(added.error().code, ErrorCode::Cancelled);
    QCOMPARE(index.size(), std::int64_t(1000));
    // None of the rolled-back labels is ever returned...
    for (std::size_t q = 1000; q < 24000; q += 997) {
        for (const Hit &h : index.search(rows.subspan(q * 32, 32), 10))
            QVERIFY2(h.label < data.labels[1000], qPrintable(QString("rolled-back label %1 returned").arg(h.label)));
    }
    // ...and adding them again afterwards works (they are revived in place).
    QVERIFY(index.add(labels.subspan(1000), rows.subspan(1000 * 32)).has_value());
    QCOMPARE(index.size(), std::int64_t(24000));
    QCOMPARE(index.search(rows.subspan(3500 * 32, 32), 1).front().label, data.labels[3500]);
}

void TestVectorIndex::mismatchRefusal_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("hash");
    QTest::addColumn<int>("embedderDim");
    QTest::addColumn<int>("queryDim");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("same embedder") << "lexical" << QString(64, 'a') << 48 << 48 << true;
    QTest::newRow("other embedder") << "use-lite" << "0123456789abcdef" << 48 << 48 << false;
    QTest::newRow("refitted lexical") << "lexical" << QString(64, 'b') << 48 << 48 << false;
    QTest::newRow("other dimension") << "lexical" << QString(64, 'a') << 96 << 96 << false;
    QTest::newRow("query vector of wrong size") << "lexical" << QString(64, 'a') << 48 << 47 << false;
}

void TestVectorIndex::mismatchRefusal()
{
    QFETCH(QString, name);
    QFETCH(QString, hash);
    QFETCH(int, embedderDim);
    QFETCH(int, queryDim);
    QFETCH(bool, accepted);
    for (const QString kind : {"hnsw", "flat"}) {
        auto index = makeIndex(kind, 48, Metric::Cosine);
        const EmbedderIdentity query{name.toStdString(), "1", hash.toStdString(), embedderDim,
                                     name == "lexical" ? EmbedderKind::Lexical : EmbedderKind::Neural};
        const auto ok = index->checkQueryCompatible(query, queryDim);
        QCOMPARE(ok.has_value(), accepted);
        if (accepted)
            continue;
        const Error &e = ok.error();
        QCOMPARE(e.code, ErrorCode::Mismatch);
        // Names both identities and the rebuild command.
        QVERIFY2(e.detail.find(lexicalIdentity(48).key()) != std::string::npos, e.detail.c_str());
        QVERIFY2(e.detail.find(query.key()) != std::string::npos, e.detail.c_str());
        QVERIFY2(e.detail.find("ragwb index --embedder " + name.toStdString()) != std::string::npos, e.detail.c_str());
    }
}

void TestVectorIndex::invalidInput()
{
    const Dataset data = clustered(20, 2, 8, 2, 1);
    for (const QString kind : {"hnsw", "flat"}) {
        auto index = makeIndex(kind, 8, Metric::Cosine);
        const auto shape = index->build(data.labels, std::span<const float>(data.rows).subspan(0, 150));
        QVERIFY(!shape.has_value());
        QCOMPARE(shape.error().code, ErrorCode::InvalidArgument);
        std::vector<std::int64_t> twice = data.labels;
        twice[3] = twice[4];
        const auto dup = index->build(twice, data.rows);
        QVERIFY(!dup.has_value());
        QCOMPARE(dup.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(index->size(), std::int64_t(0));
        QVERIFY(index->build(data.labels, data.rows).has_value());
        // A query of the wrong size gets no hits rather than garbage.
        QVERIFY(index->search(std::span<const float>(data.queries).subspan(0, 7), 3).empty());
        QVERIFY(index->search(std::span<const float>(data.queries).subspan(0, 8), 0).empty());
    }
}

void TestVectorIndex::emptyAndSmallIndexes()
{
    QTemporaryDir dir;
    const Dataset data = clustered(3, 1, 8, 1, 1);
    for (const QString kind : {"hnsw", "flat"}) {
        auto index = makeIndex(kind, 8, Metric::Cosine);
        QVERIFY(index->search(std::span<const float>(data.queries), 5).empty());
        QVERIFY(index->build({}, {}).has_value());
        QCOMPARE(index->size(), std::int64_t(0));
        const std::string path = dir.filePath(kind + "-empty.idx").toStdString();
        QVERIFY(index->save(path).has_value());
        auto reloaded = loadVectorIndex(path);
        QVERIFY(reloaded.has_value());
        QCOMPARE((*reloaded)->size(), std::int64_t(0));
        QVERIFY((*reloaded)->search(std::span<const float>(data.queries), 5).empty());
        // k larger than the index returns everything, best first.
        QVERIFY(index->build(data.labels, data.rows).has_value());
        const auto hits = index->search(std::span<const float>(data.queries), 10);
        QCOMPARE(hits.size(), std::size_t(3));
        QVERIFY(hits[0].score >= hits[1].score && hits[1].score >= hits[2].score);
    }
}

QTEST_GUILESS_MAIN(TestVectorIndex)
#include "tst_vectorindex.moc"
