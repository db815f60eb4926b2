// The CPU-dispatched kernels against portable references: float dot and squared L2
// against double precision, binary16 conversion against the portable converter and
// known encodings, the top-k scan against a sort, CRC-32C against its check value.
#include "core/index/crc32c.h"
#include "core/index/halfkernels.h"
#include "core/index/topk.h"
#include "core/index/vectorkernels.h"

#include <QTest>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <random>

using namespace rag;

class TestVectorKernels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void floatKernels_data();
    void floatKernels();
    void halfEncodings_data();
    void halfEncodings();
    void halfConversionMatchesPortable();
    void halfDotWithinBound_data();
    void halfDotWithinBound();
    void floatHalfDotWithinBound_data();
    void floatHalfDotWithinBound();
    void normalize();
    void topKScan_data();
    void topKScan();
    void crc32cCheckValue();
};

void TestVectorKernels::initTestCase()
{
    qInfo("kernels: %s", kernels::instructionSet());
}

void TestVectorKernels::floatKernels_data()
{
    QTest::addColumn<int>("n");
    for (int n : {1, 3, 15, 16, 17, 31, 63, 64, 65, 100, 384, 385, 768, 1000})
        QTest::newRow(qPrintable(QString("n=%1").arg(n))) << n;
}

void TestVectorKernels::floatKernels()
{
    QFETCH(int, n);
    std::mt19937 rng{std::uint32_t(n)};
    std::normal_distribution<float> gauss;
    std::vector<float> a(static_cast<std::size_t>(n)), b(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        a[std::size_t(i)] = gauss(rng);
        b[std::size_t(i)] = gauss(rng);
    }
    double dot = 0, l2 = 0, scale = 0;
    for (int i = 0; i < n; ++i) {
        const double x = a[std::size_t(i)], y = b[std::size_t(i)];
        dot += x * y;
        l2 += (x - y) * (x - y);
        scale += std::abs(x * y) + (x - y) * (x - y);
    }
    // Float accumulation in any order stays within n * eps of the magnitudes summed.
    const double bound = double(n) * 1.2e-7 * scale + 1e-30;
    QVERIFY2(std::abs(kernels::dot(a.data(), b.data(), std::size_t(n)) - dot) <= bound, "dot");
    QVERIFY2(std::abs(kernels::l2Squared(a.data(), b.data(), std::size_t(n)) - l2) <= bound, "l2");
    const auto ip = kernels::innerProductDistance();
    const auto sq = kernels::l2SquaredDistance();
    const std::size_t dim = std::size_t(n);
    QCOMPARE(ip(a.data(), b.data(), &dim), 1.0f - kernels::dot(a.data(), b.data(), dim));
    QCOMPARE(sq(a.data(), b.data(), &dim), kernels::l2Squared(a.data(), b.data(), dim));
}

void TestVectorKernels::halfEncodings_data()
{
    QTest::addColumn<float>("value");
    QTest::addColumn<int>("bits");
    QTest::addColumn<float>("decoded"); // what the half decodes back to
    const float inf = std::numeric_limits<float>::infinity();
    QTest::newRow("zero") << 0.0f << 0x0000 << 0.0f;
    QTest::newRow("negative zero") << -0.0f << 0x8000 << -0.0f;
    QTest::newRow("one") << 1.0f << 0x3C00 << 1.0f;
    QTest::newRow("minus two") << -2.0f << 0xC000 << -2.0f;
    QTest::newRow("one third") << float(1.0 / 3.0) << 0x3555 << 0.333251953125f;
    QTest::newRow("max finite") << 65504.0f << 0x7BFF << 65504.0f;
    QTest::newRow("rounds to max finite") << 65519.0f << 0x7BFF << 65504.0f;
    QTest::newRow("rounds to infinity") << 65520.0f << 0x7C00 << inf;
    QTest::newRow("smallest normal") << std::ldexp(1.0f, -14) << 0x0400 << std::ldexp(1.0f, -14);
    QTest::newRow("largest subnormal") << std::ldexp(1023.0f, -24) << 0x03FF << std::ldexp(1023.0f, -24);
    QTest::newRow("smallest subnormal") << std::ldexp(1.0f, -24) << 0x0001 << std::ldexp(1.0f, -24);
    QTest::newRow("half the smallest subnormal: tie to even 0") << std::ldexp(1.0f, -25) << 0x0000 << 0.0f;
    QTest::newRow("1.5 x smallest subnormal: tie to even 2") << std::ldexp(3.0f, -25) << 0x0002 << std::ldexp(1.0f, -23);
    QTest::newRow("1 + 2^-11: tie to even 1") << 1.0f + std::ldexp(1.0f, -11) << 0x3C00 << 1.0f;
    QTest::newRow("1 + 3 x 2^-11: tie to even 1 + 2^-9") << 1.0f + std::ldexp(3.0f, -11) << 0x3C02
                                                        << 1.0f + std::ldexp(1.0f, -9);
    QTest::newRow("infinity") << inf << 0x7C00 << inf;
    QTest::newRow("minus infinity") << -inf << 0xFC00 << -inf;
}

