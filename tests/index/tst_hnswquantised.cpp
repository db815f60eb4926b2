// HnswIndex's 8-bit graph walk (cosine, half precision): the hits carry the exact
// float-against-half scores, a beam wide enough to hold the whole graph returns
// the exact top k, recall is not below the half walk's on the same graph, a saved
// and reloaded index answers identically, added elements are reachable, and the
// walk is used exactly where it is valid.
#include "core/index/halfkernels.h"
#include "core/index/hnswindex.h"
#include "core/index/vectorkernels.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

using namespace rag;

namespace {

EmbedderIdentity identity(int dim)
{
    return EmbedderIdentity{"test", "1", std::string(64, 'b'), dim, EmbedderKind::Neural};
}

struct Dataset {
    std::size_t dim = 0;
    std::vector<float> rows;
    std::vector<std::int64_t> labels;
    std::vector<float> queries;
};

// Unit vectors around `clusters` Gaussian centres, with a noise of norm `spread`
// relative to the unit centres (about 1: overlapping clusters, real graph work).
Dataset clustered(std::size_t n, std::size_t nq, std::size_t dim, std::size_t clusters, float spread,
                  std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> gauss;
    std::vector<float> centres(clusters * dim);
    for (std::size_t c = 0; c < clusters; ++c) {
        for (std::size_t d = 0; d < dim; ++d)
            centres[c * dim + d] = gauss(rng);
        kernels::normalize(centres.data() + c * dim, dim);
    }
    const float perDim = spread / std::sqrt(float(dim));
    const auto draw = [&](std::vector<float> &out) {
        const std::size_t c = rng() % clusters;
        const std::size_t at = out.size();
        for (std::size_t d = 0; d < dim; ++d)
            out.push_back(centres[c * dim + d] + perDim * gauss(rng));
        kernels::normalize(out.data() + at, dim);
    };
    Dataset data;
    data.dim = dim;
    for (std::size_t i = 0; i < n; ++i) {
        draw(data.rows);
        data.labels.push_back(std::int64_t(i) * 3 + 11);
    }
    for (std::size_t i = 0; i < nq; ++i)
        draw(data.queries);
    return data;
}

// What the index stores for a row (normalised again, as every input row is, then
// in half precision: the second normalisation may move a value by an ulp, enough
// to flip its rounding to half) and how it scores a query against it: the float
// query against the half row.
struct Stored {
    std::vector<std::uint16_t> halves;
    std::size_t dim = 0;

    explicit Stored(const Dataset &data) : halves(data.rows.size()), dim(data.dim)
    {
        std::vector<float> row(dim);
        for (std::size_t at = 0; at < data.rows.size(); at += dim) {
            row.assign(data.rows.begin() + std::ptrdiff_t(at), data.rows.begin() + std::ptrdiff_t(at + dim));
            kernels::normalize(row.data(), dim);
            kernels::toHalf(row.data(), halves.data() + at, dim);
        }
    }
    float score(const float *query, std::size_t row) const
    {
        std::vector<float> q(query, query + dim);
        kernels::normalize(q.data(), dim);
        return kernels::dotFloatHalf(q.data(), halves.data() + row * dim, dim);
    }
};

std::size_t rowOf(std::int64_t label)
{
    return std::size_t((label - 11) / 3);
}

std::vector<std::int64_t> exactTop(const Dataset &data, const Stored &stored, std::size_t q, std::size_t k)
{
    std::vector<std::pair<float, std::int64_t>> scored;
    for (std::size_t i = 0; i < data.labels.size(); ++i)
        scored.emplace_back(-stored.score(data.queries.data() + q * data.dim, i), data.labels[i]);
    std::partial_sort(scored.begin(), scored.begin() + std::ptrdiff_t(k), scored.end());
    std::vector<std::int64_t> top;
    for (std::size_t i = 0; i < k; ++i)
        top.push_back(scored[i].second);
    return top;
}

double recallOf(const std::vector<std::vector<Hit>> &found, const std::vector<std::vector<std::int64_t>> &truth)
{
    double sum = 0;
    for (std::size_t q = 0; q < truth.size(); ++q) {
        const std::set<std::int64_t> want(truth[q].begin(), truth[q].end());
        std::size_t hits = 0;
        for (const Hit &h : found[q])
            hits += want.count(h.label);
        sum += double(hits) / double(truth[q].size());
    }
    return sum / double(truth.size());
}

} // namespace

