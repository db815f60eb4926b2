#pragma once
// Retrieval evaluation of a pipeline on a BEIR folder, end to end inside a
// project: the corpus is imported (a no-op when unchanged), chunked, indexed
// (each stage reused when its inputs did not change), every query is run
// through the configured lane, and the metrics, the per-query results and the
// run record are produced. Only a query's text reaches the retriever.
// A cancelled evaluation records no run. Runs on a job thread with the Project
// it opened.
#include "core/common/result.h"
#include "core/config/pipelineconfig.h"
#include "core/eval/evalreport.h"
#include "core/eval/evalset.h"
#include "core/jobs/jobcontext.h"
#include "core/retrieve/searcher.h"
#include "core/store/evalrepository.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace rag {

class Project;

// The query-rewrite hook: how the evaluation applies a pipeline's query
// transform (HyDE, multi-query). The transforms call chat models in generate,
// above this module, so the caller that can see generate passes the hook
// (makeQueryExpander in core/generate/querytransform.h). It turns one query text
// into the searches to run and reports what its model calls cost. runEvalSet
// calls it once per distinct query text within a run.
struct QueryExpansion {
    std::vector<QuerySearch> searches;
    int modelCalls = 0;
    std::int64_t inputTokens = 0;   // as the provider reported them
    std::int64_t outputTokens = 0;
    std::optional<double> costUsd;  // set when the price table knows the model
    bool fellBack = false;          // the model failed and the plain query was searched, as asked
};
using QueryExpander = std::function<Result<QueryExpansion>(const std::string &query, const JobContext &ctx)>;

struct BeirEvalSpec {
    std::string folder;
    std::string split = "test";
    PipelineConfig pipeline;
    std::vector<std::string> metrics = {"ndcg@10", "recall@100", "mrr", "map", "p@10", "hit@10", "recall@10", "ndcg@100"};
    int depth = 1000;            // documents per query in the run
    std::string label;
    QueryExpander expandQuery;   // required exactly when pipeline.transform is active
};

struct EvalOutcome {
    EvalReport report;
    Run run;                     // every query's ranked documents (depth), for TREC run files
    Run chunkRun;                // every query's ranked chunks (chunkKey ids), for chunk-level metrics
    std::int64_t runId = 0;
};

// Chunks of each query kept in the report ("retrieved"), with their leg ranks and scores.
inline constexpr std::size_t kReportedChunksPerQuery = 10;

// An eval set stored in the project (imported from BEIR, Cranfield or a QA
// file) run through a pipeline over the project's documents. When the set
// carries labels, chunk-level metrics ("chunk_" + metric name) are added:
// a chunk counts as relevant per chunkrelevance.h, so span labels score every
// chunking on the same ground truth.
struct StoredEvalSpec {
    std::string evalSet;         // the stored set's name (the newest of that name and split)
    std::string split;           // empty: any
    PipelineConfig pipeline;
    std::vector<std::string> metrics = {"ndcg@10", "recall@100", "mrr", "map", "p@10", "hit@10", "recall@10", "ndcg@100"};
    int depth = 1000;
    bool chunkMetrics = true;
    std::string label;
    QueryExpander expandQuery;   // required exactly when pipeline.transform is active
};

// Prepares the stages a pipeline needs over the project's documents (chunk set,
// BM25 and vector indexes), reusing whatever is current. Returns the chunk set name.
struct PreparedPipeline {
    std::string chunkSet;
    std::string denseIndex;      // empty for keyword-only pipelines
    std::map<std::string, double> timingsMs;
};
Result<PreparedPipeline> preparePipeline(const Project &project, const PipelineConfig &config, const JobContext &ctx);

// Runs an eval set's queries through a prepared pipeline. Rankings are cut at
// min(depth, config.topK). With a query transform in the config, `expand` runs
// it (InvalidArgument when one is given without the other); the transform's
// model calls, tokens, cost and time land in the report ("transform_usage" in
// its config, "transform_total" in its timings).
Result<EvalOutcome> runEvalSet(const Project &project, const PreparedPipeline &prepared, const PipelineConfig &config,
                               const EvalSet &set, const std::vector<std::string> &metrics, int depth,
                               const JobContext &ctx, const QueryExpander &expand = {});

// Evaluates and records a run (unless cancelled). The report's eval-set hash is
// the stored set's (storedEvalSetHash), which covers spans too.
Result<EvalOutcome> evaluateStored(const Project &project, const StoredEvalSpec &spec, const JobContext &ctx);

// Same, on a stored set already loaded (a sweep loads it once).
Result<EvalOutcome> evaluateStoredSet(const Project &project, const StoredEvalSet &stored, const StoredEvalSpec &spec,
                                      const JobContext &ctx);

Result<EvalOutcome> evaluateBeir(const Project &project, const BeirEvalSpec &spec, const JobContext &ctx);

// The Cranfield collection (SMART format): documents are imported as records
// (title + abstract), queries are matched to judgments by position, and the
// relevance convention is recorded in the report's config.
Result<EvalOutcome> evaluateCranfield(const Project &project, const BeirEvalSpec &spec, const std::string &convention,
                                      const JobContext &ctx);

} // namespace rag
