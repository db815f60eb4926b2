// Paired statistics: hand-enumerated sign-flip p-values, the bootstrap CI on
// known distributions, the normal quantile, power sample sizes, and whole
// report comparisons (self, clearly better, tiny perturbation).
#include "core/eval/pairedstats.h"
#include "core/eval/reportwriters.h"

#include <QtTest>

#include <QElapsedTimer>

#include <cmath>
#include <random>

using namespace rag;

namespace {

std::vector<double> uniformValues(std::size_t n, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<double> values(n);
    for (double &value : values)
        value = double(rng() % 1000001) / 1e6;
    return values;
}

// Box-Muller from raw 64-bit draws (std::normal_distribution is implementation-defined).
std::vector<double> normalValues(std::size_t n, double mean, double sd, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    const auto unit = [&] { return (double(rng() >> 11) + 0.5) / 9007199254740992.0; };
    std::vector<double> values(n);
    for (double &value : values)
        value = mean + sd * std::sqrt(-2.0 * std::log(unit())) * std::cos(2.0 * M_PI * unit());
    return values;
}

EvalReport reportFrom(const std::vector<double> &ndcg, const std::vector<double> &recall, const std::string &hash)
{
    EvalReport report;
    report.metricNames = {"ndcg@10", "recall@100"};
    double sumN = 0, sumR = 0;
    for (std::size_t i = 0; i < ndcg.size(); ++i) {
        report.perQuery["q" + std::to_string(i)] = {{"ndcg@10", ndcg[i]}, {"recall@100", recall[i]}};
        sumN += ndcg[i];
        sumR += recall[i];
    }
    report.metrics = {{"ndcg@10", sumN / ndcg.size()}, {"recall@100", sumR / recall.size()}};
    report.queries = ndcg.size();
    report.evalSet = EvalSetInfo{"synthetic", hash, "test"};
    return report;
}

} // namespace

class TestPairedStats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void exactSignFlip_data();
    void exactSignFlip();
    void monteCarloSignFlipMatchesNormalTheory();
    void bootstrapConstantDifferences();
    void bootstrapKnownDistribution_data();
    void bootstrapKnownDistribution();
    void normalQuantile_data();
    void normalQuantile();
    void queriesForPower();
    void selfComparison_data();
    void selfComparison();
    void clearlyBetterRunIsSignificant();
    void tinyPerturbationIsWithinNoise();
    void deterministicAndTimed();
    void rejectsBadInput();
    void comparisonTables();
};

void TestPairedStats::exactSignFlip_data()
{
    QTest::addColumn<std::vector<double>>("diffs");
    QTest::addColumn<double>("expected");
    // All 2^n sign vectors enumerated by hand; p = #(|S*| >= |S|) / 2^n.
    // [1,1,1,1,1]: S = 5, only all-plus and all-minus reach 5 -> 2/32.
    QTest::newRow("five equal gains") << std::vector<double>{1, 1, 1, 1, 1} << 2.0 / 32;
    // [2,1,1]: S = 4; sums +-4 (2 vectors), +-2 (4), 0 (2) -> 2/8.
    QTest::newRow("2,1,1") << std::vector<double>{2, 1, 1} << 0.25;
    // [1,2,3,4]: S = 10, only the two uniform vectors -> 2/16.
    QTest::newRow("1,2,3,4") << std::vector<double>{1, 2, 3, 4} << 0.125;
    // [1,-1]: S = 0, every vector has |S*| >= 0 -> 1.
    QTest::newRow("cancelling") << std::vector<double>{1, -1} << 1.0;
    // [3,-1]: S = 2; sums 2, 4, -4, -2 -> all four -> 1.
    QTest::newRow("3,-1") << std::vector<double>{3, -1} << 1.0;
    // [3,1,-1]: S = 3*s1 + s2 - s3 over sign vectors s:
    // +++ 3, ++- 5, +-+ 1, +-- 3, and the mirror images -> |S*| >= 3 for 6 of 8.
    QTest::newRow("3,1,-1") << std::vector<double>{3, 1, -1} << 6.0 / 8;
    // Floating-point ties: in exact arithmetic 44 of the 64 sign vectors reach
    // |S| = 0.8 (enumerated with Python fractions); summed in doubles two of
    // them land one ulp below it. The relative tolerance counts them -> 44/64.
    QTest::newRow("floating-point ties") << std::vector<double>{-0.1, -0.2, 0.9, -0.6, 0.1, -0.9} << 44.0 / 64;
    // 16 pairs: still exact. 16 x +0.01 -> 2 / 65536.
    QTest::newRow("n = 16, all better") << std::vector<double>(16, 0.01) << 2.0 / 65536;
}

