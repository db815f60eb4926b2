// HnswIndex against hnswlib itself. HnswIndex replaces hnswlib's addPoint (for new
// labels) and searchKnn with its own routines; on one thread, with the same
// distance function, the same parameters and the same insertion order, they must
// build the very same graph as hnswlib and answer every query with the same hits.
// The graph is compared through the index file (its payload keeps hnswlib's
// in-memory layout) against hnswlib's own saveIndex output. The graphs here are
// l2 in float, which HnswIndex walks on the stored vectors exactly as hnswlib
// does; its 8-bit walk (cosine, half precision only) has no hnswlib counterpart
// and is checked against the half walk and exact scores in tst_hnswquantised.
#include "core/index/hnswindex.h"
#include "core/index/indexfileformat.h"
#include "core/index/vectorkernels.h"

// hnswlib's SSE code only prefetches (the distances come from our kernel here), and
// it reads one id past upper-layer link lists to do so, which ASan reports; without
// it the reference builds the same graph and runs clean under the sanitizers.
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>

using namespace rag;

namespace {

// hnswlib space over the same kernel HnswIndex uses for l2, so that both compute
// bit-identical distances (hnswlib's own SSE kernel rounds differently).
class SameKernelSpace : public hnswlib::SpaceInterface<float> {
public:
    explicit SameKernelSpace(std::size_t dim) : m_dim(dim) {}
    std::size_t get_data_size() override { return m_dim * sizeof(float); }
    hnswlib::DISTFUNC<float> get_dist_func() override { return kernels::l2SquaredDistance(); }
    void *get_dist_func_param() override { return &m_dim; }

private:
    std::size_t m_dim;
};

std::vector<char> readAll(const QString &path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

template <typename T>
T at(const std::vector<char> &bytes, std::size_t offset)
{
    T value{};
    if (offset + sizeof value <= bytes.size())
        std::memcpy(&value, bytes.data() + offset, sizeof value);
    return value;
}

} // namespace

class TestHnswReference : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameGraphAndHitsAsHnswlib_data();
    void sameGraphAndHitsAsHnswlib();
};

void TestHnswReference::sameGraphAndHitsAsHnswlib_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("dim");
    QTest::addColumn<int>("M");
    QTest::addColumn<int>("efConstruction");
    QTest::newRow("3000 x 48, M 16") << 3000 << 48 << 16 << 100;
    QTest::newRow("2000 x 37, M 8") << 2000 << 37 << 8 << 40;
    QTest::newRow("1500 x 128, M 24") << 1500 << 128 << 24 << 200;
}

void TestHnswReference::sameGraphAndHitsAsHnswlib()
{
    QFETCH(int, n);
    QFETCH(int, dim);
    QFETCH(int, M);
    QFETCH(int, efConstruction);
    const auto d = std::size_t(dim);
    std::mt19937 rng(std::uint32_t(n + dim));
    std::normal_distribution<float> gauss;
    std::vector<float> rows(std::size_t(n) * d), queries(100 * d);
    std::vector<float> centres(20 * d);
    for (float &c : centres)
        c = 3 * gauss(rng);
    for (std::vector<float> *target : {&rows, &queries}) {
        for (std::size_t i = 0; i < target->size(); ++i)
            (*target)[i] = centres[(i / d % 20) * d + i % d] + gauss(rng);
    }
    std::vector<std::int64_t> labels(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        labels[std::size_t(i)] = i;

    QTemporaryDir dir;
    const std::uint64_t seed = 1234;
    HnswIndex ours("ref", EmbedderIdentity{"bench", "1", "", dim, EmbedderKind::Neural}, Metric::L2,
                   HnswParams{M, efConstruction, 50, seed, 1});
    QVERIFY(ours.build(labels, rows).has_value());
    QVERIFY(ours.save(dir.filePath("ours.idx").toStdString()).has_value());

    SameKernelSpace space(d);
    hnswlib::HierarchicalNSW<float> raw(&space, std::size_t(n), std::size_t(M), std::size_t(efConstruction), seed);
    for (int i = 0; i < n; ++i)
        raw.addPoint(rows.data() + std::size_t(i) * d, std::size_t(i));
    raw.saveIndex(dir.filePath("raw.bin").toStdString());

    // hnswlib's file: 13 header fields, then the level-0 block, then per element a
    // u32 byte count and that element's upper-layer links.
    const std::vector<char> rawFile = readAll(dir.filePath("raw.bin"));
    const std::vector<char> ourFile = readAll(dir.filePath("ours.idx"));
    const std::size_t rawHeader = 6 * 8 + 4 + 4 + 3 * 8 + 8 + 8;
    const auto jsonSize = at<std::uint64_t>(ourFile, 16);
    const std::size_t ourFields = indexfile::kPrefixSize + jsonSize;
    const std::size_t ourHeader = ourFields + 10 * 8;
    QVERIFY(rawFile.size() > rawHeader && ourFile.size() > ourHeader);
    QCOMPARE(at<std::uint64_t>(ourFile, ourFields), at<std::uint64_t>(rawFile, 16));                   // elements
    QCOMPARE(at<std::int64_t>(ourFile, ourFields + 8 * 8), std::int64_t(at<std::int32_t>(rawFile, 48))); // top level
    QCOMPARE(at<std::uint64_t>(ourFile, ourFields + 9 * 8), std::uint64_t(at<std::uint32_t>(rawFile, 52))); // entry
    QCOMPARE(ourFile.size() - ourHeader, rawFile.size() - rawHeader);
    const auto mismatch = std::mismatch(ourFile.begin() + std::ptrdiff_t(ourHeader), ourFile.end(),
                                        rawFile.begin() + std::ptrdiff_t(rawHeader));
    if (mismatch.first != ourFile.end())
        QFAIL(qPrintable(QString("graphs differ from byte %1 of %2")
                             .arg(mismatch.first - ourFile.begin() - std::ptrdiff_t(ourHeader))
                             .arg(ourFile.size() - ourHeader)));

    // Same graph, same beam: the same hits with the same distances.
    raw.setEf(50);
    for (std::size_t q = 0; q < 100; ++q) {
        const auto hits = ours.search(std::span<const float>(queries).subspan(q * d, d), 10);
        auto top = raw.searchKnn(queries.data() + q * d, 10);
        QCOMPARE(hits.size(), top.size());
        for (std::size_t i = hits.size(); i-- > 0; top.pop()) {
            QCOMPARE(hits[i].label, std::int64_t(top.top().second));
            QCOMPARE(hits[i].score, -std::sqrt(top.top().first));
        }
    }
}

QTEST_GUILESS_MAIN(TestHnswReference)
#include "tst_hnswreference.moc"
