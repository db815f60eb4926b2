#include "ui/playgroundsearch.h"

#include <QElapsedTimer>

namespace rag {

Result<std::shared_ptr<const PlaygroundCandidates>> runPlaygroundQuery(const Workbench &workbench,
                                                                      const PlaygroundQuery &query)
{
    auto out = std::make_shared<PlaygroundCandidates>();
    out->chunkSet = query.chunkSet;
    out->denseIndex = query.denseIndex;
    out->query = query.text;
    out->searcher = query.searcher;
    if (!out->searcher) {
        auto opened = workbench.openSearcher(query.chunkSet, query.denseIndex);
        if (!opened)
            return std::unexpected(opened.error());
        out->searcher = *opened;
    }
    auto legs = workbench.searchLegs(*out->searcher, query.text, true, !query.denseIndex.empty(), query.depth);
    if (!legs)
        return std::unexpected(legs.error());
    out->legs = std::move(*legs);
    std::vector<std::int64_t> ids;
    for (const LegHit &h : out->legs.keyword)
        ids.push_back(h.chunkId);
    for (const LegHit &h : out->legs.dense)
        ids.push_back(h.chunkId);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    auto views = workbench.chunkViews(ids);
    if (!views)
        return std::unexpected(views.error());
    for (ChunkView &v : *views)
        out->chunks.emplace(v.record.id, std::move(v));
    return std::shared_ptr<const PlaygroundCandidates>(std::move(out));
}

Result<RerankOutcome> runPlaygroundRerank(const ModelServices &services, const RerankInput &input,
                                          const JobContext &ctx)
{
    auto reranker = services.reranker(input.specs);
    if (!reranker)
        return std::unexpected(reranker.error());
    QElapsedTimer timer;
    timer.start();
    auto scores = reranker->score(input.query, input.texts, ctx);
    if (!scores)
        return std::unexpected(scores.error());
    if (scores->size() != input.ids.size())
        return fail(ErrorCode::Internal, "the reranker returned " + std::to_string(scores->size()) + " scores for "
                                             + std::to_string(input.ids.size()) + " candidates", reranker->name);
    RerankOutcome out;
    out.ms = double(timer.nsecsElapsed()) / 1e6;
    out.ids = input.ids;
    out.scores = std::move(*scores);
    out.reranker = reranker->name;
    return out;
}

Result<Answer> runPlaygroundAnswer(const ModelServices &services, const AnswerInput &input,
                                   const ChatModel::DeltaSink &onDelta, const JobContext &ctx)
{
    auto counter = services.tokenCounter();
    if (!counter)
        return std::unexpected(counter.error());
    auto model = services.chatModel(input.specs);
    if (!model)
        return std::unexpected(model.error());
    AnswerOptions options;
    options.contextBudgetTokens = input.budgetTokens;
    return answerQuestion(input.question, input.chunks, model->get(), **counter, options, onDelta, ctx);
}

} // namespace rag
