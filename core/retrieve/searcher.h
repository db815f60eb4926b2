#pragma once
// Searcher: the retrieval lanes over one chunk set — BM25 (FTS5), dense (a
// vector index queried with the embedder that built it) and hybrid (fusion of
// both) — with every result's rank and score in each leg, and document rankings
// by each document's best chunk (max-pooling, as BEIR scores chunked corpora).
//
// open() loads what a query needs (the chunk-to-document map, the vector index,
// the embedder) once; afterwards a Searcher is immutable and safe to use from
// any thread. The keyword leg reads the project through the caller's own
// Database connection. Legs are separate from assemble() so a view can re-fuse
// cached candidates with other parameters without querying again.
#include "core/common/result.h"
#include "core/config/pipelineconfig.h"
#include "core/embed/embedder.h"
#include "core/retrieve/fusion.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace rag {

class Database;
class Project;
class VectorIndex;

struct DocumentHit {
    std::int64_t documentId = 0;
    std::string docKey;
    double score = 0.0;         // the best chunk's fused score
    int rank = 0;
    std::int64_t bestChunkId = 0;
    int bestChunkRank = 0;
};

struct LaneResult {
    Lane lane = Lane::Keyword;
    std::vector<FusedHit> chunks;        // after threshold and top-k
    std::vector<DocumentHit> documents;  // max-pooled from all fused chunks, then top-k
};

struct LaneParams {
    FusionParams fusion;
    int topK = 10;
    std::optional<double> threshold;
};

// One search of a query a transform expanded (HyDE, multi-query): the text the
// BM25 leg searches, and the texts whose vectors' normalised mean the dense leg
// searches (the query alone, or the query with HyDE's hypothetical passages).
struct QuerySearch {
    std::string keywordText;
    std::vector<std::string> denseTexts;
};

// Where one search of an expanded query ranked a chunk (search index, 1-based rank).
struct SearchRank {
    int search = 0;
    int rank = 0;
    bool operator==(const SearchRank &) const = default;
};

struct ExpandedLaneResult {
    LaneResult lane;
    std::vector<std::vector<SearchRank>> foundBy;  // parallel to lane.chunks: the searches that found each
};

class Searcher {
public:
    // Gives the embedder that built an index, by its identity key.
    using EmbedderResolver = std::function<Result<std::shared_ptr<Embedder>>(const std::string &embedderKey)>;

    // denseIndexName may be empty (keyword only). The chunk set must have a BM25
    // index for keyword and hybrid lanes.
    static Result<std::shared_ptr<const Searcher>> open(const Project &project, const std::string &chunkSetName,
                                                        const std::string &denseIndexName,
                                                        const EmbedderResolver &resolveEmbedder);
    ~Searcher();

    bool hasDense() const { return m_index != nullptr; }
    std::int64_t chunkSetId() const { return m_chunkSetId; }
    std::string embedderKey() const;

    Result<std::vector<LegHit>> keywordLeg(const Database &db, const std::string &query, int depth) const;
    Result<std::vector<LegHit>> denseLeg(const std::string &query, int depth) const;
    // Embeds all queries in one batch (much faster for evaluation).
    Result<std::vector<std::vector<LegHit>>> denseLegs(const std::vector<std::string> &queries, int depth,
                                                       const JobContext &ctx) const;

    LaneResult assemble(Lane lane, const std::vector<LegHit> &keyword, const std::vector<LegHit> &dense,
                        const LaneParams &params) const;

    // The dense leg for the normalised mean of the texts' vectors, as HyDE
    // searches with the mean of the query's and its passages' embeddings.
    Result<std::vector<LegHit>> denseLegMean(const std::vector<std::string> &texts, int depth,
                                             const JobContext &ctx) const;
    // Runs each search through the lane (legs `candidates` deep). One search is
    // assembled as usual; several (RAG-Fusion) have their chunk rankings fused by
    // RRF with k = params.fusion.rrfK before the threshold, top-k and document
    // pooling. Every hit lists the searches that found it.
    Result<ExpandedLaneResult> searchExpanded(const Database &db, Lane lane, const std::vector<QuerySearch> &searches,
                                              const LaneParams &params, int candidates, const JobContext &ctx) const;
    // The RRF of several chunk rankings (rank order, best first), then the cut and
    // the document pooling. A fused hit keeps the leg ranks and scores of the
    // search that ranked it best. Pure; exposed for views and tests.
    ExpandedLaneResult fuseSearches(const std::vector<std::vector<FusedHit>> &rankings, const LaneParams &params) const;

    std::int64_t documentOf(std::int64_t chunkId) const;
    // Every document key of the project, sorted (for completing rankings).
    const std::vector<std::string> &sortedDocumentKeys() const { return m_sortedKeys; }
    const std::string &docKeyOf(std::int64_t documentId) const;

private:
    Searcher() = default;
    // Documents by their best chunk among all fused candidates, then the chunk cut.
    LaneResult pool(Lane lane, std::vector<FusedHit> fused, const LaneParams &params) const;
    std::int64_t m_chunkSetId = 0;
    std::unordered_map<std::int64_t, std::int64_t> m_documentOfChunk;
    std::unordered_map<std::int64_t, std::string> m_docKeys;
    std::vector<std::string> m_sortedKeys;
    std::unique_ptr<VectorIndex> m_index;
    std::shared_ptr<Embedder> m_embedder;
    mutable std::mutex m_embedMutex;  // Embedder::embed is not required to be re-entrant
};

} // namespace rag
