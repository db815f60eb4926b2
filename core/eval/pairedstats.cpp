#include "core/eval/pairedstats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <set>

namespace rag {

namespace {

// SplitMix64: tiny, fast, and fully specified, so resampling gives the same
// numbers on every platform (std::uniform_int_distribution does not).
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, n) without modulo bias: 2^64 - rem is a multiple of n,
    // so draws at or above it are rejected.
    std::uint64_t below(std::uint64_t n)
    {
        const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
        const std::uint64_t rem = (max % n + 1) % n;  // 2^64 mod n
        std::uint64_t x = next();
        while (x > max - rem)
            x = next();
        return x % n;
    }

private:
    std::uint64_t m_state;
};

double percentile(const std::vector<double> &sorted, double q)
{
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto lower = static_cast<std::size_t>(std::floor(position));
    const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(lower);
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
}

double mean(std::span<const double> values)
{
    return values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double sampleSd(std::span<const double> values)
{
    if (values.size() < 2)
        return 0.0;
    const double m = mean(values);
    double sum = 0.0;
    for (double value : values)
        sum += (value - m) * (value - m);
    return std::sqrt(sum / static_cast<double>(values.size() - 1));
}

} // namespace

std::pair<double, double> bootstrapMeanCi(std::span<const double> diffs, int resamples, double alpha,
                                          std::uint64_t seed)
{
    if (diffs.empty() || resamples < 1)
        return {0.0, 0.0};
    SplitMix64 rng(seed);
    const std::size_t n = diffs.size();
    std::vector<double> means(static_cast<std::size_t>(resamples));
    for (double &resampledMean : means) {
        double sum = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            sum += diffs[rng.below(n)];
        resampledMean = sum / static_cast<double>(n);
    }
    std::sort(means.begin(), means.end());
    return {percentile(means, alpha / 2.0), percentile(means, 1.0 - alpha / 2.0)};
}

double signFlipPValue(std::span<const double> diffs, int permutations, int exactEnumerationMaxN,
                      std::uint64_t seed, bool &exact)
{
    const std::size_t n = diffs.size();
    exact = false;
    if (n == 0)
        return 1.0;
    const double observed = std::fabs(std::accumulate(diffs.begin(), diffs.end(), 0.0));
    double magnitude = 0.0;
    for (double d : diffs)
        magnitude += std::fabs(d);
    const double threshold = observed - 1e-12 * magnitude;

    if (n <= static_cast<std::size_t>(std::max(0, std::min(exactEnumerationMaxN, 24)))) {
        exact = true;
        const std::uint64_t total = std::uint64_t{1} << n;
        std::uint64_t count = 0;
        for (std::uint64_t mask = 0; mask < total; ++mask) {
            double sum = 0.0;
            for (std::size_t i = 0; i < n; ++i)
                sum += (mask >> i & 1U) ? -diffs[i] : diffs[i];
            if (std::fabs(sum) >= threshold)
                ++count;
        }
        return static_cast<double>(count) / static_cast<double>(total);
    }

    SplitMix64 rng(seed);
    std::int64_t count = 0;
    for (int p = 0; p < permutations; ++p) {
        double sum = 0.0;
        std::uint64_t bits = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (i % 64 == 0)
                bits = rng.next();
            sum += (bits >> (i % 64) & 1U) ? -diffs[i] : diffs[i];
        }
        if (std::fabs(sum) >= threshold)
            ++count;
    }
    return static_cast<double>(count + 1) / static_cast<double>(permutations + 1);
}

