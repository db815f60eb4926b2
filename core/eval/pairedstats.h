#pragma once
// Paired statistics for comparing two runs on the same eval set (`ragwb
// compare A.json B.json`): per metric, the delta of means (B - A), a paired
// bootstrap confidence interval of the delta, a two-sided paired
// randomisation (sign-flip) test, and the number of queries needed to detect
// the observed delta. Pure functions with fixed seeds: the same inputs always
// give the same numbers. Safe on any thread.
//
// Methods (document these with any number quoted):
// - Bootstrap: `bootstrapResamples` resamples of the n per-query differences
//   with replacement; CI = percentiles alpha/2 and 1 - alpha/2 of the resampled
//   means, linearly interpolated between order statistics (numpy's default).
// - Sign flip: under H0 each difference's sign is a fair coin. Statistic
//   |sum of differences|. n <= exactEnumerationMaxN: all 2^n sign vectors are
//   enumerated and p = count(|S*| >= |S|) / 2^n exactly (the identity included,
//   so p >= 2 / 2^n). Otherwise `permutations` random sign vectors and
//   p = (count + 1) / (permutations + 1), the standard unbiased Monte Carlo
//   estimate (never 0). Ties are counted with a 1e-12 relative tolerance.
// - significant = p < alpha AND the CI excludes 0.
// - queriesForPower = ceil(((z_{1-alpha/2} + z_{power}) * sd / |delta|)^2),
//   sd = sample SD of the differences (normal approximation to the paired
//   t-test), at least 2; none when delta is 0.
#include "core/common/result.h"
#include "core/eval/evalreport.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rag {

struct PairedTestOptions {
    double alpha = 0.05;
    int bootstrapResamples = 10'000;
    int permutations = 10'000;
    int exactEnumerationMaxN = 16;  // capped at 24 (2^24 sign vectors)
    double power = 0.80;
    std::uint64_t seed = 20'240'601;
};

struct PairedTestResult {
    std::size_t n = 0;
    double meanA = 0.0;
    double meanB = 0.0;
    double delta = 0.0;  // meanB - meanA
    double sdDiff = 0.0; // sample SD of the per-query differences (0 when n < 2)
    double ciLow = 0.0;
    double ciHigh = 0.0;
    double pValue = 1.0;
    bool exactP = false; // p from full enumeration
    bool significant = false;
    std::optional<std::int64_t> queriesForPower;
};

// Paired comparison of per-query values a[i] (baseline) and b[i] (candidate).
// Errors: InvalidArgument for different lengths, no pairs, non-finite values
// or options out of range.
Result<PairedTestResult> pairedTest(std::span<const double> a, std::span<const double> b,
                                    const PairedTestOptions &options = {});

// The building blocks, exposed for tests and for callers with raw differences.
// Percentile bootstrap CI of the mean of `diffs` at confidence 1 - alpha.
std::pair<double, double> bootstrapMeanCi(std::span<const double> diffs, int resamples, double alpha,
                                          std::uint64_t seed);
// Two-sided sign-flip p-value; sets `exact` when it enumerated.
double signFlipPValue(std::span<const double> diffs, int permutations, int exactEnumerationMaxN,
                      std::uint64_t seed, bool &exact);
// Inverse of the standard normal CDF (|error| < 1e-12 for p in (1e-300, 1 - 1e-16)).
double normalQuantile(double p);
std::optional<std::int64_t> queriesForPower(double delta, double sd, double alpha, double power);

struct MetricComparison {
    std::string metric;
    PairedTestResult test;
};

// Compares every metric both reports carry (in A's order) over their common
// per-query values. Errors: Mismatch when the eval-set hashes differ, when
// the per-query sets differ, or when no metric is shared.
Result<std::vector<MetricComparison>> compareReports(const EvalReport &a, const EvalReport &b,
                                                     const PairedTestOptions &options = {});

} // namespace rag
