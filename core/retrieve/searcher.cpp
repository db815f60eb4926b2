#include "core/retrieve/searcher.h"

#include "core/index/keywordindex.h"
#include "core/index/vectorindex.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/indexcatalog.h"
#include "core/store/project.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace rag {

Searcher::~Searcher() = default;

Result<std::shared_ptr<const Searcher>> Searcher::open(const Project &project, const std::string &chunkSetName,
                                                       const std::string &denseIndexName,
                                                       const EmbedderResolver &resolveEmbedder)
{
    std::shared_ptr<Searcher> s(new Searcher);
    ChunkRepository chunks(project.db());
    auto set = chunks.find(chunkSetName);
    if (!set)
        return std::unexpected(set.error());
    s->m_chunkSetId = set->id;
    auto all = chunks.chunks(set->id);
    if (!all)
        return std::unexpected(all.error());
    s->m_documentOfChunk.reserve(all->size());
    for (const ChunkRecord &c : *all)
        s->m_documentOfChunk.emplace(c.id, c.documentId);
    auto docs = DocumentRepository(project.db()).list();
    if (!docs)
        return std::unexpected(docs.error());
    for (const DocumentInfo &d : *docs) {
        s->m_docKeys.emplace(d.id, d.docKey);
        s->m_sortedKeys.push_back(d.docKey);
    }
    std::sort(s->m_sortedKeys.begin(), s->m_sortedKeys.end());

    if (!denseIndexName.empty()) {
        auto record = IndexCatalog(project.db()).find(denseIndexName);
        if (!record)
            return std::unexpected(record.error());
        if (record->kind == "bm25")
            return fail(ErrorCode::InvalidArgument, "'" + denseIndexName + "' is a BM25 index, not a vector index",
                        project.path());
        if (record->chunkSetId != set->id)
            return fail(ErrorCode::Mismatch,
                        "index '" + denseIndexName + "' was built over chunk set '" + record->chunkSetName
                            + "', not '" + chunkSetName + "'",
                        project.path());
        auto index = loadVectorIndex(record->filePath);
        if (!index)
            return std::unexpected(index.error());
        auto embedder = resolveEmbedder(record->embedderKey);
        if (!embedder)
            return std::unexpected(embedder.error());
        const EmbedderIdentity identity = (*embedder)->identity();
        if (auto ok = (*index)->checkQueryCompatible(identity, identity.dimension); !ok)
            return std::unexpected(ok.error());
        s->m_index = std::move(*index);
        s->m_embedder = std::move(*embedder);
    }
    return std::shared_ptr<const Searcher>(std::move(s));
}

std::string Searcher::embedderKey() const
{
    return m_embedder ? m_embedder->identity().key() : std::string();
}

Result<std::vector<LegHit>> Searcher::keywordLeg(const Database &db, const std::string &query, int depth) const
{
    auto hits = KeywordIndex::search(db, m_chunkSetId, query, depth);
    if (!hits)
        return std::unexpected(hits.error());
    std::vector<LegHit> leg;
    leg.reserve(hits->size());
    for (const KeywordHit &h : *hits)
        leg.push_back(LegHit{h.chunkId, h.score});
    return leg;
}

Result<std::vector<LegHit>> Searcher::denseLeg(const std::string &query, int depth) const
{
    auto legs = denseLegs({query}, depth, JobContext());
    if (!legs)
        return std::unexpected(legs.error());
    return std::move(legs->front());
}

Result<std::vector<std::vector<LegHit>>> Searcher::denseLegs(const std::vector<std::string> &queries, int depth,
                                                             const JobContext &ctx) const
{
    if (!m_index)
        return fail(ErrorCode::InvalidArgument, "no vector index was opened for dense retrieval");
    std::vector<std::string_view> views(queries.begin(), queries.end());
    Result<std::vector<float>> vectors;
    {
        std::lock_guard lock(m_embedMutex);
        vectors = m_embedder->embedQueries(views, ctx);
    }
    if (!vectors)
        return std::unexpected(vectors.error());
    const auto batch = m_index->searchBatch(*vectors, depth);
    std::vector<std::vector<LegHit>> out(batch.size());
    for (std::size_t q = 0; q < batch.size(); ++q) {
        out[q].reserve(batch[q].size());
        for (const Hit &h : batch[q])
            out[q].push_back(LegHit{h.label, double(h.score)});
    }
    return out;
}

