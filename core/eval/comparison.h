#pragma once
// The comparison contract of `ragwb compare` and the CI gate built on it: the
// JSON form of a paired comparison of two eval reports, and the regression
// decision. Pure functions over values, safe on any thread.
//
// JSON shape (metrics in A's order):
//   {"a": {"label": ..., "eval_set_hash": ...}, "b": {...},
//    "method": {"alpha": 0.05, "bootstrap_resamples": ..., "permutations": ..., "seed": ...},
//    "metrics": {"ndcg@10": {"a": 0.66, "b": 0.64, "delta": -0.02, "ci95": [lo, hi],
//                "p_value": 0.03, "significant": true, "n": 300, "exact_p": false,
//                "queries_for_power": 812 | null}}}
// "ci95" is the (1 - alpha) interval; its key keeps the name for the default alpha.
#include "core/eval/pairedstats.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rag {

enum class Verdict { Better, Worse, WithinNoise };
const char *verdictName(Verdict verdict);  // "better", "worse", "within noise"

// Significantly better or worse (significant and delta of that sign), else within noise.
Verdict verdictOf(const PairedTestResult &test);

nlohmann::ordered_json comparisonJson(const std::vector<MetricComparison> &comparisons,
                                      const PairedTestOptions &options, const std::string &labelA = {},
                                      const std::string &labelB = {});

// The gated metrics on which B is significantly worse than A. An empty `gated`
// gates every compared metric. Errors: InvalidArgument naming a gated metric
// that was not compared.
Result<std::vector<std::string>> regressions(const std::vector<MetricComparison> &comparisons,
                                             const std::vector<std::string> &gated);

} // namespace rag
