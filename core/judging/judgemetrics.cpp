#include "core/judging/judgemetrics.h"

#include <algorithm>
#include <cmath>

namespace rag {

std::optional<double> shareTrue(const std::vector<bool> &verdicts)
{
    if (verdicts.empty())
        return std::nullopt;
    const auto yes = std::count(verdicts.begin(), verdicts.end(), true);
    return double(yes) / double(verdicts.size());
}

std::optional<double> averagePrecision(const std::vector<bool> &relevantInRankOrder)
{
    if (relevantInRankOrder.empty())
        return std::nullopt;
    double sum = 0.0;
    std::size_t hits = 0;
    for (std::size_t k = 0; k < relevantInRankOrder.size(); ++k) {
        if (!relevantInRankOrder[k])
            continue;
        ++hits;
        sum += double(hits) / double(k + 1);
    }
    return hits == 0 ? 0.0 : sum / double(hits);
}

std::optional<double> ratingToUnit(int rating)
{
    if (rating < 1 || rating > 5)
        return std::nullopt;
    return double(rating - 1) / 4.0;
}

std::optional<double> meanOfMeasured(const std::vector<std::optional<double>> &values)
{
    double sum = 0.0;
    std::size_t n = 0;
    for (const auto &v : values)
        if (v) {
            sum += *v;
            ++n;
        }
    if (n == 0)
        return std::nullopt;
    return sum / double(n);
}

MetricAggregate aggregateScores(const std::vector<std::optional<double>> &itemScores)
{
    MetricAggregate out;
    for (const auto &v : itemScores)
        ++(v ? out.measured : out.unmeasured);
    out.mean = meanOfMeasured(itemScores);
    return out;
}

RepeatAgreement repeatAgreement(const std::vector<std::vector<std::optional<double>>> &repeatsPerItem,
                                double tolerance)
{
    RepeatAgreement out;
    out.tolerance = tolerance;
    double deviationSum = 0.0;
    std::size_t agreeing = 0;
    for (const auto &repeats : repeatsPerItem) {
        std::vector<double> xs;
        for (const auto &r : repeats)
            if (r)
                xs.push_back(*r);
        if (xs.size() < 2)
            continue;
        ++out.items;
        double mean = 0.0;
        for (double x : xs)
            mean += x;
        mean /= double(xs.size());
        double deviation = 0.0;
        for (double x : xs)
            deviation += std::abs(x - mean);
        deviationSum += deviation / double(xs.size());
        const auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
        // A hair of slack: 0.3 - 0.2 is 0.09999999999999998 or 0.10000000000000003.
        if (*hi - *lo <= tolerance + 1e-9)
            ++agreeing;
    }
    if (out.items > 0) {
        out.meanAbsoluteDeviation = deviationSum / double(out.items);
        out.withinToleranceShare = double(agreeing) / double(out.items);
    }
    return out;
}

} // namespace rag