void TestPairedStats::exactSignFlip()
{
    QFETCH(std::vector<double>, diffs);
    QFETCH(double, expected);
    bool exact = false;
    const double p = signFlipPValue(diffs, 10000, 16, 1, exact);
    QVERIFY(exact);
    QCOMPARE(p, expected);
}

void TestPairedStats::monteCarloSignFlipMatchesNormalTheory()
{
    // n = 400 differences with mean 0.1 and SD 1: z = 0.1 / (1/20) = 2 ->
    // two-sided p about 0.0455 under the normal approximation, which the
    // randomisation distribution follows closely at this n.
    std::vector<double> diffs = normalValues(400, 0.0, 1.0, 3);
    double mean = 0, sd = 0;
    for (double d : diffs)
        mean += d / diffs.size();
    for (double d : diffs)
        sd += (d - mean) * (d - mean) / (diffs.size() - 1);
    sd = std::sqrt(sd);
    for (double &d : diffs)
        d = (d - mean) / sd + 0.1;  // standardise exactly, then shift: mean 0.1
    bool exact = true;
    const double p = signFlipPValue(diffs, 10000, 16, 5, exact);
    QVERIFY(!exact);
    // Expected ~0.0455 (z = 2 with the centred second moment ~1.01); the
    // Monte Carlo SE at 10,000 permutations is ~0.002.
    QVERIFY2(p > 0.035 && p < 0.058, qPrintable(QString::number(p)));
}

void TestPairedStats::bootstrapConstantDifferences()
{
    const std::vector<double> diffs(50, 0.125);
    const auto [low, high] = bootstrapMeanCi(diffs, 10000, 0.05, 9);
    QCOMPARE(low, 0.125);
    QCOMPARE(high, 0.125);
}

void TestPairedStats::bootstrapKnownDistribution_data()
{
    QTest::addColumn<std::vector<double>>("diffs");
    // 1000 draws from N(0.2, 1): CI ~ mean +- 1.96 * s / sqrt(1000).
    QTest::newRow("normal") << normalValues(1000, 0.2, 1.0, 17);
    // 400 Bernoulli(0.5) values (exactly 200 ones): CI ~ 0.5 +- 1.96 * 0.5 / 20 = 0.5 +- 0.049.
    std::vector<double> coin(400, 0.0);
    std::fill(coin.begin(), coin.begin() + 200, 1.0);
    QTest::newRow("coin") << coin;
    // Skewed: exponential(1) - 1 via inverse CDF, 800 values.
    std::vector<double> skewed = uniformValues(800, 23);
    for (double &v : skewed)
        v = -std::log(1.0 - std::min(v, 0.999999)) - 1.0;
    QTest::newRow("exponential") << skewed;
}

void TestPairedStats::bootstrapKnownDistribution()
{
    QFETCH(std::vector<double>, diffs);
    double mean = 0, sd = 0;
    for (double d : diffs)
        mean += d / diffs.size();
    for (double d : diffs)
        sd += (d - mean) * (d - mean) / (diffs.size() - 1);
    sd = std::sqrt(sd);
    const double halfWidth = 1.959963984540054 * sd / std::sqrt(double(diffs.size()));
    const auto [low, high] = bootstrapMeanCi(diffs, 10000, 0.05, 42);
    // The percentile bootstrap matches the normal interval to within a few
    // percent of its width at these n (its own Monte Carlo error is ~1%).
    QVERIFY2(std::fabs(low - (mean - halfWidth)) < 0.06 * halfWidth,
             qPrintable(QStringLiteral("low %1 vs %2").arg(low).arg(mean - halfWidth)));
    QVERIFY2(std::fabs(high - (mean + halfWidth)) < 0.06 * halfWidth,
             qPrintable(QStringLiteral("high %1 vs %2").arg(high).arg(mean + halfWidth)));
    QVERIFY(low < mean && mean < high);
}

void TestPairedStats::normalQuantile_data()
{
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("z");
    // Python: statistics.NormalDist().inv_cdf(p)
    QTest::newRow("0.975") << 0.975 << 1.9599639845400536;
    QTest::newRow("0.8") << 0.8 << 0.8416212335729144;
    QTest::newRow("0.5") << 0.5 << 0.0;
    QTest::newRow("0.001 (lower tail)") << 0.001 << -3.090232306167813;
    QTest::newRow("1e-10") << 1e-10 << -6.361340902404056;
    QTest::newRow("0.999999 (upper tail)") << 0.999999 << 4.753424308817089;
}

