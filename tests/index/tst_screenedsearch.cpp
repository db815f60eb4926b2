// Screened exact search (bf16 screening with certified bounds, float re-scoring)
// against a float brute force over kernels::dot: the hits must be the same rows
// with bit-identical scores, on clustered data, ties, near-ties, odd dimensions,
// few rows, one query or many, one thread or two, the hardware and the portable
// kernel. Also the bf16 conversion and the kernels themselves.
#include "core/index/bf16kernels.h"
#include "core/index/flatindex.h"
#include "core/index/screenedsearch.h"
#include "core/index/topk.h"
#include "core/index/vectorkernels.h"

#include <QFile>
#include <QTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace rag;

namespace {

std::vector<float> unitVectors(std::size_t n, std::size_t dim, std::size_t clusters, float spread, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> centres(clusters * dim);
    for (float &c : centres)
        c = normal(rng);
    std::vector<float> out(n * dim);
    for (std::size_t i = 0; i < n; ++i) {
        const float *centre = centres.data() + (rng() % clusters) * dim;
        for (std::size_t d = 0; d < dim; ++d)
            out[i * dim + d] = centre[d] + spread * normal(rng);
        kernels::normalize(out.data() + i * dim, dim);
    }
    return out;
}

// The reference: every row scored with kernels::dot, the k best kept by TopK.
std::vector<std::vector<TopK::Entry>> bruteForce(const std::vector<float> &rows, const std::vector<float> &queries,
                                                 std::size_t dim, std::size_t k)
{
    const std::size_t n = rows.size() / dim, nq = queries.size() / dim;
    std::vector<std::vector<TopK::Entry>> out(nq);
    for (std::size_t i = 0; i < nq; ++i) {
        TopK top(k);
        for (std::size_t j = 0; j < n; ++j)
            top.push(kernels::dot(queries.data() + i * dim, rows.data() + j * dim, dim), std::int64_t(j));
        out[i] = top.take();
    }
    return out;
}

bool cpuListsBf16()
{
    QFile cpuinfo("/proc/cpuinfo");
    return cpuinfo.open(QIODevice::ReadOnly) && cpuinfo.readAll().contains(" avx512_bf16");
}

} // namespace

class TestScreenedSearch : public QObject {
    Q_OBJECT

private:
    // Compares screenedSearch with the brute force for the given kernels and thread counts.
    void compareWithBruteForce(const std::vector<float> &rows, const std::vector<float> &queries, std::size_t dim,
                               std::size_t k, std::size_t *rescored = nullptr)
    {
        const ScreenedRows screen(rows.data(), rows.size() / dim, dim);
        const auto expected = bruteForce(rows, queries, dim, k);
        std::vector<kernels::ScreenFunction> kernelsToTest{kernels::screenBf16Portable()};
        if (kernels::screenBf16Hardware())
            kernelsToTest.push_back(kernels::screenBf16Hardware());
        for (auto kernel : kernelsToTest) {
            for (int threads : {1, 2}) {
                ScreenedSearchStats stats;
                const auto got = screenedSearch(screen, rows.data(), queries.data(), queries.size() / dim, k, kernel,
                                                threads, &stats);
                QCOMPARE(got.size(), expected.size());
                for (std::size_t i = 0; i < got.size(); ++i) {
                    QCOMPARE(got[i].size(), expected[i].size());
                    for (std::size_t r = 0; r < got[i].size(); ++r) {
                        QCOMPARE(got[i][r].id, expected[i][r].id);
                        // Bit-identical: the same kernels::dot over the same floats.
                        QCOMPARE(std::memcmp(&got[i][r].score, &expected[i][r].score, sizeof(float)), 0);
                    }
                }
                if (rescored)
                    *rescored = stats.rescored;
            }
        }
    }

private Q_SLOTS:
    void bf16RoundsToNearestEven_data()
    {
        QTest::addColumn<float>("value");
        QTest::addColumn<int>("expected");
        QTest::newRow("one") << 1.0f << 0x3f80;
        QTest::newRow("minus two") << -2.0f << 0xc000;
        QTest::newRow("tie to even down") << (1.0f + 0x1p-8f) << 0x3f80;
        QTest::newRow("tie to even up") << (1.0f + 3 * 0x1p-8f) << 0x3f82;
        QTest::newRow("above tie") << (1.0f + 0x1p-8f + 0x1p-20f) << 0x3f81;
        QTest::newRow("max float rounds to inf") << 3.4028235e38f << 0x7f80;
        QTest::newRow("negative zero") << -0.0f << 0x8000;
        QTest::newRow("smallest normal") << 0x1p-126f << 0x0080;
    }
    void bf16RoundsToNearestEven()
    {
        QFETCH(float, value);
        QFETCH(int, expected);
        QCOMPARE(int(kernels::floatToBf16(value)), expected);
        if (std::isfinite(kernels::bf16ToFloat(std::uint16_t(expected))))
            QCOMPARE(kernels::floatToBf16(kernels::bf16ToFloat(std::uint16_t(expected))), std::uint16_t(expected));
    }