LaneResult Searcher::assemble(Lane lane, const std::vector<LegHit> &keyword, const std::vector<LegHit> &dense,
                              const LaneParams &params) const
{
    std::vector<FusedHit> fused;
    switch (lane) {
    case Lane::Keyword: fused = single(keyword, false); break;
    case Lane::Dense: fused = single(dense, true); break;
    case Lane::Hybrid: fused = fuse(keyword, dense, params.fusion); break;
    }
    return pool(lane, std::move(fused), params);
}

LaneResult Searcher::pool(Lane lane, std::vector<FusedHit> fused, const LaneParams &params) const
{
    LaneResult result;
    result.lane = lane;
    // Documents are pooled from every fused chunk before the cut, so a
    // document's rank is its best chunk's rank among all candidates.
    std::unordered_set<std::int64_t> seen;
    for (const FusedHit &h : fused) {
        if (params.threshold && h.score < *params.threshold)
            continue;
        const std::int64_t doc = documentOf(h.chunkId);
        if (!seen.insert(doc).second)
            continue;
        DocumentHit d;
        d.documentId = doc;
        d.docKey = docKeyOf(doc);
        d.score = h.score;
        d.rank = int(result.documents.size()) + 1;
        d.bestChunkId = h.chunkId;
        d.bestChunkRank = h.rank;
        result.documents.push_back(std::move(d));
        if (params.topK > 0 && int(result.documents.size()) >= params.topK)
            break;
    }
    result.chunks = cut(std::move(fused), params.topK, params.threshold);
    return result;
}

Result<std::vector<LegHit>> Searcher::denseLegMean(const std::vector<std::string> &texts, int depth,
                                                   const JobContext &ctx) const
{
    if (!m_index)
        return fail(ErrorCode::InvalidArgument, "no vector index was opened for dense retrieval");
    if (texts.empty())
        return fail(ErrorCode::InvalidArgument, "a mean-vector search needs at least one text");
    std::vector<std::string_view> views(texts.begin(), texts.end());
    Result<std::vector<float>> vectors;
    {
        std::lock_guard lock(m_embedMutex);
        vectors = m_embedder->embedQueries(views, ctx);
    }
    if (!vectors)
        return std::unexpected(vectors.error());
    const std::size_t dim = std::size_t(m_index->dimension());
    // Rows are L2-normalised, so every text weighs the same in the mean; the
    // cosine index normalises the mean itself, done here too for any metric.
    std::vector<double> sum(dim, 0.0);
    for (std::size_t row = 0; row < texts.size(); ++row)
        for (std::size_t d = 0; d < dim; ++d)
            sum[d] += double((*vectors)[row * dim + d]);
    double norm = 0.0;
    for (double v : sum)
        norm += v * v;
    norm = std::sqrt(norm);
    std::vector<float> mean(dim, 0.0f);
    if (norm > 0.0)
        for (std::size_t d = 0; d < dim; ++d)
            mean[d] = float(sum[d] / norm);
    std::vector<LegHit> leg;
    for (const Hit &h : m_index->search(mean, depth))
        leg.push_back(LegHit{h.label, double(h.score)});
    return leg;
}

