#include "core/eval/comparison.h"

#include <algorithm>

namespace rag {

const char *verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Better:
        return "better";
    case Verdict::Worse:
        return "worse";
    case Verdict::WithinNoise:
        break;
    }
    return "within noise";
}

Verdict verdictOf(const PairedTestResult &test)
{
    if (!test.significant || test.delta == 0.0)
        return Verdict::WithinNoise;
    return test.delta > 0.0 ? Verdict::Better : Verdict::Worse;
}

nlohmann::ordered_json comparisonJson(const std::vector<MetricComparison> &comparisons,
                                      const PairedTestOptions &options, const std::string &labelA,
                                      const std::string &labelB)
{
    nlohmann::ordered_json out;
    out["a"] = {{"label", labelA}};
    out["b"] = {{"label", labelB}};
    out["method"] = {{"alpha", options.alpha},
                     {"bootstrap_resamples", options.bootstrapResamples},
                     {"permutations", options.permutations},
                     {"exact_enumeration_max_n", options.exactEnumerationMaxN},
                     {"power", options.power},
                     {"seed", options.seed},
                     {"ci", "percentile bootstrap of the mean paired difference"},
                     {"p", "two-sided paired sign-flip randomisation test"}};
    nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
    for (const MetricComparison &c : comparisons) {
        const PairedTestResult &t = c.test;
        nlohmann::ordered_json row;
        row["a"] = t.meanA;
        row["b"] = t.meanB;
        row["delta"] = t.delta;
        row["ci95"] = {t.ciLow, t.ciHigh};
        row["p_value"] = t.pValue;
        row["significant"] = t.significant;
        row["verdict"] = verdictName(verdictOf(t));
        row["n"] = t.n;
        row["exact_p"] = t.exactP;
        row["queries_for_power"] = t.queriesForPower ? nlohmann::ordered_json(*t.queriesForPower)
                                                     : nlohmann::ordered_json(nullptr);
        metrics[c.metric] = std::move(row);
    }
    out["metrics"] = std::move(metrics);
    return out;
}

Result<std::vector<std::string>> regressions(const std::vector<MetricComparison> &comparisons,
                                             const std::vector<std::string> &gated)
{
    for (const std::string &name : gated) {
        const bool compared = std::any_of(comparisons.begin(), comparisons.end(),
                                          [&](const MetricComparison &c) { return c.metric == name; });
        if (!compared)
            return fail(ErrorCode::InvalidArgument, "metric '" + name + "' is not in both reports", "--metrics");
    }
    std::vector<std::string> worse;
    for (const MetricComparison &c : comparisons) {
        const bool isGated = gated.empty() || std::find(gated.begin(), gated.end(), c.metric) != gated.end();
        if (isGated && verdictOf(c.test) == Verdict::Worse)
            worse.push_back(c.metric);
    }
    return worse;
}

} // namespace rag