double normalQuantile(double p)
{
    if (p <= 0.0)
        return -std::numeric_limits<double>::infinity();
    if (p >= 1.0)
        return std::numeric_limits<double>::infinity();
    // 1 - p is exact for p > 0.5 (Sterbenz); the refinement below is only
    // precise in the lower tail, where erfc does not cancel.
    if (p > 0.5)
        return -normalQuantile(1.0 - p);
    // Acklam's rational approximation (relative error 1.15e-9), then one
    // Halley step against erfc, which brings it to machine precision.
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01,  -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    constexpr double low = 0.02425;
    double x = 0.0;
    if (p < low) {
        const double q = std::sqrt(-2.0 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    } else {
        const double q = p - 0.5;
        const double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    }
    const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
    const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(x * x / 2.0);
    return x - u / (1.0 + x * u / 2.0);
}

std::optional<std::int64_t> queriesForPower(double delta, double sd, double alpha, double power)
{
    if (delta == 0.0 || !std::isfinite(delta))
        return std::nullopt;
    const double z = normalQuantile(1.0 - alpha / 2.0) + normalQuantile(power);
    const double n = std::ceil(std::pow(z * sd / std::fabs(delta), 2.0));
    if (!(n < 9.0e18))
        return std::numeric_limits<std::int64_t>::max();
    return std::max<std::int64_t>(2, static_cast<std::int64_t>(n));
}

Result<PairedTestResult> pairedTest(std::span<const double> a, std::span<const double> b,
                                    const PairedTestOptions &options)
{
    if (a.size() != b.size())
        return fail(ErrorCode::InvalidArgument,
                    "paired samples differ in size (" + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + ")");
    if (a.empty())
        return fail(ErrorCode::InvalidArgument, "no paired values to compare");
    if (!(options.alpha > 0.0 && options.alpha < 1.0) || !(options.power > 0.0 && options.power < 1.0)
        || options.bootstrapResamples < 1 || options.permutations < 1)
        return fail(ErrorCode::InvalidArgument, "alpha and power must be in (0, 1), resample counts positive");
    std::vector<double> diffs(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a[i]) || !std::isfinite(b[i]))
            return fail(ErrorCode::InvalidArgument, "non-finite value at pair " + std::to_string(i));
        diffs[i] = b[i] - a[i];
    }

    PairedTestResult result;
    result.n = diffs.size();
    result.meanA = mean(a);
    result.meanB = mean(b);
    result.delta = mean(diffs);
    result.sdDiff = sampleSd(diffs);
    std::tie(result.ciLow, result.ciHigh) =
        bootstrapMeanCi(diffs, options.bootstrapResamples, options.alpha, options.seed);
    result.pValue = signFlipPValue(diffs, options.permutations, options.exactEnumerationMaxN,
                                   options.seed ^ 0x5157'4E46'4C49'5053ULL, result.exactP);
    result.significant = result.pValue < options.alpha && (result.ciLow > 0.0 || result.ciHigh < 0.0);
    result.queriesForPower = queriesForPower(result.delta, result.sdDiff, options.alpha, options.power);
    return result;
}

Result<std::vector<MetricComparison>> compareReports(const EvalReport &a, const EvalReport &b,
                                                     const PairedTestOptions &options)
{
    if (a.evalSet.hash != b.evalSet.hash)
        return fail(ErrorCode::Mismatch,
                    "the reports were measured on different eval sets (" + a.evalSet.hash.substr(0, 12) + " vs "
                        + b.evalSet.hash.substr(0, 12) + ")");
    std::set<std::string> queriesA, queriesB;
    for (const auto &[qid, values] : a.perQuery)
        queriesA.insert(qid);
    for (const auto &[qid, values] : b.perQuery)
        queriesB.insert(qid);
    if (queriesA != queriesB)
        return fail(ErrorCode::Mismatch, "the reports evaluated different queries (" + std::to_string(queriesA.size())
                                             + " vs " + std::to_string(queriesB.size()) + ")");

    std::vector<MetricComparison> comparisons;
    for (const std::string &metric : a.metricNames) {
        if (!b.metrics.contains(metric))
            continue;
        std::vector<double> valuesA, valuesB;
        for (const auto &[qid, rowA] : a.perQuery) {
            const auto &rowB = b.perQuery.at(qid);
            const auto foundA = rowA.find(metric);
            const auto foundB = rowB.find(metric);
            if (foundA == rowA.end() || foundB == rowB.end())
                return fail(ErrorCode::Mismatch, "query \"" + qid + "\" has no value for " + metric);
            valuesA.push_back(foundA->second);
            valuesB.push_back(foundB->second);
        }
        auto test = pairedTest(valuesA, valuesB, options);
        if (!test)
            return std::unexpected(test.error());
        comparisons.push_back(MetricComparison{metric, *test});
    }
    if (comparisons.empty())
        return fail(ErrorCode::Mismatch, "the reports share no metric");
    return comparisons;
}

} // namespace rag