class TestHnswQuantised : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void walkOnlyWhereValid_data();
    void walkOnlyWhereValid();
    void scoresAreExact_data();
    void scoresAreExact();
    void wholeGraphBeamIsExact();
    void recallNotBelowHalfWalk_data();
    void recallNotBelowHalfWalk();
    void saveLoadGivesIdenticalHits();
    void addedElementsAreWalked();
    void wholeBeamInsertsMatchHalfInserts();
    void quantisedInsertRecall_data();
    void quantisedInsertRecall();
    void quantisedInsertsReachEveryElement();
};

void TestHnswQuantised::walkOnlyWhereValid_data()
{
    QTest::addColumn<int>("metric");
    QTest::addColumn<int>("precision");
    QTest::addColumn<bool>("quantised");
    QTest::newRow("cosine half") << int(Metric::Cosine) << int(HnswPrecision::Half) << true;
    QTest::newRow("cosine float32") << int(Metric::Cosine) << int(HnswPrecision::Float32) << false;
    QTest::newRow("l2 (stored in float)") << int(Metric::L2) << int(HnswPrecision::Half) << false;
}

void TestHnswQuantised::walkOnlyWhereValid()
{
    QFETCH(int, metric);
    QFETCH(int, precision);
    QFETCH(bool, quantised);
    const Dataset data = clustered(500, 20, 32, 5, 1.0f, 3);
    HnswParams params;
    params.precision = HnswPrecision(precision);
    HnswIndex index("1", identity(32), Metric(metric), params);
    QCOMPARE(index.quantisedTraversal(), quantised);
    QVERIFY(index.build(data.labels, data.rows).has_value());
    QCOMPARE(index.quantisedTraversal(), quantised);
    const auto on = index.searchBatch(data.queries, 5);
    index.setQuantisedTraversal(false);
    QVERIFY(!index.quantisedTraversal());
    const auto off = index.searchBatch(data.queries, 5);
    if (!quantised)
        QCOMPARE(on, off); // nothing to switch: the same walk
    for (std::size_t q = 0; q < 20; ++q)
        QCOMPARE(on[q].size(), std::size_t(5));
}

void TestHnswQuantised::scoresAreExact_data()
{
    QTest::addColumn<int>("dim");
    QTest::newRow("64") << 64;
    QTest::newRow("65") << 65;
    QTest::newRow("384") << 384;
}

void TestHnswQuantised::scoresAreExact()
{
    QFETCH(int, dim);
    const Dataset data = clustered(3000, 50, std::size_t(dim), 30, 1.0f, std::uint32_t(dim));
    const Stored stored(data);
    HnswIndex index("1", identity(dim), Metric::Cosine, HnswParams{16, 100, 64, 42});
    QVERIFY(index.build(data.labels, data.rows).has_value());
    QVERIFY(index.quantisedTraversal());
    const auto walked = index.searchBatch(data.queries, 10);
    index.setQuantisedTraversal(false);
    const auto halfWalked = index.searchBatch(data.queries, 10);
    for (std::size_t q = 0; q < 50; ++q) {
        QCOMPARE(walked[q].size(), std::size_t(10));
        for (std::size_t i = 0; i < walked[q].size(); ++i) {
            const Hit &hit = walked[q][i];
            // The score is the exact float-against-half one, not the 8-bit estimate.
            const float exact = stored.score(data.queries.data() + q * data.dim, rowOf(hit.label));
            QVERIFY2(std::abs(hit.score - exact) <= 1e-6f,
                     qPrintable(QString("query %1 hit %2: score %3, exact %4").arg(q).arg(i).arg(hit.score).arg(exact)));
            if (i > 0)
                QVERIFY(walked[q][i - 1].score >= hit.score);
            // The half walk scores the same element identically.
            for (const Hit &other : halfWalked[q]) {
                if (other.label == hit.label)
                    QCOMPARE(other.score, hit.score);
            }

        }
    }
}

void TestHnswQuantised::wholeGraphBeamIsExact()
{
    // With a beam wider than the graph the walk reaches every element, so the
    // re-rank alone decides: the hits must be the exact top k of the stored vectors.
    const std::size_t n = 600;
    const Dataset data = clustered(n, 40, 48, 8, 1.2f, 9);
    const Stored stored(data);
    HnswIndex index("1", identity(48), Metric::Cosine, HnswParams{16, 100, int(n) + 1, 42});
    QVERIFY(index.build(data.labels, data.rows).has_value());
    for (std::size_t q = 0; q < 40; ++q) {
        const auto hits = index.search(std::span<const float>(data.queries).subspan(q * 48, 48), 10);
        const auto truth = exactTop(data, stored, q, 10);
        QCOMPARE(hits.size(), truth.size());
        for (std::size_t i = 0; i < hits.size(); ++i)
            QCOMPARE(hits[i].label, truth[i]);
    }
}