    void bf16KeepsNaN()
    {
        QVERIFY(std::isnan(kernels::bf16ToFloat(kernels::floatToBf16(std::nanf("")))));
    }

    // The hardware kernel's scores equal the exact products' sum within the float
    // rounding bound the search relies on; its masks follow its own scores.
    void hardwareKernelMatchesPortable()
    {
        if (!kernels::screenBf16Hardware()) {
            QVERIFY2(!cpuListsBf16(), "the CPU lists avx512_bf16 but the hardware kernel was not chosen");
            QSKIP("this CPU has no AVX-512 BF16; the portable kernel is tested by every other case");
        }
        const std::size_t dim = 385, pairs = (dim + 1) / 2;
        const auto rows = unitVectors(kernels::kPanelRows, dim, 3, 0.5f, 7);
        const auto queries = unitVectors(kernels::kScreenQueries, dim, 3, 0.5f, 8);
        const ScreenedRows screen(rows.data(), kernels::kPanelRows, dim);
        std::vector<std::uint32_t> packed(kernels::kScreenQueries * pairs);
        const std::uint32_t *words[kernels::kScreenQueries];
        for (std::size_t m = 0; m < kernels::kScreenQueries; ++m) {
            kernels::packBf16Pairs(queries.data() + m * dim, dim, packed.data() + m * pairs);
            words[m] = packed.data() + m * pairs;
        }
        for (std::size_t count = 1; count <= kernels::kScreenQueries; ++count) {
            const std::vector<float> c0(8, 0.0f), c1(8, 0.5f), c2(8, 0.25f), bars{-1, 0, 0.1f, 0.2f, 0.3f, 0.5f, 0.7f, 2};
            std::vector<float> hwScores(8 * 32), swScores(8 * 32);
            std::uint32_t hwMasks[8] = {}, swMasks[8] = {};
            kernels::ScreenTile tile{words, count, screen.panel(0), pairs, 29, screen.rowError(0), screen.rowNorm(0),
                                     c0.data(), c1.data(), c2.data(), bars.data(), hwScores.data(), hwMasks};
            kernels::screenBf16Hardware()(tile);
            tile.scores = swScores.data();
            tile.masks = swMasks;
            kernels::screenBf16Portable()(tile);
            const double tolerance = double(kernels::screenRoundings(pairs)) * 0x1p-24 * 1.01;
            for (std::size_t m = 0; m < count; ++m) {
                for (std::size_t r = 0; r < 32; ++r) {
                    const float a = hwScores[m * 32 + r];
                    QVERIFY2(std::abs(double(a) - swScores[m * 32 + r]) <= 2 * tolerance,
                             qPrintable(QString("query %1 row %2: %3 vs %4").arg(m).arg(r).arg(a).arg(swScores[m * 32 + r])));
                    const float upper = a + c1[m] * screen.rowError(0)[r] + c2[m] * screen.rowNorm(0)[r] + c0[m];
                    const bool set = hwMasks[m] >> r & 1u;
                    if (r >= 29)
                        QVERIFY(!set);
                    else if (std::abs(upper - bars[m]) > 1e-5f)
                        QCOMPARE(set, upper >= bars[m]);
                }
            }
        }
    }

    void equalsBruteForceOnClusteredData()
    {
        const std::size_t dim = 384, k = 10;
        const auto rows = unitVectors(6001, dim, 60, 0.35f, 1);
        const auto queries = unitVectors(70, dim, 60, 0.35f, 2);
        std::size_t rescored = 0;
        compareWithBruteForce(rows, queries, dim, k, &rescored);
        // The bound is tight enough to re-score a small share of the rows: on this
        // set ~1 % (it depends on how many rows crowd the k-th score).
        QVERIFY2(rescored < 70 * 6001 / 20, qPrintable(QString("re-scored %1 rows for 70 queries").arg(rescored)));
        QVERIFY(rescored >= 70 * k);
    }