Result<ExpandedLaneResult> Searcher::searchExpanded(const Database &db, Lane lane,
                                                    const std::vector<QuerySearch> &searches, const LaneParams &params,
                                                    int candidates, const JobContext &ctx) const
{
    if (searches.empty())
        return fail(ErrorCode::InvalidArgument, "an expanded query needs at least one search");
    // Each search keeps every candidate: the cut comes after the fusion.
    LaneParams uncut = params;
    uncut.topK = 0;
    uncut.threshold.reset();
    std::vector<std::vector<FusedHit>> rankings;
    for (const QuerySearch &search : searches) {
        if (ctx.cancelled())
            return fail(ErrorCode::Cancelled, "search cancelled");
        std::vector<LegHit> keyword, dense;
        if (lane != Lane::Dense) {
            auto leg = keywordLeg(db, search.keywordText, candidates);
            if (!leg)
                return std::unexpected(leg.error());
            keyword = std::move(*leg);
        }
        if (lane != Lane::Keyword) {
            auto leg = search.denseTexts.size() == 1 ? denseLeg(search.denseTexts.front(), candidates)
                                                     : denseLegMean(search.denseTexts, candidates, ctx);
            if (!leg)
                return std::unexpected(leg.error());
            dense = std::move(*leg);
        }
        if (searches.size() == 1) {
            ExpandedLaneResult one;
            one.lane = assemble(lane, keyword, dense, params);
            one.foundBy.resize(one.lane.chunks.size());
            for (std::size_t i = 0; i < one.lane.chunks.size(); ++i)
                one.foundBy[i].push_back(SearchRank{0, one.lane.chunks[i].rank});
            return one;
        }
        rankings.push_back(assemble(lane, keyword, dense, uncut).chunks);
    }
    ExpandedLaneResult fused = fuseSearches(rankings, params);
    fused.lane.lane = lane;
    return fused;
}

ExpandedLaneResult Searcher::fuseSearches(const std::vector<std::vector<FusedHit>> &rankings,
                                          const LaneParams &params) const
{
    struct Entry {
        FusedHit best;  // the hit as the search that ranked it best saw it
        double score = 0.0;
        std::vector<SearchRank> foundBy;
    };
    std::unordered_map<std::int64_t, Entry> entries;
    for (std::size_t s = 0; s < rankings.size(); ++s) {
        for (std::size_t i = 0; i < rankings[s].size(); ++i) {
            const FusedHit &hit = rankings[s][i];
            const int rank = int(i) + 1;
            Entry &e = entries[hit.chunkId];
            if (e.foundBy.empty() || rank < e.best.rank) {
                e.best = hit;
                e.best.rank = rank;
            }
            e.score += 1.0 / double(params.fusion.rrfK + rank);
            e.foundBy.push_back(SearchRank{int(s), rank});
        }
    }
    std::vector<Entry> ordered;
    ordered.reserve(entries.size());
    for (auto &[id, e] : entries)
        ordered.push_back(std::move(e));
    // Ties break by chunk id, as fuse() does, so the ranking is deterministic.
    std::sort(ordered.begin(), ordered.end(), [](const Entry &a, const Entry &b) {
        return a.score != b.score ? a.score > b.score : a.best.chunkId < b.best.chunkId;
    });
    std::vector<FusedHit> fused;
    std::unordered_map<std::int64_t, std::vector<SearchRank>> foundBy;
    fused.reserve(ordered.size());
    for (Entry &e : ordered) {
        FusedHit hit = e.best;
        hit.score = e.score;
        hit.rank = int(fused.size()) + 1;
        fused.push_back(hit);
        foundBy.emplace(hit.chunkId, std::move(e.foundBy));
    }
    ExpandedLaneResult result;
    result.lane = pool(Lane::Hybrid, std::move(fused), params);
    result.foundBy.reserve(result.lane.chunks.size());
    for (const FusedHit &hit : result.lane.chunks)
        result.foundBy.push_back(std::move(foundBy[hit.chunkId]));
    return result;
}

std::int64_t Searcher::documentOf(std::int64_t chunkId) const
{
    auto it = m_documentOfChunk.find(chunkId);
    return it == m_documentOfChunk.end() ? 0 : it->second;
}

const std::string &Searcher::docKeyOf(std::int64_t documentId) const
{
    static const std::string none;
    auto it = m_docKeys.find(documentId);
    return it == m_docKeys.end() ? none : it->second;
}

} // namespace rag