void TestVectorKernels::halfEncodings()
{
    QFETCH(float, value);
    QFETCH(int, bits);
    QFETCH(float, decoded);
    QCOMPARE(int(kernels::floatToHalf(value)), bits);
    std::uint16_t hw = 0;
    kernels::toHalf(&value, &hw, 1);
    QCOMPARE(int(hw), bits);
    QCOMPARE(kernels::halfToFloat(std::uint16_t(bits)), decoded);
    QCOMPARE(std::signbit(kernels::halfToFloat(std::uint16_t(bits))), std::signbit(decoded));
    QVERIFY(std::isnan(kernels::halfToFloat(kernels::floatToHalf(std::numeric_limits<float>::quiet_NaN()))));
}

void TestVectorKernels::halfConversionMatchesPortable()
{
    // The vectorised converter (16 or 8 at a time, with a portable tail) must agree
    // bit for bit with the portable one, over every exponent a float can have.
    std::mt19937 rng(7);
    std::vector<float> values;
    for (int i = 0; i < 200000; ++i)
        values.push_back(std::bit_cast<float>(std::uint32_t(rng())));
    for (int e = -30; e <= 17; ++e) {
        for (int m = 0; m < 64; ++m)
            values.push_back(std::ldexp(1.0f + float(m) / 64.0f, e) * (m % 2 ? -1.0f : 1.0f));
    }
    values.erase(std::remove_if(values.begin(), values.end(), [](float v) { return std::isnan(v); }), values.end());
    std::vector<std::uint16_t> hw(values.size());
    kernels::toHalf(values.data(), hw.data(), values.size());
    int mismatches = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
        mismatches += hw[i] != kernels::floatToHalf(values[i]) ? 1 : 0;
    QCOMPARE(mismatches, 0);
    // Round trip: every binary16 value converts to a float and back to itself.
    for (std::uint32_t h = 0; h < 0x10000; ++h) {
        if ((h & 0x7C00) == 0x7C00 && (h & 0x3FF))
            continue; // NaN payloads
        QCOMPARE(int(kernels::floatToHalf(kernels::halfToFloat(std::uint16_t(h)))), int(h));
    }
}

void TestVectorKernels::halfDotWithinBound_data()
{
    QTest::addColumn<int>("n");
    for (int n : {1, 7, 16, 33, 64, 100, 384, 768})
        QTest::newRow(qPrintable(QString("n=%1").arg(n))) << n;
}

void TestVectorKernels::halfDotWithinBound()
{
    QFETCH(int, n);
    const auto dim = std::size_t(n);
    std::mt19937 rng(std::uint32_t(n) + 99);
    std::normal_distribution<float> gauss;
    for (int trial = 0; trial < 50; ++trial) {
        std::vector<float> a(dim), b(dim);
        for (std::size_t i = 0; i < dim; ++i) {
            a[i] = gauss(rng);
            b[i] = gauss(rng);
        }
        kernels::normalize(a.data(), dim);
        kernels::normalize(b.data(), dim);
        std::vector<std::uint16_t> ha(dim), hb(dim);
        kernels::toHalf(a.data(), ha.data(), dim);
        kernels::toHalf(b.data(), hb.data(), dim);
        double exact = 0, decoded = 0;
        for (std::size_t i = 0; i < dim; ++i) {
            exact += double(a[i]) * b[i];
            decoded += double(kernels::halfToFloat(ha[i])) * kernels::halfToFloat(hb[i]);
        }
        const float got = kernels::dotHalf(ha.data(), hb.data(), dim);
        // The kernel computes the decoded dot product up to float accumulation...
        QVERIFY2(std::abs(got - decoded) <= double(n) * 1.2e-7 + 1e-7, "accumulation");
        // ...which is within 2u + u^2 (u = 2^-11) of the exact one for unit vectors.
        QVERIFY2(std::abs(got - exact) <= 2.0 / 2048 + 1.0 / (2048.0 * 2048) + double(n) * 1.2e-7,
                 qPrintable(QString("error %1").arg(std::abs(got - exact))));
        const auto distance = kernels::innerProductDistanceHalf();
        QCOMPARE(distance(ha.data(), hb.data(), &dim), 1.0f - got);
    }
}

void TestVectorKernels::floatHalfDotWithinBound_data()
{
    halfDotWithinBound_data();
}