    void equalsBruteForceOnOddShapes_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("dim");
        QTest::addColumn<int>("queries");
        QTest::addColumn<int>("k");
        QTest::newRow("dimension 1") << 100 << 1 << 9 << 5;
        QTest::newRow("dimension 3, one query") << 257 << 3 << 1 << 4;
        QTest::newRow("dimension 17, k above rows") << 20 << 17 << 11 << 30;
        QTest::newRow("dimension 385, one panel") << 31 << 385 << 33 << 10;
        QTest::newRow("dimension 768, rows split between threads") << 2000 << 768 << 3 << 10;
        QTest::newRow("k = 1") << 999 << 64 << 40 << 1;
    }
    void equalsBruteForceOnOddShapes()
    {
        QFETCH(int, rows);
        QFETCH(int, dim);
        QFETCH(int, queries);
        QFETCH(int, k);
        const auto r = unitVectors(std::size_t(rows), std::size_t(dim), 5, 0.6f, unsigned(rows + dim));
        const auto q = unitVectors(std::size_t(queries), std::size_t(dim), 5, 0.6f, unsigned(queries * 7 + dim));
        compareWithBruteForce(r, q, std::size_t(dim), std::size_t(k));
    }

    // Exact duplicates tie on the float score; the smaller row must win, as in the
    // brute force, across panels and across the threads' row ranges.
    void tiesGoToTheSmallerRow()
    {
        const std::size_t dim = 48;
        auto base = unitVectors(50, dim, 2, 0.3f, 3);
        std::vector<float> rows;
        for (int copy = 0; copy < 40; ++copy)
            rows.insert(rows.end(), base.begin(), base.end());
        const auto queries = unitVectors(12, dim, 2, 0.3f, 4);
        compareWithBruteForce(rows, queries, dim, 25);
    }

    // Rows one float step apart: their bf16 roundings are equal, so only the
    // re-scoring separates them.
    void nearTiesAreResolvedInFloat()
    {
        const std::size_t dim = 32;
        auto base = unitVectors(1, dim, 1, 0.0f, 5);
        std::vector<float> rows;
        for (int i = 0; i < 300; ++i) {
            std::vector<float> row = base;
            for (std::size_t d = 0; d < dim; d += 3)
                for (int step = 0; step < i % 17; ++step)
                    row[d] = std::nextafter(row[d], 2.0f);
            rows.insert(rows.end(), row.begin(), row.end());
        }
        const auto queries = unitVectors(5, dim, 1, 0.1f, 5);
        compareWithBruteForce(rows, queries, dim, 7);
    }

    void zeroQueryReturnsTheFirstRows()
    {
        const std::size_t dim = 16;
        const auto rows = unitVectors(100, dim, 4, 0.5f, 6);
        const std::vector<float> query(dim, 0.0f);
        compareWithBruteForce(rows, query, dim, 3);
    }

    // FlatIndex (cosine) answers from the screened search on a CPU with BF16 and
    // from sgemm otherwise; either way its hits are the brute force's.
    void flatIndexMatchesBruteForce()
    {
        const std::size_t dim = 96, k = 8;
        const auto rows = unitVectors(3000, dim, 30, 0.4f, 9);
        const auto queries = unitVectors(50, dim, 30, 0.4f, 10);
        std::vector<std::int64_t> labels(3000);
        for (std::size_t i = 0; i < labels.size(); ++i)
            labels[i] = std::int64_t(1000 + i);
        FlatIndex index("1", EmbedderIdentity{"test", "1", "", int(dim), EmbedderKind::Neural}, Metric::Cosine);
        QVERIFY(index.build(labels, rows).has_value());
        const auto expected = bruteForce(rows, queries, dim, k);
        const auto batch = index.searchBatch(queries, int(k));
        QCOMPARE(batch.size(), expected.size());
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const auto single = index.search(std::span(queries).subspan(i * dim, dim), int(k));
            QCOMPARE(batch[i].size(), k);
            QCOMPARE(single.size(), k);
            for (std::size_t r = 0; r < k; ++r) {
                QCOMPARE(batch[i][r].label, 1000 + expected[i][r].id);
                QCOMPARE(single[r].label, batch[i][r].label);
                QVERIFY(std::abs(batch[i][r].score - expected[i][r].score) <= 1e-5f);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestScreenedSearch)
#include "tst_screenedsearch.moc"
