#pragma once
// An answered-and-judged evaluation of a pipeline on a stored eval set: every
// query is retrieved exactly as runEvalSet retrieves it (preparePipeline + the
// Searcher), answered by answerQuestion (a chat model, or extractively), and its
// answer and context judged on faithfulness, answer relevance, context precision
// and context recall (judgemetrics.h defines them). Answer and judge calls of
// different queries run on `threads` threads (the caller's plus helpers); storage
// is touched only on the caller's thread. The run is recorded as an immutable run
// whose report JSON carries a "judged" section; a cancelled evaluation records
// nothing. Runs on a job thread with the Project it opened.
#include "core/common/result.h"
#include "core/config/pipelineconfig.h"
#include "core/eval/evalreport.h"
#include "core/generate/answerer.h"
#include "core/jobs/jobcontext.h"
#include "core/judging/judge.h"
#include "core/judging/judgemetrics.h"
#include "core/pipeline/evaluation.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rag {

class Project;

struct JudgedEvalSpec {
    std::string evalSet;      // the stored set's name (the newest of that name and split)
    std::string split;        // empty: any
    PipelineConfig pipeline;
    int contextChunks = 5;    // top retrieved chunks handed to the answerer (at most 10)
    int depth = 100;          // documents per query for the retrieval metrics recorded alongside
    std::vector<std::string> retrievalMetrics = {"ndcg@10", "recall@10", "mrr"};
    std::size_t limit = 0;    // judge only the first N queries (by id); 0: all
    AnswerOptions answer;
    JudgeOptions judge;
    int threads = 2;
    std::string label;
    // Rewrites or expands each query before retrieval when the pipeline has a query
    // transform (makeQueryExpander); required then, as in runEvalSet.
    QueryExpander expandQuery;
};

struct JudgedChunk {
    int number = 0;  // its [n] in the answer's context
    std::int64_t chunkId = 0;
    std::string docKey;
    int rank = 0;
};

struct JudgedQuery {
    std::string queryId;
    std::string question;
    std::optional<std::string> reference;  // the reference answer, when the set has one
    std::string answer;
    std::string answerError;               // why there is no answer (provider error), else empty
    std::vector<JudgedChunk> context;      // the passages the answer saw, in rank order
    std::vector<int> citedNumbers;
    std::vector<int> invalidCitations;
    std::vector<Judgement> judgements;     // in kJudgeMetrics order

    const Judgement &judgement(JudgeMetric metric) const;
    nlohmann::ordered_json toJson() const;
};

struct JudgedMetricSummary {
    JudgeMetric metric = JudgeMetric::Faithfulness;
    MetricAggregate scores;
    RepeatAgreement agreement;
    nlohmann::ordered_json toJson() const;
};

struct JudgedOutcome {
    std::vector<JudgedQuery> queries;
    std::vector<JudgedMetricSummary> metrics;  // in kJudgeMetrics order
    UsageTotals answerUsage;
    UsageTotals judgeUsage;
    std::string answerModel;  // ChatModel::name(), "extractive:overlap-v1" offline
    std::string judgeModel;
    EvalReport retrieval;     // the retrieval metrics of the same queries
    std::int64_t runId = 0;

    const JudgedMetricSummary &summary(JudgeMetric metric) const;
    // The "judged" section of the run's report JSON.
    nlohmann::ordered_json toJson() const;
};

// Per-metric aggregates and agreement over the queries' judgements.
std::vector<JudgedMetricSummary> summariseJudgements(const std::vector<JudgedQuery> &queries);

// answerModel == nullptr answers extractively. Judge calls go to judgeModel.
Result<JudgedOutcome> runJudgedEvaluation(const Project &project, const JudgedEvalSpec &spec,
                                          const ChatModel *answerModel, const ChatModel &judgeModel,
                                          const TokenCounter &counter, const JobContext &ctx);

// The "judged" section of a recorded run's report JSON (NotFound when the run was
// not judged), for `ragwb runs` and views.
Result<nlohmann::json> judgedSectionOfReport(std::string_view reportJson);

} // namespace rag
