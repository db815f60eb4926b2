// Kernels and rows of the HNSW graph's 8-bit traversal copy: the VNNI dot product
// of 8-bit rows and 16-bit queries equals the portable loop (and a plain 64-bit
// sum) exactly, on random and extreme codes and on dimensions that are not
// multiples of 64; quantisation keeps every value within half a step and the
// dequantised dot within its analytical bound; rows derive from half vectors
// exactly as the quantiser defines.
#include "core/index/halfkernels.h"
#include "core/index/int8kernels.h"
#include "core/index/int8rows.h"
#include "core/index/vectorkernels.h"

#include <QTest>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace rag;

namespace {

std::int64_t dot64(const std::vector<std::int8_t> &a, const std::vector<std::int16_t> &b, std::size_t offset,
                   std::size_t n)
{
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < n; ++i)
        sum += std::int64_t(a[offset + i]) * std::int64_t(b[offset + i]);
    return sum;
}

std::vector<float> unitVector(std::mt19937 &rng, std::size_t n)
{
    std::normal_distribution<float> gauss;
    std::vector<float> v(n);
    for (float &x : v)
        x = gauss(rng);
    kernels::normalize(v.data(), n);
    return v;
}

} // namespace

class TestInt8Kernels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void dispatchPicksVnni();
    void vnniEqualsPortable_data();
    void vnniEqualsPortable();
    void quantizeKnownVectors_data();
    void quantizeKnownVectors();
    void quantizeErrorBound_data();
    void quantizeErrorBound();
    void rowsFromHalfVectors();
    void rowsGrowKeepsRows();
};

void TestInt8Kernels::dispatchPicksVnni()
{
    // On a CPU with AVX-512 VNNI (and BW, VL) the kernel must be the VNNI one, or
    // the comparisons below would only test the portable loop against itself.
    __builtin_cpu_init();
    const bool vnni = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
    qInfo("int8 kernel: %s (CPU has AVX-512 VNNI: %s)", kernels::int8InstructionSet(), vnni ? "yes" : "no");
    QCOMPARE(QString(kernels::int8InstructionSet()), QString(vnni ? "avx512vnni" : "scalar"));
    QCOMPARE(kernels::dotInt8Int16Function() == kernels::dotInt8Int16Portable, !vnni);
}

void TestInt8Kernels::vnniEqualsPortable_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("pattern");
    for (int n : {1, 2, 31, 32, 33, 63, 64, 65, 127, 128, 383, 384, 385, 1000, 8191, 8192}) {
        for (const char *pattern : {"random", "max x max", "max x min", "min x min", "lowest x lowest", "alternating"})
            QTest::newRow(qPrintable(QString("%1 %2").arg(pattern).arg(n))) << n << QString(pattern);
    }
}

void TestInt8Kernels::vnniEqualsPortable()
{
    QFETCH(int, n);
    QFETCH(QString, pattern);
    const auto size = std::size_t(n);
    // One spare value in front so that the kernels also run on unaligned rows.
    std::vector<std::int8_t> a(size + 1);
    std::vector<std::int16_t> b(size + 1);
    std::mt19937 rng(std::uint32_t(n) * 31u + std::uint32_t(pattern.size()));
    std::uniform_int_distribution<int> rowCode(-128, 127), queryCode(-32768, 32767);
    for (std::size_t i = 0; i <= size; ++i) {
        int x = 0, y = 0;
        if (pattern == "random") {
            x = rowCode(rng);
            y = queryCode(rng);
        } else if (pattern == "max x max") {
            x = 127;
            y = 32767;
        } else if (pattern == "max x min") {
            x = 127;
            y = -32767;
        } else if (pattern == "min x min") {
            x = -127;
            y = -32767;
        } else if (pattern == "lowest x lowest") { // outside the codes, still exact
            x = -128;
            y = -32768;
        } else {
            x = i % 2 ? 127 : -127;
            y = i % 3 ? -32767 : 32767;
        }
        a[i] = std::int8_t(x);
        b[i] = std::int16_t(y);
    }
    for (std::size_t offset : {std::size_t(0), std::size_t(1)}) {
        const std::int64_t expected = dot64(a, b, offset, size);
        QCOMPARE(kernels::dotInt8Int16Portable(a.data() + offset, b.data() + offset, size), expected);
        QCOMPARE(kernels::dotInt8Int16(a.data() + offset, b.data() + offset, size), expected);
        QCOMPARE(kernels::dotInt8Int16Function()(a.data() + offset, b.data() + offset, size), expected);
    }
    if (pattern == "max x min")
        QCOMPARE(kernels::dotInt8Int16(a.data(), b.data(), size), -std::int64_t(n) * 127 * 32767);
    if (pattern == "lowest x lowest")
        QCOMPARE(kernels::dotInt8Int16(a.data(), b.data(), size), std::int64_t(n) * 128 * 32768);
}

