#pragma once
// The work behind the Evaluate pane's "New run…": an EvalRunRequest is the value
// the run dialog builds (the same specs `ragwb evalset run` and `ragwb judge`
// build from their options), and runEvalRequest executes it on a job thread —
// evaluateStored for a retrieval run, runJudgedEvaluation for an answered and
// judged one — with the query transform's hook made by makeQueryExpander, as the
// CLI does. importEvalSetFile stores a QA file or a BEIR split as `ragwb evalset
// import` does. Free functions over value inputs; each opens its own Project
// connection, so they run on any job thread.
#include "core/common/result.h"
#include "core/config/pipelineconfig.h"
#include "core/jobs/jobcontext.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace rag {

class ModelServices;

// The answer-and-judge part of a run (JudgedEvalSpec's knobs and its two models).
struct JudgingRequest {
    std::string answerModel = "extractive";  // PROVIDER:MODEL, or extractive (offline)
    std::string answerBaseUrl;
    std::string judgeModel;                  // PROVIDER:MODEL; required
    std::string judgeBaseUrl;
    int repeats = 1;
    std::size_t limit = 0;                   // judge the first N queries (by id); 0: all
    int contextChunks = 5;
};

struct EvalRunRequest {
    std::string evalSet;     // stored set name (the newest of that name and split)
    std::string split;
    PipelineConfig pipeline;
    int depth = 1000;        // documents per query in the run
    std::string label;
    std::string transformBaseUrl;  // where pipeline.transform.chat is served (empty: provider default)
    std::optional<JudgingRequest> judging;
};

struct EvalRunResult {
    std::int64_t runId = 0;
    bool judged = false;
    std::map<std::string, double> metrics;  // retrieval means as recorded
};

// Runs the request on the calling (job) thread. A cancelled run records nothing
// (the engine's guarantee) and returns Cancelled.
Result<EvalRunResult> runEvalRequest(const std::string &projectPath, const ModelServices &services,
                                     const EvalRunRequest &request, const JobContext &ctx);

struct ImportedEvalSet {
    std::int64_t id = 0;
    std::string name;
    std::string split;
    std::size_t queries = 0;
    std::size_t judgments = 0;
    std::size_t spans = 0;
    std::size_t answers = 0;  // reference answers (judging's context recall needs them)
};

// Stores a QA set (.jsonl/.csv; spans resolved against the project's documents) or,
// with `beir`, a BEIR folder's `split` (default test). Errors name the file and line.
Result<ImportedEvalSet> importEvalSetFile(const std::string &projectPath, const std::string &path, bool beir,
                                          const std::string &split);

} // namespace rag
