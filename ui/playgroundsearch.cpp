#include "ui/playgroundsearch.h"

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

} // namespace rag
