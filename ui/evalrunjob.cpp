#include "ui/evalrunjob.h"

#include "core/eval/beirreader.h"
#include "core/eval/qasetreader.h"
#include "core/generate/querytransform.h"
#include "core/judging/judgedevaluation.h"
#include "core/pipeline/evalsetimport.h"
#include "core/pipeline/evaluation.h"
#include "core/store/evalrepository.h"
#include "core/store/project.h"
#include "ui/modelservices.h"

namespace rag {

namespace {

Result<std::shared_ptr<const ChatModel>> chatModel(const ModelServices &services, const std::string &spec,
                                                   const std::string &baseUrl)
{
    ModelSpecs specs;
    specs.chatModel = spec;
    specs.chatBaseUrl = baseUrl;
    return services.chatModel(specs);
}

// The transform's hook over its chat model, exactly as the CLI builds it; empty
// for a pipeline without a transform.
Result<QueryExpander> expanderFor(const ModelServices &services, const EvalRunRequest &request)
{
    const QueryTransform &transform = request.pipeline.transform;
    if (!transform.active())
        return QueryExpander();
    auto model = chatModel(services, transform.chat, request.transformBaseUrl);
    if (!model)
        return std::unexpected(model.error());
    if (!*model)
        return fail(ErrorCode::InvalidArgument, "the extractive answerer cannot rewrite queries; name a chat model",
                    "transform.chat");
    return makeQueryExpander(transform, std::move(*model));
}

Result<EvalRunResult> runJudged(const Project &project, const ModelServices &services, const EvalRunRequest &request,
                                QueryExpander expand, const JobContext &ctx)
{
    const JudgingRequest &judging = *request.judging;
    auto answerer = chatModel(services, judging.answerModel, judging.answerBaseUrl);
    if (!answerer)
        return std::unexpected(answerer.error());
    auto judge = chatModel(services, judging.judgeModel, judging.judgeBaseUrl);
    if (!judge)
        return std::unexpected(judge.error());
    if (!*judge)
        return fail(ErrorCode::InvalidArgument,
                    "judging needs a chat model; the extractive answerer can answer but not judge", "judge");
    auto counter = services.tokenCounter();
    if (!counter)
        return std::unexpected(counter.error());
    JudgedEvalSpec spec;
    spec.evalSet = request.evalSet;
    spec.split = request.split;
    spec.pipeline = request.pipeline;
    spec.depth = request.depth;
    spec.contextChunks = judging.contextChunks;
    spec.limit = judging.limit;
    spec.judge.repeats = judging.repeats;
    spec.label = request.label;
    spec.expandQuery = std::move(expand);
    auto outcome = runJudgedEvaluation(project, spec, answerer->get(), **judge, **counter, ctx);
    if (!outcome)
        return std::unexpected(outcome.error());
    return EvalRunResult{outcome->runId, true, outcome->retrieval.metrics};
}

} // namespace

Result<EvalRunResult> runEvalRequest(const std::string &projectPath, const ModelServices &services,
                                     const EvalRunRequest &request, const JobContext &ctx)
{
    auto expand = expanderFor(services, request);
    if (!expand)
        return std::unexpected(expand.error());
    auto project = Project::openExisting(projectPath);
    if (!project)
        return std::unexpected(project.error());
    if (request.judging)
        return runJudged(**project, services, request, std::move(*expand), ctx);
    StoredEvalSpec spec;
    spec.evalSet = request.evalSet;
    spec.split = request.split;
    spec.pipeline = request.pipeline;
    spec.depth = request.depth;
    spec.label = request.label;
    spec.expandQuery = std::move(*expand);
    auto outcome = evaluateStored(**project, spec, ctx);
    if (!outcome)
        return std::unexpected(outcome.error());
    return EvalRunResult{outcome->runId, false, outcome->report.metrics};
}

Result<ImportedEvalSet> importEvalSetFile(const std::string &projectPath, const std::string &path, bool beir,
                                          const std::string &split)
{
    auto project = Project::openExisting(projectPath);
    if (!project)
        return std::unexpected(project.error());
    StoredEvalSet stored;
    if (beir) {
        auto set = readBeirEvalSet(path, split.empty() ? std::string("test") : split);
        if (!set)
            return std::unexpected(set.error());
        stored = storedFromEvalSet(*set, path);
    } else {
        auto set = readQaSet(path, split);
        if (!set)
            return std::unexpected(set.error());
        auto resolved = resolveQaSet(**project, *set, path);
        if (!resolved)
            return std::unexpected(resolved.error());
        stored = std::move(*resolved);
    }
    auto id = EvalRepository((*project)->db()).saveEvalSet(stored);
    if (!id)
        return std::unexpected(id.error());
    ImportedEvalSet imported{*id, stored.name, stored.split, stored.queries.size(), stored.judgments.size(), 0,
                             stored.referenceAnswers.size()};
    for (const StoredJudgment &j : stored.judgments)
        imported.spans += j.spanStart ? 1 : 0;
    return imported;
}

} // namespace rag