void TestHnswQuantised::recallNotBelowHalfWalk_data()
{
    QTest::addColumn<int>("efSearch");
    QTest::newRow("ef 16") << 16;
    QTest::newRow("ef 32") << 32;
    QTest::newRow("ef 64") << 64;
}

void TestHnswQuantised::recallNotBelowHalfWalk()
{
    QFETCH(int, efSearch);
    // Overlapping clusters at the benchmark's dimension, one insert thread so the
    // graph (and so the measured recalls) are the same on every run.
    const Dataset data = clustered(6000, 200, 384, 60, 1.5f, 21);
    const Stored stored(data);
    HnswIndex index("1", identity(384), Metric::Cosine, HnswParams{16, 100, efSearch, 42, 1});
    QVERIFY(index.build(data.labels, data.rows).has_value());
    std::vector<std::vector<std::int64_t>> truth;
    for (std::size_t q = 0; q < 200; ++q)
        truth.push_back(exactTop(data, stored, q, 10));
    const double quantised = recallOf(index.searchBatch(data.queries, 10), truth);
    index.setQuantisedTraversal(false);
    const double half = recallOf(index.searchBatch(data.queries, 10), truth);
    qInfo("ef %d: recall@10 %.4f walking 8-bit rows, %.4f walking half vectors", efSearch, quantised, half);
    // The 8-bit walk's error (~4e-4 at 384-d) reorders only near-ties, which the
    // re-rank puts right for whatever reached the beam; what reaches it can differ
    // by a neighbour either way (this data: one more at ef 16, one fewer at ef 32
    // of 2,000). It must not find fewer: more than one neighbour in 1,000 is a loss.
    QVERIFY2(quantised >= half - 0.001, qPrintable(QString("recall %1 < %2").arg(quantised).arg(half)));
    QVERIFY2(half < 1.0 || efSearch == 64, "the data is too easy to tell the walks apart");
}

void TestHnswQuantised::saveLoadGivesIdenticalHits()
{
    const Dataset data = clustered(4000, 100, 96, 40, 1.2f, 17);
    HnswIndex index("1", identity(96), Metric::Cosine);
    QVERIFY(index.build(data.labels, data.rows).has_value());
    QTemporaryDir dir;
    const std::string path = dir.filePath("walk.idx").toStdString();
    QVERIFY(index.save(path).has_value());
    HnswIndex loaded;
    QVERIFY(loaded.load(path).has_value());
    QVERIFY(loaded.quantisedTraversal());
    // The 8-bit rows are derived from the saved half vectors exactly as at build.
    QCOMPARE(loaded.searchBatch(data.queries, 10), index.searchBatch(data.queries, 10));
    loaded.setEfSearch(20);
    index.setEfSearch(20);
    QCOMPARE(loaded.searchBatch(data.queries, 10), index.searchBatch(data.queries, 10));
}

void TestHnswQuantised::addedElementsAreWalked()
{
    const Dataset data = clustered(3000, 0, 64, 30, 1.0f, 5);
    const std::span<const std::int64_t> labels(data.labels);
    const std::span<const float> rows(data.rows);
    HnswIndex index("1", identity(64), Metric::Cosine);
    QVERIFY(index.add(labels.subspan(0, 1000), rows.subspan(0, 1000 * 64)).has_value());
    QVERIFY(index.add(labels.subspan(1000, 1000), rows.subspan(1000 * 64, 1000 * 64)).has_value());
    QVERIFY(index.add(labels.subspan(2000), rows.subspan(2000 * 64)).has_value());
    QCOMPARE(index.size(), std::int64_t(3000));
    // Every element, whichever add() brought it, is found by its own vector.
    int found = 0;
    for (std::size_t i = 0; i < 3000; i += 7) {
        const auto hits = index.search(rows.subspan(i * 64, 64), 1);
        QCOMPARE(hits.size(), std::size_t(1));
        found += hits.front().label == data.labels[i] ? 1 : 0;
        QVERIFY(hits.front().score > 0.999f);
    }
    QCOMPARE(found, int((3000 + 6) / 7));
}