void TestPairedStats::normalQuantile()
{
    QFETCH(double, p);
    QFETCH(double, z);
    QVERIFY2(std::fabs(rag::normalQuantile(p) - z) < 1e-12,
             qPrintable(QString::number(rag::normalQuantile(p), 'g', 17)));
}

void TestPairedStats::queriesForPower()
{
    // ((z_.975 + z_.8) * sd / delta)^2 = (2.8015852 * 0.1 / 0.02)^2 = 14.007926^2 = 196.222 -> 197
    QCOMPARE(rag::queriesForPower(0.02, 0.1, 0.05, 0.8), std::optional<std::int64_t>(197));
    QCOMPARE(rag::queriesForPower(-0.02, 0.1, 0.05, 0.8), std::optional<std::int64_t>(197));
    // (2.8015852 * 0.3 / 0.05)^2 = 16.809511^2 = 282.56 -> 283
    QCOMPARE(rag::queriesForPower(0.05, 0.3, 0.05, 0.8), std::optional<std::int64_t>(283));
    QCOMPARE(rag::queriesForPower(0.0, 0.1, 0.05, 0.8), std::nullopt);
    QCOMPARE(rag::queriesForPower(0.1, 0.0, 0.05, 0.8), std::optional<std::int64_t>(2));  // floor of 2
}

void TestPairedStats::selfComparison_data()
{
    QTest::addColumn<int>("n");
    QTest::newRow("n = 10 (exact)") << 10;
    QTest::newRow("n = 300 (Monte Carlo)") << 300;
}

void TestPairedStats::selfComparison()
{
    QFETCH(int, n);
    const EvalReport a = reportFrom(uniformValues(n, 1), uniformValues(n, 2), "h");
    const auto comparisons = compareReports(a, a);
    QVERIFY2(comparisons.has_value(), comparisons ? "" : comparisons.error().message().c_str());
    QCOMPARE(comparisons->size(), std::size_t(2));
    for (const MetricComparison &c : *comparisons) {
        QCOMPARE(c.test.n, std::size_t(n));
        QCOMPARE(c.test.delta, 0.0);
        QCOMPARE(c.test.pValue, 1.0);
        QCOMPARE(c.test.ciLow, 0.0);
        QCOMPARE(c.test.ciHigh, 0.0);
        QVERIFY(!c.test.significant);
        QVERIFY(!c.test.queriesForPower.has_value());
        QCOMPARE(c.test.exactP, n <= 16);
    }
    QCOMPARE((*comparisons)[0].metric, std::string("ndcg@10"));
}

void TestPairedStats::clearlyBetterRunIsSignificant()
{
    // B gains 0.08 on average with per-query noise of SD 0.1 over 300 queries:
    // t ~ 0.08 / (0.1 / sqrt(300)) ~ 14.
    const std::vector<double> base = uniformValues(300, 31);
    const std::vector<double> noise = normalValues(300, 0.08, 0.1, 32);
    std::vector<double> better(300);
    for (std::size_t i = 0; i < base.size(); ++i)
        better[i] = base[i] + noise[i];
    const auto comparisons = compareReports(reportFrom(base, base, "h"), reportFrom(better, base, "h"));
    QVERIFY(comparisons.has_value());
    const PairedTestResult &ndcg = (*comparisons)[0].test;
    QVERIFY2(ndcg.pValue < 0.01, qPrintable(QString::number(ndcg.pValue)));
    QCOMPARE(ndcg.pValue, 1.0 / 10001);  // no sign vector reaches it: the Monte Carlo floor
    QVERIFY(ndcg.ciLow > 0.0);
    QVERIFY(ndcg.ciLow < ndcg.delta && ndcg.delta < ndcg.ciHigh);
    QVERIFY(ndcg.significant);
    QVERIFY(std::fabs(ndcg.delta - 0.08) < 0.015);
    // Such an effect needs few queries: (2.8 * 0.1 / 0.08)^2 ~ 12.
    QVERIFY(ndcg.queriesForPower && *ndcg.queriesForPower >= 8 && *ndcg.queriesForPower <= 20);
    // recall@100 did not change.
    QCOMPARE((*comparisons)[1].test.pValue, 1.0);
}