void TestInt8Kernels::quantizeKnownVectors_data()
{
    QTest::addColumn<QVector<float>>("in");
    QTest::addColumn<QVector<int>>("codes");
    QTest::addColumn<QVector<int>>("wideCodes"); // the 16-bit quantiser's
    QTest::addColumn<float>("scale");
    QTest::newRow("zero") << QVector<float>{0, 0, 0} << QVector<int>{0, 0, 0} << QVector<int>{0, 0, 0} << 0.0f;
    QTest::newRow("one-hot") << QVector<float>{0, 0.5f, 0} << QVector<int>{0, 127, 0} << QVector<int>{0, 32767, 0}
                             << 0.5f;
    QTest::newRow("negative peak") << QVector<float>{-2.54f, 1.0f, 0.004f, -0.062f} << QVector<int>{-127, 50, 0, -3}
                                   << QVector<int>{-32767, 12900, 52, -800} << 2.54f;
    // 0.5 and 1.5 steps: ties round to even.
    QTest::newRow("ties") << QVector<float>{127, 0.5f, 1.5f, -0.5f, -2.5f} << QVector<int>{127, 0, 2, 0, -2}
                          << QVector<int>{32767, 129, 387, -129, -645} << 127.0f;
    QTest::newRow("nan") << QVector<float>{1, std::numeric_limits<float>::quiet_NaN(), 2} << QVector<int>{0, 0, 0}
                         << QVector<int>{0, 0, 0} << 0.0f;
    QTest::newRow("infinity") << QVector<float>{1, -std::numeric_limits<float>::infinity(), 2}
                              << QVector<int>{0, 0, 0} << QVector<int>{0, 0, 0} << 0.0f;
}

void TestInt8Kernels::quantizeKnownVectors()
{
    QFETCH(QVector<float>, in);
    QFETCH(QVector<int>, codes);
    QFETCH(QVector<int>, wideCodes);
    QFETCH(float, scale); // the largest magnitude: the step is scale / max code
    std::vector<std::int8_t> out(std::size_t(in.size()), 99);
    QCOMPARE(kernels::quantizeInt8(in.data(), out.data(), out.size()), scale / 127);
    std::vector<std::int16_t> wide(std::size_t(in.size()), 99);
    QCOMPARE(kernels::quantizeInt16(in.data(), wide.data(), wide.size()), scale / 32767);
    for (qsizetype i = 0; i < in.size(); ++i) {
        QCOMPARE(int(out[std::size_t(i)]), codes[i]);
        QCOMPARE(int(wide[std::size_t(i)]), wideCodes[i]);
    }
}

void TestInt8Kernels::quantizeErrorBound_data()
{
    QTest::addColumn<int>("n");
    for (int n : {1, 63, 65, 384, 385, 768})
        QTest::newRow(qPrintable(QString::number(n))) << n;
}

void TestInt8Kernels::quantizeErrorBound()
{
    QFETCH(int, n);
    const auto size = std::size_t(n);
    std::mt19937 rng(std::uint32_t(n) + 7u);
    double sumSquared = 0;
    double worstRatio = 0;
    const int pairs = 500;
    for (int p = 0; p < pairs; ++p) {
        const std::vector<float> x = unitVector(rng, size), q = unitVector(rng, size);
        std::vector<std::int8_t> cx(size);
        std::vector<std::int16_t> cq(size);
        const float sx = kernels::quantizeInt8(x.data(), cx.data(), size);
        const float sq = kernels::quantizeInt16(q.data(), cq.data(), size);
        int peak = 0, widePeak = 0;
        double l1x = 0, l1q = 0, exact = 0;
        for (std::size_t i = 0; i < size; ++i) {
            QVERIFY(int(cx[i]) != -128); // symmetric codes
            peak = std::max(peak, std::abs(int(cx[i])));
            // Every value is within half a step of its code (float rounding aside).
            const double error = std::abs(double(x[i]) - double(sx) * cx[i]);
            QVERIFY2(error <= 0.5 * sx * (1 + 1e-5),
                     qPrintable(QString("value %1 off by %2 steps").arg(i).arg(error / sx)));
            widePeak = std::max(widePeak, std::abs(int(cq[i])));
            QVERIFY(int(cq[i]) != -32768);
            // (x * 32767 / max rounds in float first: up to 0.004 of a step more.)
            QVERIFY(std::abs(double(q[i]) - double(sq) * cq[i]) <= 0.505 * sq);
            l1x += std::abs(double(x[i]));
            l1q += std::abs(double(q[i]));
            exact += double(x[i]) * q[i];
        }
        QCOMPARE(peak, 127); // the largest value maps to the largest code
        QCOMPARE(widePeak, 32767);
        // With x = sx*cx + ex and q = sq*cq + eq, |ex_i| <= sx/2 and |eq_i| <= sq/2:
        // |x.q - sx*sq*(cx.cq)| <= sx/2*|q|_1 + sq/2*|x|_1 + n*sx*sq/4.
        const double approx = double(sq) * double(sx) * double(kernels::dotInt8Int16(cx.data(), cq.data(), size));
        const double bound = sx / 2 * l1q + sq / 2 * l1x + double(n) * sx * sq / 4;
        const double error = std::abs(approx - exact);
        QVERIFY2(error <= bound * (1 + 1e-4) + 1e-7,
                 qPrintable(QString("dot error %1 above the bound %2").arg(error).arg(bound)));
        worstRatio = std::max(worstRatio, error / bound);
        sumSquared += error * error;
    }
    const double rms = std::sqrt(sumSquared / pairs);
    qInfo("n %d: rms dot error %.2e, worst error / bound %.3f", n, rms, worstRatio);
    // Independent rounding errors add up like a random walk, far below the worst
    // case: a row's step is ~3/sqrt(n)/127 for a unit vector, its rounding error
    // step/sqrt(12), and the dot's error about 0.007/sqrt(n) (4e-4 at 384-d,
    // against gaps of ~1e-2 between a query's neighbours); the 16-bit query adds
    // next to nothing (with 8-bit queries it would be sqrt(2) times more, above
    // this check's margin).
    if (n >= 63) {
        const double expected = 0.01 / std::sqrt(double(n));
        QVERIFY2(rms < expected, qPrintable(QString("rms dot error %1 above %2").arg(rms).arg(expected)));
    }
}

