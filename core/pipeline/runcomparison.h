#pragma once
// The engine side of the Evaluate pane: runs of a project as plain values, a
// run compared with a baseline (per metric delta, paired bootstrap CI, paired
// randomisation p, "significant"/"within noise", queries needed), per-query
// drill-down between two runs, and metric-against-parameter series for sweeps.
// Functions over a Project (used on the thread that opened it) or over values
// (any thread). No Qt types: the GUI adapts these in models/.
#include "core/common/result.h"
#include "core/eval/comparison.h"
#include "core/eval/evalreport.h"
#include "core/eval/pairedstats.h"
#include "core/store/evalrepository.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rag {

class Project;

// A run as the dashboard lists it (no per-query data).
struct RunSummary {
    std::int64_t id = 0;
    std::string label;
    std::string createdAt;
    std::string configHash;
    std::int64_t evalSetId = 0;
    std::string evalSetHash;
    std::string engineVersion;
    nlohmann::json config;                  // the pipeline config (PipelineConfig::toJson)
    std::map<std::string, double> metrics;  // means
};

// Oldest first. Errors: Parse naming the run when its stored JSON is damaged.
Result<std::vector<RunSummary>> listRuns(const Project &project);
// The full report of a run (per-query values, rankings, retrieved chunks).
Result<EvalReport> runReport(const Project &project, std::int64_t runId);

// What differs from the baseline config, one "path: old -> new" line per leaf
// ("chunker.size: 2000 -> 500", "retrieval.lane: bm25 -> dense"), in path
// order; empty when equal. Labels a run "by what changed from the baseline".
// The derived top-level keys of a report config (config_hash, chunk_set,
// dense_index) are skipped: they restate the leaves.
std::vector<std::string> configChanges(const nlohmann::json &baseline, const nlohmann::json &candidate);

// A metric mean with its bootstrap CI over queries: one chart bar and whisker.
struct MetricEstimate {
    std::string metric;
    double mean = 0.0;
    double ciLow = 0.0;
    double ciHigh = 0.0;
    std::size_t n = 0;
};
// Every metric of the report, in report order (CI at 1 - options.alpha,
// options.bootstrapResamples resamples, options.seed).
std::vector<MetricEstimate> metricEstimates(const EvalReport &report, const PairedTestOptions &options = {});

struct MetricDelta {
    MetricComparison comparison;
    Verdict verdict = Verdict::WithinNoise;
    std::string label() const { return comparison.test.significant ? "significant" : "within noise"; }
};

struct RunComparison {
    std::int64_t baselineId = 0;
    std::int64_t candidateId = 0;
    std::vector<std::string> changes;  // configChanges(baseline, candidate)
    std::vector<MetricDelta> metrics;  // in the baseline report's metric order
};

// Errors: Mismatch when the runs were measured on different eval sets.
Result<RunComparison> compareEvalReports(const EvalReport &baseline, const EvalReport &candidate,
                                         const PairedTestOptions &options = {});
Result<RunComparison> compareRuns(const Project &project, std::int64_t baselineId, std::int64_t candidateId,
                                  const PairedTestOptions &options = {});

// A document's place in both runs' top k (1-based; absent when outside it).
struct RankMove {
    std::string docId;
    int relevance = 0;                // judged relevance (0 when unjudged)
    std::optional<int> rankA;
    std::optional<int> rankB;
};

struct QueryDrillDown {
    std::string queryId;
    std::string queryText;
    double valueA = 0.0;
    double valueB = 0.0;
    double delta = 0.0;                // valueB - valueA of the chosen metric
    std::vector<std::string> entered;  // relevant docs in B's top k, not in A's
    std::vector<std::string> left;     // relevant docs in A's top k, not in B's
    std::vector<RankMove> moves;       // every doc in either top k: relevant first, then by best rank
};

// Per query, sorted by delta ascending (largest losses first; ties by query
// id). k is capped by the rankings the reports kept (10 by default). Queries
// missing from either report are skipped.
std::vector<QueryDrillDown> drillDown(const EvalReport &a, const EvalReport &b, const EvalSet &set,
                                      const std::string &metric, int k);
Result<std::vector<QueryDrillDown>> drillDownRuns(const Project &project, std::int64_t runA, std::int64_t runB,
                                                  const std::string &metric, int k);

// One point of a sweep chart: a run, its parameter value and metric estimate.
struct SweepPoint {
    std::int64_t runId = 0;
    nlohmann::json value;      // the parameter's value in that run's config
    MetricEstimate estimate;
};

struct SweepSeries {
    std::string parameter;     // dotted config path, e.g. "chunker.size"
    std::string metric;
    std::vector<SweepPoint> points;  // sorted by value
    std::optional<std::size_t> best; // index of the highest mean
};

// The runs given, as metric against one config parameter. Errors: NotFound
// for an unknown run or a path missing from a run's config; InvalidArgument
// for a metric a run lacks.
Result<SweepSeries> sweepSeries(const Project &project, const std::vector<std::int64_t> &runIds,
                                const std::string &parameter, const std::string &metric,
                                const PairedTestOptions &options = {});

// The value at a dotted path of a JSON object ("chunker.size"), or nullptr.
const nlohmann::json *jsonAtPath(const nlohmann::json &object, const std::string &dottedPath);

} // namespace rag