// The mixed kernel graph searches use: a float query against half rows.
void TestVectorKernels::floatHalfDotWithinBound()
{
    QFETCH(int, n);
    const auto dim = std::size_t(n);
    std::mt19937 rng(std::uint32_t(n) + 7);
    std::normal_distribution<float> gauss;
    for (int trial = 0; trial < 50; ++trial) {
        std::vector<float> a(dim), b(dim);
        for (std::size_t i = 0; i < dim; ++i) {
            a[i] = gauss(rng);
            b[i] = gauss(rng);
        }
        kernels::normalize(a.data(), dim);
        kernels::normalize(b.data(), dim);
        std::vector<std::uint16_t> hb(dim);
        kernels::toHalf(b.data(), hb.data(), dim);
        double exact = 0, decoded = 0;
        for (std::size_t i = 0; i < dim; ++i) {
            exact += double(a[i]) * b[i];
            decoded += double(a[i]) * kernels::halfToFloat(hb[i]);
        }
        const float got = kernels::dotFloatHalf(a.data(), hb.data(), dim);
        QVERIFY2(std::abs(got - decoded) <= double(n) * 1.2e-7 + 1e-7,
                 qPrintable(QString("accumulation error %1").arg(std::abs(got - decoded))));
        // Only the row is rounded: within u = 2^-11 of the exact dot for unit vectors.
        QVERIFY2(std::abs(got - exact) <= 1.0 / 2048 + double(n) * 1.2e-7,
                 qPrintable(QString("error %1").arg(std::abs(got - exact))));
        const auto distance = kernels::innerProductDistanceFloatHalf();
        QCOMPARE(distance(a.data(), hb.data(), &dim), 1.0f - got);
    }
}

void TestVectorKernels::normalize()
{
    std::vector<float> v = {3, 4, 0, 0, 0};
    kernels::normalize(v.data(), v.size());
    QCOMPARE(v[0], 0.6f);
    QCOMPARE(v[1], 0.8f);
    std::vector<float> zero(5, 0.0f);
    kernels::normalize(zero.data(), zero.size());
    QVERIFY(std::all_of(zero.begin(), zero.end(), [](float x) { return x == 0.0f; }));
}

void TestVectorKernels::topKScan_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::newRow("k 10 of 5000") << 5000 << 10;
    QTest::newRow("k 1 of 17") << 17 << 1;
    QTest::newRow("k larger than n") << 5 << 8;
    QTest::newRow("k 100 of 4099") << 4099 << 100;
}

void TestVectorKernels::topKScan()
{
    QFETCH(int, n);
    QFETCH(int, k);
    std::mt19937 rng{std::uint32_t(n * 31 + k)};
    std::uniform_int_distribution<int> coarse(0, 200); // many exact ties
    std::vector<float> scores(static_cast<std::size_t>(n));
    for (float &s : scores)
        s = float(coarse(rng)) / 7.0f;
    // Scanned in three uneven blocks, as the flat index scans tiles.
    TopK top(static_cast<std::size_t>(k));
    const std::size_t cut1 = std::size_t(n) / 3, cut2 = std::size_t(n) * 3 / 4;
    top.scan(scores.data(), cut1, 0);
    top.scan(scores.data() + cut1, cut2 - cut1, std::int64_t(cut1));
    top.scan(scores.data() + cut2, std::size_t(n) - cut2, std::int64_t(cut2));
    const auto got = top.take();

    std::vector<std::pair<float, std::int64_t>> expected;
    for (int i = 0; i < n; ++i)
        expected.emplace_back(-scores[std::size_t(i)], i);
    std::sort(expected.begin(), expected.end()); // best score first, ties by smaller id
    QCOMPARE(got.size(), std::size_t(std::min(n, k)));
    for (std::size_t i = 0; i < got.size(); ++i) {
        QCOMPARE(got[i].score, -expected[i].first);
        QCOMPARE(got[i].id, expected[i].second);
    }
}

void TestVectorKernels::crc32cCheckValue()
{
    // The CRC-32C check value (RFC 3720, appendix B.4): "123456789" -> 0xE3069283.
    QCOMPARE(crc32c(0, "123456789", 9), 0xE3069283u);
    // Streaming over any split gives the same value.
    const std::string text = "The quick brown fox jumps over the lazy dog, several times over.";
    const std::uint32_t whole = crc32c(0, text.data(), text.size());
    for (std::size_t cut : {std::size_t(0), std::size_t(1), std::size_t(7), std::size_t(8), std::size_t(33)})
        QCOMPARE(crc32c(crc32c(0, text.data(), cut), text.data() + cut, text.size() - cut), whole);
    // 32 zero bytes (RFC 3720 B.4): 0x8A9136AA.
    const char zeros[32] = {};
    QCOMPARE(crc32c(0, zeros, sizeof zeros), 0x8A9136AAu);
}

QTEST_GUILESS_MAIN(TestVectorKernels)
#include "tst_vectorkernels.moc"