void TestInt8Kernels::rowsFromHalfVectors()
{
    for (std::size_t dim : {std::size_t(1), std::size_t(63), std::size_t(64), std::size_t(65), std::size_t(384),
                            std::size_t(385)}) {
        const std::size_t count = 50;
        Int8Rows rows(dim, count);
        QCOMPARE(rows.stride() % 64, std::size_t(0));
        QVERIFY(rows.stride() >= dim + sizeof(float));
        QVERIFY(rows.stride() < dim + sizeof(float) + 64 + 4);
        if (dim == 384)
            QCOMPARE(rows.stride(), std::size_t(448)); // 7 cache lines against 12 for half
        QCOMPARE(reinterpret_cast<std::uintptr_t>(rows.codes(0)) % 64, std::uintptr_t(0));
        std::mt19937 rng{std::uint32_t(dim)};
        std::vector<std::vector<float>> floats;
        for (std::size_t i = 0; i < count; ++i) {
            std::vector<float> v = unitVector(rng, dim);
            std::vector<std::uint16_t> half(dim);
            kernels::toHalf(v.data(), half.data(), dim);
            rows.setFromHalf(i, half.data());
            // The row is the quantiser's output for the half vector widened to float.
            for (std::size_t d = 0; d < dim; ++d)
                v[d] = kernels::halfToFloat(half[d]);
            std::vector<std::int8_t> codes(dim);
            const float scale = kernels::quantizeInt8(v.data(), codes.data(), dim);
            QCOMPARE(rows.scale(i), scale);
            QVERIFY(std::memcmp(rows.codes(i), codes.data(), dim) == 0);
            floats.push_back(v);
        }
        // Int8Distance is 1 - the dequantised dot of the query's codes and the row's.
        Int8Query query;
        const std::vector<float> q = unitVector(rng, dim);
        query.prepare(q.data(), dim);
        const Int8Distance distance(rows, query);
        for (unsigned i = 0; i < count; ++i) {
            const float expected = 1.0f
                - query.scale * rows.scale(i)
                    * float(kernels::dotInt8Int16Portable(rows.codes(i), query.codes.data(), dim));
            QCOMPARE(distance.distance(i), expected);
            double exact = 0;
            for (std::size_t d = 0; d < dim; ++d)
                exact += double(q[d]) * floats[i][d];
            QVERIFY2(std::abs((1.0 - exact) - distance.distance(i)) < 5e-3,
                     qPrintable(QString("dim %1: distance %2, exact %3").arg(dim).arg(distance.distance(i)).arg(1 - exact)));
        }
    }
}

void TestInt8Kernels::rowsGrowKeepsRows()
{
    const std::size_t dim = 100;
    Int8Rows rows(dim, 3);
    std::mt19937 rng(5);
    std::vector<std::vector<std::int8_t>> before;
    for (std::size_t i = 0; i < 3; ++i) {
        const std::vector<float> v = unitVector(rng, dim);
        std::vector<std::uint16_t> half(dim);
        kernels::toHalf(v.data(), half.data(), dim);
        rows.setFromHalf(i, half.data());
        before.emplace_back(rows.codes(i), rows.codes(i) + dim);
    }
    const float scale = rows.scale(2);
    rows.grow(1000, 3);
    QCOMPARE(rows.capacity(), std::size_t(1000));
    for (std::size_t i = 0; i < 3; ++i)
        QVERIFY(std::memcmp(rows.codes(i), before[i].data(), dim) == 0);
    QCOMPARE(rows.scale(2), scale);
    rows.grow(10, 3); // never shrinks
    QCOMPARE(rows.capacity(), std::size_t(1000));
}

QTEST_GUILESS_MAIN(TestInt8Kernels)
#include "tst_int8kernels.moc"
