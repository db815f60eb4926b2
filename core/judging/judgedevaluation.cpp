#include "core/judging/judgedevaluation.h"

#include "core/pipeline/evalsetimport.h"
#include "core/pipeline/evaluation.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/evalrepository.h"
#include "core/store/project.h"

#include <QElapsedTimer>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

namespace rag {

namespace {

using OJson = nlohmann::ordered_json;

// The first `limit` queries of a stored set, with their judgments and answers only.
StoredEvalSet firstQueries(const StoredEvalSet &stored, std::size_t limit)
{
    if (limit == 0 || limit >= stored.queries.size())
        return stored;
    StoredEvalSet out = stored;
    out.queries.resize(limit);
    std::set<std::string> kept;
    for (const auto &[id, text] : out.queries)
        kept.insert(id);
    std::erase_if(out.judgments, [&](const StoredJudgment &j) { return !kept.count(j.queryId); });
    std::erase_if(out.referenceAnswers, [&](const auto &entry) { return !kept.count(entry.first); });
    return out;
}

// The top retrieved chunks of every query, with their text (read on this thread).
Result<std::vector<std::vector<ContextChunk>>> loadContexts(const Project &project, const StoredEvalSet &set,
                                                            const EvalReport &report, int contextChunks)
{
    ChunkRepository chunks(project.db());
    DocumentRepository documents(project.db());
    std::map<std::int64_t, std::string> texts;
    std::vector<std::vector<ContextChunk>> out(set.queries.size());
    for (std::size_t i = 0; i < set.queries.size(); ++i) {
        const auto found = report.retrieved.find(set.queries[i].first);
        if (found == report.retrieved.end())
            continue;
        for (const RetrievedChunk &hit : found->second) {
            if (int(out[i].size()) >= contextChunks)
                break;
            auto record = chunks.chunk(hit.chunkId);
            if (!record)
                return std::unexpected(record.error());
            auto text = texts.find(record->documentId);
            if (text == texts.end()) {
                auto loaded = documents.text(record->documentId);
                if (!loaded)
                    return std::unexpected(loaded.error());
                text = texts.emplace(record->documentId, std::move(*loaded)).first;
            }
            out[i].push_back(ContextChunk{hit.chunkId, hit.docId,
                                          text->second.substr(std::size_t(record->start),
                                                              std::size_t(record->end - record->start)),
                                          hit.rank, hit.score});
        }
    }
    return out;
}

struct QueryWork {
    JudgedQuery result;
    UsageTotals answerUsage;
    UsageTotals judgeUsage;
};

// Answers one query and judges it on every metric. Runs on any worker thread.
QueryWork answerAndJudge(const std::string &id, const std::string &question, const std::optional<std::string> &reference,
                         std::vector<ContextChunk> chunks, const ChatModel *answerModel, const Judge &judge,
                         const TokenCounter &counter, const AnswerOptions &options, const JobContext &ctx)
{
    QueryWork work;
    JudgedQuery &q = work.result;
    q.queryId = id;
    q.question = question;
    q.reference = reference;
    AssembledContext context;
    auto answer = answerQuestion(question, chunks, answerModel, counter, options, [](std::string_view) {}, ctx);
    if (answer) {
        work.answerUsage.add(answer->response);
        q.answer = answer->response.text;
        q.citedNumbers = answer->citations.citedNumbers;
        q.invalidCitations = answer->citations.invalidNumbers;
        context = std::move(answer->context);
    } else {
        q.answerError = answer.error().message();
        // The context metrics judge retrieval, which did happen: assemble it as the answer would have.
        auto prompt = findPromptTemplate(options.prompt.id.empty() ? "grounded-answer" : options.prompt.key());
        auto assembled = prompt ? assembleContext(question, std::move(chunks), *prompt, counter,
                                                  options.contextBudgetTokens)
                                : Result<AssembledContext>(std::unexpected(prompt.error()));
        if (assembled)
            context = std::move(*assembled);
    }
    for (const CitedChunk &c : context.included)
        q.context.push_back(JudgedChunk{c.number, c.chunk.chunkId, c.chunk.documentKey, c.chunk.rank});
    const JudgeInputs inputs{question, q.answer, context.contextText, reference.value_or(std::string())};
    const int passages = int(context.included.size());
    for (JudgeMetric metric : kJudgeMetrics) {
        Judgement j = judge.judge(metric, inputs, passages, ctx, work.judgeUsage);
        if (!q.answerError.empty() && !j.score
            && (metric == JudgeMetric::Faithfulness || metric == JudgeMetric::AnswerRelevance))
            j.unmeasuredReason = "no answer: " + q.answerError;
        q.judgements.push_back(std::move(j));
    }
    return work;
}

OJson optionalNumber(const std::optional<double> &v)
{
    return v ? OJson(*v) : OJson();
}

// Records the run: the retrieval report with the judged section and judge config.
Result<std::int64_t> recordJudgedRun(const Project &project, const JudgedEvalSpec &spec, const StoredEvalSet &stored,
                                     const JudgedOutcome &outcome)
{
    RunRecord run;
    run.label = spec.label.empty() ? "judged " + std::string(laneName(spec.pipeline.lane)) + " answer="
            + outcome.answerModel + " judge=" + outcome.judgeModel
                                   : spec.label;
    run.configJson = spec.pipeline.toJson();
    run.configHash = spec.pipeline.hash();
    run.evalSetId = stored.id;
    run.evalSetHash = stored.hash;
    run.engineVersion = RAG_VERSION;
    nlohmann::json metrics(outcome.retrieval.metrics);
    for (const JudgedMetricSummary &m : outcome.metrics)
        if (m.scores.mean)
            metrics[judgeMetricName(m.metric)] = *m.scores.mean;
    run.metricsJson = metrics.dump();
    OJson report = outcome.retrieval.toJson();
    report["judged"] = outcome.toJson();
    run.reportJson = report.dump();
    return EvalRepository(project.db()).saveRun(run);
}

} // namespace

const Judgement &JudgedQuery::judgement(JudgeMetric metric) const
{
    for (const Judgement &j : judgements)
        if (j.metric == metric)
            return j;
    static const Judgement none;
    return none;
}

OJson JudgedQuery::toJson() const
{
    OJson j;
    j["query_id"] = queryId;
    j["question"] = question;
    j["reference"] = reference ? OJson(*reference) : OJson();
    j["answer"] = answer;
    if (!answerError.empty())
        j["answer_error"] = answerError;
    OJson chunks = OJson::array();
    for (const JudgedChunk &c : context)
        chunks.push_back({{"number", c.number}, {"chunk_id", c.chunkId}, {"doc_key", c.docKey}, {"rank", c.rank}});
    j["context"] = std::move(chunks);
    j["cited"] = citedNumbers;
    j["invalid_citations"] = invalidCitations;
    OJson scores = OJson::object();
    for (const Judgement &judgement : judgements)
        scores[judgeMetricName(judgement.metric)] = judgement.toJson();
    j["metrics"] = std::move(scores);
    return j;
}

OJson JudgedMetricSummary::toJson() const
{
    return {{"mean", optionalNumber(scores.mean)}, {"measured", scores.measured}, {"unmeasured", scores.unmeasured},
            {"agreement", {{"items", agreement.items},
                           {"mean_absolute_deviation", optionalNumber(agreement.meanAbsoluteDeviation)},
                           {"within_tolerance_share", optionalNumber(agreement.withinToleranceShare)},
                           {"tolerance", agreement.tolerance}}}};
}

const JudgedMetricSummary &JudgedOutcome::summary(JudgeMetric metric) const
{
    for (const JudgedMetricSummary &m : metrics)
        if (m.metric == metric)
            return m;
    static const JudgedMetricSummary none;
    return none;
}

OJson JudgedOutcome::toJson() const
{
    OJson j;
    j["answer_model"] = answerModel;
    j["judge_model"] = judgeModel;
    OJson prompts = OJson::object();
    for (JudgeMetric metric : kJudgeMetrics) {
        const JudgePrompt &p = defaultJudgePrompt(metric);
        prompts[judgeMetricName(metric)] = {{"prompt", p.key()}, {"hash", p.textHash()}};
    }
    j["prompts"] = std::move(prompts);
    OJson summaries = OJson::object();
    for (const JudgedMetricSummary &m : metrics)
        summaries[judgeMetricName(m.metric)] = m.toJson();
    j["metrics"] = std::move(summaries);
    j["usage"] = {{"answer", answerUsage.toJson()}, {"judge", judgeUsage.toJson()}};
    OJson perQuery = OJson::array();
    for (const JudgedQuery &q : queries)
        perQuery.push_back(q.toJson());
    j["queries"] = std::move(perQuery);
    return j;
}

std::vector<JudgedMetricSummary> summariseJudgements(const std::vector<JudgedQuery> &queries)
{
    std::vector<JudgedMetricSummary> out;
    for (JudgeMetric metric : kJudgeMetrics) {
        std::vector<std::optional<double>> scores;
        std::vector<std::vector<std::optional<double>>> repeats;
        for (const JudgedQuery &q : queries) {
            const Judgement &j = q.judgement(metric);
            scores.push_back(j.score);
            repeats.push_back(j.repeats);
        }
        out.push_back(JudgedMetricSummary{metric, aggregateScores(scores), repeatAgreement(repeats)});
    }
    return out;
}

Result<JudgedOutcome> runJudgedEvaluation(const Project &project, const JudgedEvalSpec &spec,
                                          const ChatModel *answerModel, const ChatModel &judgeModel,
                                          const TokenCounter &counter, const JobContext &ctx)
{
    if (spec.contextChunks < 1 || spec.contextChunks > int(kReportedChunksPerQuery))
        return fail(ErrorCode::InvalidArgument, "context chunks must be 1.." + std::to_string(kReportedChunksPerQuery),
                    "context_chunks");
    auto full = findEvalSet(project, spec.evalSet, spec.split);
    if (!full)
        return std::unexpected(full.error());
    const StoredEvalSet stored = firstQueries(*full, spec.limit);
    auto prepared = preparePipeline(project, spec.pipeline, ctx);
    if (!prepared)
        return std::unexpected(prepared.error());
    PipelineConfig pipeline = spec.pipeline;
    pipeline.topK = std::max(pipeline.topK, spec.contextChunks);
    auto retrieval = runEvalSet(project, *prepared, pipeline, documentLevelSet(stored), spec.retrievalMetrics,
                                spec.depth, ctx, spec.expandQuery);
    if (!retrieval)
        return std::unexpected(retrieval.error());
    auto contexts = loadContexts(project, stored, retrieval->report, spec.contextChunks);
    if (!contexts)
        return std::unexpected(contexts.error());

    QElapsedTimer timer;
    timer.start();
    const Judge judge(judgeModel, spec.judge);
    const std::size_t n = stored.queries.size();
    std::vector<QueryWork> work(n);
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    const auto drain = [&](bool reports) {
        for (std::size_t i; !ctx.cancelled() && (i = next.fetch_add(1)) < n;) {
            const auto &[qid, question] = stored.queries[i];
            const auto reference = stored.referenceAnswers.find(qid);
            work[i] = answerAndJudge(qid, question,
                                     reference == stored.referenceAnswers.end() ? std::nullopt
                                                                                : std::optional(reference->second),
                                     (*contexts)[i], answerModel, judge, counter, spec.answer, ctx);
            const std::size_t finished = done.fetch_add(1) + 1;
            if (reports)  // JobContext::progress is for one thread: only the caller's reports
                ctx.progress(std::int64_t(finished), std::int64_t(n), "answering and judging");
        }
    };
    std::vector<std::thread> helpers;
    for (int t = 1; t < std::max(1, spec.threads) && std::size_t(t) < n; ++t)
        helpers.emplace_back(drain, false);
    drain(true);
    for (std::thread &t : helpers)
        t.join();
    if (ctx.cancelled())
        return fail(ErrorCode::Cancelled, "judged evaluation cancelled; no run was recorded");

    JudgedOutcome outcome;
    outcome.answerModel = answerModel ? answerModel->name() : ExtractiveAnswerer(spec.answer.extractive).name();
    outcome.judgeModel = judgeModel.name();
    for (QueryWork &w : work) {
        outcome.answerUsage.add(w.answerUsage);
        outcome.judgeUsage.add(w.judgeUsage);
        outcome.queries.push_back(std::move(w.result));
    }
    outcome.metrics = summariseJudgements(outcome.queries);
    outcome.retrieval = std::move(retrieval->report);
    outcome.retrieval.evalSet.hash = stored.hash;
    outcome.retrieval.timingsMs["answer_and_judge_total"] = double(timer.nsecsElapsed()) / 1e6;
    outcome.retrieval.config["judge"] = {
        {"answer_model", outcome.answerModel}, {"judge_model", outcome.judgeModel},
        {"context_chunks", spec.contextChunks}, {"context_budget_tokens", spec.answer.contextBudgetTokens},
        {"repeats", spec.judge.repeats}, {"max_attempts", spec.judge.maxAttempts},
        {"temperature", spec.judge.temperature}, {"seed", spec.judge.seed}, {"limit", spec.limit}};
    auto runId = recordJudgedRun(project, spec, stored, outcome);
    if (!runId)
        return std::unexpected(runId.error());
    outcome.runId = *runId;
    return outcome;
}

Result<nlohmann::json> judgedSectionOfReport(std::string_view reportJson)
{
    const nlohmann::json report = nlohmann::json::parse(reportJson, nullptr, false);
    if (report.is_discarded() || !report.is_object())
        return fail(ErrorCode::Parse, "the run's report is not a JSON object", "report_json");
    const auto judged = report.find("judged");
    if (judged == report.end())
        return fail(ErrorCode::NotFound, "the run was not judged (no \"judged\" section)", "report_json");
    return *judged;
}

} // namespace rag
