#pragma once
// HnswIndex: approximate nearest neighbours over an hnswlib HierarchicalNSW graph
// (inner product on normalised vectors for cosine, squared L2 for l2), with distance
// kernels picked for the running CPU and, for cosine, half-precision storage. Builds insert on all cores (hnswlib's insert
// is thread-safe) with progress and cancellation between insert batches; a build
// fills a fresh graph and swaps it in only when complete. See VectorIndex for the
// threading rules; the graph is owned by the index.
#include "core/index/vectorindex.h"

#include <algorithm>
#include <memory>

namespace rag {

// How the graph stores vectors. Half (IEEE binary16) halves the memory traffic of
// inserts and queries, which is what bounds both, and moves cosine scores by ~1e-4;
// it applies to the cosine metric only (l2 vectors have no bounded range).
enum class HnswPrecision { Float32, Half };

struct HnswParams {
    int M = 16;                // graph degree (2*M on the base layer)
    // Beam width while inserting. 100 rather than hnswlib's customary 200: on 100k
    // clustered 384-d vectors (bench_hnsw) it nearly halves the build (CPU time
    // ~19 s against ~33 s on 2 cores) for recall@10 ~0.994 against ~0.999 at
    // ef_search 64 (parallel inserts vary from run to run); raise it for harder data.
    int efConstruction = 100;
    int efSearch = 64;         // beam width while searching (at least k)
    std::uint64_t seed = 100;  // level generator seed
    // Insert threads; 0 = all cores. With 1 the build is reproducible: the same
    // input gives the same graph, byte for byte (parallel inserts interleave).
    int threads = 0;
    HnswPrecision precision = HnswPrecision::Half;
};

class HnswIndex final : public VectorIndex {
public:
    // An empty index to load() into.
    HnswIndex();
    HnswIndex(std::string chunkSetId, EmbedderIdentity embedder, Metric metric, HnswParams params = {});
    ~HnswIndex() override;

    Result<void> build(std::span<const std::int64_t> labels, std::span<const float> rows,
                       const JobContext &ctx = {}) override;
    Result<void> add(std::span<const std::int64_t> labels, std::span<const float> rows,
                     const JobContext &ctx = {}) override;
    std::vector<Hit> search(std::span<const float> query, int k) const override;
    std::vector<std::vector<Hit>> searchBatch(std::span<const float> queries, int k) const override;

    HnswParams params() const;
    void setThreads(int threads) { m_threads = std::max(0, threads); }
    // Changes the query beam; recorded in identity().efSearch. Not while searching.
    void setEfSearch(int efSearch);

    // Cosine graphs in half precision answer queries in two steps: the graph walk
    // (descent and the ef_search beam) measures 8-bit copies of the vectors
    // (int8rows.h) against a 16-bit query, 7 cache lines per distance at 384-d
    // instead of 12, which is what a query waits on; then the beam is re-measured
    // against the stored half vectors and the k best returned with those exact
    // scores. The walk's ~5e-4 error only reorders near-ties inside the beam,
    // which the re-rank corrects. Float32 graphs (chosen to avoid rounding) and l2
    // graphs (unbounded vectors, where one scale per vector loses small
    // components) walk their stored vectors, as do vectors longer than
    // kernels::kMaxCodeDimension. On by default; off walks the half vectors (for
    // comparing the two on one graph). Not recorded in the file. Not while searching.
    void setQuantisedTraversal(bool enabled) { m_quantisedTraversal = enabled; }
    // Whether queries take the 8-bit walk: enabled, and a cosine half-precision graph.
    bool quantisedTraversal() const;
    // Inserts into a graph that has 8-bit rows (where quantisedTraversal() applies)
    // walk them too: the descent and ef_construction beams measure the new point's
    // 16-bit codes against the rows, then the beam is re-measured against the
    // stored halves, so hnswlib's neighbour heuristic and the stored links use
    // exact distances as before; the beam's members differ only at near-ties. On
    // the 100k x 384 benchmark (2 cores) the efC 200 build went from 21.5 s wall /
    // 42.5 s CPU to ~16-17 s / ~31-35 s (with hnswgraph's prefetching link step),
    // recall@10 at ef_search 64 0.9991 against 0.9965; one-thread builds on the
    // same data: 0.8857 / 0.9805 / 0.9991 at ef 16 / 32 / 64 against 0.8676 /
    // 0.9764 / 0.9971 with half inserts.
    // On by default; off inserts on the half vectors (to compare the two graphs).
    // Not recorded in the file. Not while building or adding.
    void setQuantisedInserts(bool enabled) { m_quantisedInserts = enabled; }
    bool quantisedInserts() const { return m_quantisedInserts; }

protected:
    Result<void> writePayload(IndexFileWriter &writer, const JobContext &ctx) const override;
    Result<void> readPayload(IndexFileReader &reader, const IndexIdentity &identity) override;

private:
    struct Graph; // the hnswlib graph and its space; defined in hnswindex.cpp

    Result<void> insert(Graph &graph, std::span<const std::int64_t> labels, std::span<const float> rows,
                        const JobContext &ctx);
    // The graph stored in a payload; null for an empty index.
    static Result<std::unique_ptr<Graph>> readGraph(IndexFileReader &reader, const IndexIdentity &identity,
                                                    Metric metric);

    // The 8-bit rows of elements [begin, end) from their stored half vectors.
    void deriveCodes(Graph &graph, std::size_t begin, std::size_t end) const;

    std::unique_ptr<Graph> m_graph;
    int m_threads = 0;
    bool m_quantisedTraversal = true;
    bool m_quantisedInserts = true;
};

} // namespace rag