void TestPairedStats::tinyPerturbationIsWithinNoise()
{
    // B = A with +-0.002 jitter on a third of the queries: no real difference.
    const std::vector<double> base = uniformValues(300, 41);
    std::vector<double> jittered = base;
    std::mt19937_64 rng(42);
    for (double &value : jittered)
        if (rng() % 3 == 0)
            value += (rng() % 2 ? 0.002 : -0.002);
    const auto comparisons = compareReports(reportFrom(base, base, "h"), reportFrom(jittered, base, "h"));
    QVERIFY(comparisons.has_value());
    const PairedTestResult &ndcg = (*comparisons)[0].test;
    QVERIFY2(!ndcg.significant, qPrintable(QString::number(ndcg.pValue)));
    QVERIFY2(ndcg.pValue > 0.05, qPrintable(QString::number(ndcg.pValue)));
    QVERIFY(ndcg.ciLow < 0.0 && ndcg.ciHigh > 0.0);
    QVERIFY(std::fabs(ndcg.delta) < 0.0005);
    // To detect a delta this small would take far more queries than we have.
    QVERIFY(ndcg.queriesForPower && *ndcg.queriesForPower > 1000);
}

void TestPairedStats::deterministicAndTimed()
{
    const std::vector<double> a = uniformValues(300, 51), b = uniformValues(300, 52);
    QElapsedTimer timer;
    timer.start();
    const auto first = pairedTest(a, b);
    const qint64 ms = timer.elapsed();
    const auto second = pairedTest(a, b);
    QVERIFY(first && second);
    QCOMPARE(first->pValue, second->pValue);
    QCOMPARE(first->ciLow, second->ciLow);
    QCOMPARE(first->ciHigh, second->ciHigh);
    qInfo("paired test, n = 300, 10,000 resamples + 10,000 permutations: %lld ms", static_cast<long long>(ms));
    PairedTestOptions other;
    other.seed = 99;
    QVERIFY(pairedTest(a, b, other)->ciLow != first->ciLow);  // the seed is really used
}

void TestPairedStats::rejectsBadInput()
{
    const std::vector<double> three{1, 2, 3}, two{1, 2};
    QCOMPARE(pairedTest(three, two).error().code, ErrorCode::InvalidArgument);
    QCOMPARE(pairedTest(std::vector<double>{}, std::vector<double>{}).error().code, ErrorCode::InvalidArgument);
    const std::vector<double> withNan{1, std::nan(""), 3};
    QCOMPARE(pairedTest(three, withNan).error().code, ErrorCode::InvalidArgument);
    PairedTestOptions bad;
    bad.alpha = 1.5;
    QCOMPARE(pairedTest(three, three, bad).error().code, ErrorCode::InvalidArgument);

    const EvalReport a = reportFrom(uniformValues(20, 1), uniformValues(20, 2), "h1");
    QCOMPARE(compareReports(a, reportFrom(uniformValues(20, 1), uniformValues(20, 2), "h2")).error().code,
             ErrorCode::Mismatch);
    QCOMPARE(compareReports(a, reportFrom(uniformValues(19, 1), uniformValues(19, 2), "h1")).error().code,
             ErrorCode::Mismatch);
    EvalReport otherMetrics = a;
    otherMetrics.metricNames = {"map"};
    otherMetrics.metrics = {{"map", 0.1}};
    QCOMPARE(compareReports(a, otherMetrics).error().code, ErrorCode::Mismatch);
}

void TestPairedStats::comparisonTables()
{
    PairedTestResult t;
    t.n = 300;
    t.meanA = 0.6;
    t.meanB = 0.65;
    t.delta = 0.05;
    t.ciLow = 0.02;
    t.ciHigh = 0.08;
    t.pValue = 0.0004;
    t.significant = true;
    t.queriesForPower = 120;
    const std::vector<MetricComparison> rows{{"ndcg@10", t}};
    QCOMPARE(QString::fromStdString(comparisonCsv(rows)),
             QStringLiteral("metric,n,mean_a,mean_b,delta,ci_low,ci_high,p_value,exact_p,significant,queries_for_power\n"
                            "ndcg@10,300,0.6,0.65,0.05,0.02,0.08,0.0004,false,true,120\n"));
    const std::string markdown = comparisonMarkdown(rows, PairedTestOptions{});
    QVERIFY2(markdown.find("| ndcg@10 | 0.6000 | 0.6500 | +0.0500 | [+0.0200, +0.0800] | 0.0004 | yes | 120 |")
                 != std::string::npos,
             markdown.c_str());
    QVERIFY(markdown.find("95% CI") != std::string::npos);
    QVERIFY(markdown.find("10000 resamples") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestPairedStats)
#include "tst_pairedstats.moc"