namespace {

std::vector<std::vector<Hit>> buildAndSearch(const Dataset &data, const HnswParams &params, bool quantisedInserts,
                                             int k)
{
    HnswIndex index("1", identity(int(data.dim)), Metric::Cosine, params);
    index.setQuantisedInserts(quantisedInserts);
    if (!index.build(data.labels, data.rows))
        return {};
    return index.searchBatch(data.queries, k);
}

} // namespace

void TestHnswQuantised::wholeBeamInsertsMatchHalfInserts()
{
    // With an insert beam wider than the graph, both insert walks gather every
    // element of each layer, so the beam's members are the same; the 8-bit walk's
    // beam is then re-measured on the halves, so hnswlib's heuristic sees the
    // same exact distances and must pick the same links, in the same order: the
    // two one-thread graphs are identical, which a narrow query beam (ef 8, which
    // depends on every link) shows on every query. Without the re-measure the
    // heuristic would select on 8-bit distances and the graphs would differ.
    const std::size_t n = 1200;
    const Dataset data = clustered(n, 300, 48, 12, 1.3f, 31);
    const HnswParams params{16, int(n) + 1, 8, 42, 1};
    const auto half = buildAndSearch(data, params, false, 5);
    const auto quantised = buildAndSearch(data, params, true, 5);
    QCOMPARE(half.size(), std::size_t(300));
    QCOMPARE(quantised, half);
}

void TestHnswQuantised::quantisedInsertRecall_data()
{
    QTest::addColumn<int>("efSearch");
    QTest::newRow("ef 16") << 16;
    QTest::newRow("ef 32") << 32;
    QTest::newRow("ef 64") << 64;
}

void TestHnswQuantised::quantisedInsertRecall()
{
    QFETCH(int, efSearch);
    // The benchmark's dimension and the insert beam, one insert thread so
    // both graphs (and the recalls) are the same on every run.
    const Dataset data = clustered(6000, 200, 384, 60, 1.5f, 23);
    const Stored stored(data);
    std::vector<std::vector<std::int64_t>> truth;
    for (std::size_t q = 0; q < 200; ++q)
        truth.push_back(exactTop(data, stored, q, 10));
    const HnswParams params{16, 200, efSearch, 42, 1};
    const double half = recallOf(buildAndSearch(data, params, false, 10), truth);
    const double quantised = recallOf(buildAndSearch(data, params, true, 10), truth);
    qInfo("ef %d: recall@10 %.4f with 8-bit inserts, %.4f with half inserts", efSearch, quantised, half);
    QVERIFY2(quantised >= half - 0.003, qPrintable(QString("recall %1 < %2 - 0.003").arg(quantised).arg(half)));
    QVERIFY2(half < 1.0 || efSearch == 64, "the data is too easy to tell the graphs apart");
}

void TestHnswQuantised::quantisedInsertsReachEveryElement()
{
    // Built with 8-bit inserts on all cores and grown by add(), which must extend
    // the rows as it inserts: every element is found by its own vector, saving
    // and loading (rows derived again from the halves) changes no answer.
    const Dataset data = clustered(5000, 100, 96, 50, 1.2f, 13);
    const std::span<const std::int64_t> labels(data.labels);
    const std::span<const float> rows(data.rows);
    HnswIndex index("1", identity(96), Metric::Cosine, HnswParams{16, 200, 64, 42});
    QVERIFY(index.quantisedInserts());
    QVERIFY(index.build(labels.subspan(0, 3000), rows.subspan(0, 3000 * 96)).has_value());
    QVERIFY(index.add(labels.subspan(3000), rows.subspan(3000 * 96)).has_value());
    QCOMPARE(index.size(), std::int64_t(5000));
    int found = 0;
    for (std::size_t i = 0; i < 5000; ++i) {
        const auto hits = index.search(rows.subspan(i * 96, 96), 1);
        QCOMPARE(hits.size(), std::size_t(1));
        found += hits.front().label == data.labels[i] ? 1 : 0;
    }
    QCOMPARE(found, 5000);
    QTemporaryDir dir;
    const std::string path = dir.filePath("inserts.idx").toStdString();
    QVERIFY(index.save(path).has_value());
    HnswIndex loaded;
    QVERIFY(loaded.load(path).has_value());
    QCOMPARE(loaded.searchBatch(data.queries, 10), index.searchBatch(data.queries, 10));
}

QTEST_GUILESS_MAIN(TestHnswQuantised)
#include "tst_hnswquantised.moc"
