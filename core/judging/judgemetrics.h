#pragma once
// The arithmetic of LLM-judged metrics, kept apart from any model so it can be
// checked by hand. RAGAS-style definitions:
//
//  faithfulness      = supported claims / claims the judge found in the answer
//                      (no claims: unmeasured).
//  answer relevance  = the judge's 1–5 rating mapped linearly to 0..1:
//                      (rating - 1) / 4, so 1 -> 0.0, 3 -> 0.5, 5 -> 1.0.
//  context precision = average precision of the judged relevance of the
//                      retrieved passages in rank order: the mean, over the
//                      relevant positions k, of (relevant in the top k) / k; 0 when
//                      none is relevant, unmeasured when nothing was retrieved.
//                      [1,0,1] -> (1/1 + 2/3) / 2 = 0.8333; order matters.
//  context recall    = reference-answer statements attributable to the retrieved
//                      context / statements (no reference answer, or no
//                      statements: unmeasured).
//
// Repeat-N: an item judged N times scores the mean of its measured repeats
// (unmeasured when none was). Agreement of a metric, over the items with at least
// two measured repeats x_1..x_n (mean m):
//  mean absolute deviation = the mean over those items of (1/n) * sum |x_r - m|;
//  within-tolerance share  = the share of those items whose repeats all lie within
//                            `tolerance` (0.1) of each other: max - min <= 0.1.
// Aggregates average measured scores only; unmeasured ones are counted, never
// averaged in (as 0 or otherwise). Pure functions; thread-safe.
#include <cstddef>
#include <optional>
#include <vector>

namespace rag {

inline constexpr double kAgreementTolerance = 0.1;

// Share of true values; nullopt for an empty list.
std::optional<double> shareTrue(const std::vector<bool> &verdicts);

// Average precision of relevance verdicts in rank order; nullopt for an empty list.
std::optional<double> averagePrecision(const std::vector<bool> &relevantInRankOrder);

// (rating - 1) / 4 for a rating 1..5; nullopt outside that range.
std::optional<double> ratingToUnit(int rating);

// Mean of the measured values; nullopt when none is measured.
std::optional<double> meanOfMeasured(const std::vector<std::optional<double>> &values);

struct MetricAggregate {
    std::optional<double> mean;  // over measured items only
    std::size_t measured = 0;
    std::size_t unmeasured = 0;
};

MetricAggregate aggregateScores(const std::vector<std::optional<double>> &itemScores);

struct RepeatAgreement {
    std::size_t items = 0;  // items with >= 2 measured repeats (the ones compared)
    std::optional<double> meanAbsoluteDeviation;  // nullopt when items == 0
    std::optional<double> withinToleranceShare;   // nullopt when items == 0
    double tolerance = kAgreementTolerance;
};

// One entry per item: that item's repeats (unmeasured ones as nullopt).
RepeatAgreement repeatAgreement(const std::vector<std::vector<std::optional<double>>> &repeatsPerItem,
                                double tolerance = kAgreementTolerance);

} // namespace rag
