#pragma once
// Fusion of ranked lists from retrieval legs (BM25, dense) into one ranking,
// keeping every leg's rank and score on each result so a user can see why a
// result is where it is. Pure functions; thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rag {

struct LegHit {
    std::int64_t chunkId = 0;
    double score = 0.0;  // higher is better
};

// One chunk in a fused ranking, with its place in each leg (rank is 1-based;
// absent when the leg did not retrieve it).
struct FusedHit {
    std::int64_t chunkId = 0;
    double score = 0.0;
    int rank = 0;
    std::optional<int> keywordRank;
    std::optional<double> keywordScore;
    std::optional<int> denseRank;
    std::optional<double> denseScore;
};

enum class FusionMethod { Rrf, Weighted };

struct FusionParams {
    FusionMethod method = FusionMethod::Rrf;
    int rrfK = 60;         // RRF: score = sum over legs of 1 / (k + rank)
    double alpha = 0.5;    // weighted: alpha * dense + (1 - alpha) * keyword, min-max normalised per leg
};

// Fuses the two legs (either may be empty). Ties are broken by chunk id so the
// result is deterministic.
std::vector<FusedHit> fuse(const std::vector<LegHit> &keyword, const std::vector<LegHit> &dense,
                           const FusionParams &params);

// A single leg as a ranking (its own score and rank filled in on its side).
std::vector<FusedHit> single(const std::vector<LegHit> &leg, bool isDense);

// Keeps hits with score >= threshold, then the first topK (topK <= 0: all).
std::vector<FusedHit> cut(std::vector<FusedHit> hits, int topK, std::optional<double> threshold);

const char *fusionMethodName(FusionMethod method);

} // namespace rag
