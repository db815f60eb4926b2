#include "core/retrieve/fusion.h"

#include <algorithm>
#include <unordered_map>

namespace rag {

namespace {

void sortAndRank(std::vector<FusedHit> &hits)
{
    std::sort(hits.begin(), hits.end(), [](const FusedHit &a, const FusedHit &b) {
        return a.score != b.score ? a.score > b.score : a.chunkId < b.chunkId;
    });
    for (std::size_t i = 0; i < hits.size(); ++i)
        hits[i].rank = int(i) + 1;
}

// Min-max normalisation to [0, 1] over one leg's candidates; a leg whose scores
// are all equal maps to 1 (every candidate is equally the best it found).
std::vector<double> normalised(const std::vector<LegHit> &leg)
{
    std::vector<double> out(leg.size(), 1.0);
    if (leg.empty())
        return out;
    const auto [lo, hi] = std::minmax_element(leg.begin(), leg.end(),
                                              [](const LegHit &a, const LegHit &b) { return a.score < b.score; });
    const double range = hi->score - lo->score;
    if (range > 0)
        for (std::size_t i = 0; i < leg.size(); ++i)
            out[i] = (leg[i].score - lo->score) / range;
    return out;
}

} // namespace

const char *fusionMethodName(FusionMethod method)
{
    return method == FusionMethod::Rrf ? "rrf" : "weighted";
}

std::vector<FusedHit> fuse(const std::vector<LegHit> &keyword, const std::vector<LegHit> &dense,
                           const FusionParams &params)
{
    std::unordered_map<std::int64_t, FusedHit> byChunk;
    byChunk.reserve(keyword.size() + dense.size());
    const auto kNorm = normalised(keyword);
    const auto dNorm = normalised(dense);
    for (std::size_t i = 0; i < keyword.size(); ++i) {
        FusedHit &h = byChunk[keyword[i].chunkId];
        h.chunkId = keyword[i].chunkId;
        h.keywordRank = int(i) + 1;
        h.keywordScore = keyword[i].score;
        h.score += params.method == FusionMethod::Rrf ? 1.0 / (params.rrfK + int(i) + 1)
                                                      : (1.0 - params.alpha) * kNorm[i];
    }
    for (std::size_t i = 0; i < dense.size(); ++i) {
        FusedHit &h = byChunk[dense[i].chunkId];
        h.chunkId = dense[i].chunkId;
        h.denseRank = int(i) + 1;
        h.denseScore = dense[i].score;
        h.score += params.method == FusionMethod::Rrf ? 1.0 / (params.rrfK + int(i) + 1)
                                                      : params.alpha * dNorm[i];
    }
    std::vector<FusedHit> hits;
    hits.reserve(byChunk.size());
    for (auto &[id, hit] : byChunk)
        hits.push_back(hit);
    sortAndRank(hits);
    return hits;
}

std::vector<FusedHit> single(const std::vector<LegHit> &leg, bool isDense)
{
    std::vector<FusedHit> hits;
    hits.reserve(leg.size());
    for (std::size_t i = 0; i < leg.size(); ++i) {
        FusedHit h;
        h.chunkId = leg[i].chunkId;
        h.score = leg[i].score;
        h.rank = int(i) + 1;
        if (isDense) {
            h.denseRank = h.rank;
            h.denseScore = h.score;
        } else {
            h.keywordRank = h.rank;
            h.keywordScore = h.score;
        }
        hits.push_back(h);
    }
    return hits;
}

std::vector<FusedHit> cut(std::vector<FusedHit> hits, int topK, std::optional<double> threshold)
{
    if (threshold)
        hits.erase(std::remove_if(hits.begin(), hits.end(), [&](const FusedHit &h) { return h.score < *threshold; }),
                   hits.end());
    if (topK > 0 && hits.size() > std::size_t(topK))
        hits.resize(std::size_t(topK));
    return hits;
}

} // namespace rag
