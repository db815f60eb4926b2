#pragma once
// FlatIndex: exact nearest neighbours. For cosine on a CPU with AVX-512 BF16 the
// rows are screened in bfloat16 with certified error bounds and only the rows that
// can reach the top k are re-scored in float (screenedsearch.h: the same hits as a
// float brute force at about half the cost). Otherwise a batch of queries is scored
// against the stored rows block by block with one BLAS matrix multiply per block
// (OpenBLAS sgemm), and each query keeps its k best with a bounded heap, so the
// scores of a whole corpus are never held at once. The ground truth HNSW recall is measured
// against, and the index of choice for small corpora. See VectorIndex for the
// threading rules; the rows are owned by the index.
#include "core/index/vectorindex.h"

#include <memory>

namespace rag {

class ScreenedRows;

class FlatIndex final : public VectorIndex {
public:
    // An empty index to load() into.
    FlatIndex();
    FlatIndex(std::string chunkSetId, EmbedderIdentity embedder, Metric metric);
    ~FlatIndex() override;

    Result<void> build(std::span<const std::int64_t> labels, std::span<const float> rows,
                       const JobContext &ctx = {}) override;
    Result<void> add(std::span<const std::int64_t> labels, std::span<const float> rows,
                     const JobContext &ctx = {}) override;
    std::vector<Hit> search(std::span<const float> query, int k) const override;
    std::vector<std::vector<Hit>> searchBatch(std::span<const float> queries, int k) const override;

protected:
    Result<void> writePayload(IndexFileWriter &writer, const JobContext &ctx) const override;
    Result<void> readPayload(IndexFileReader &reader, const IndexIdentity &identity) override;

private:
    // Norms for l2 and the bf16 screening copy for cosine, after the rows change.
    void rowsChanged();
    std::vector<std::vector<Hit>> searchScreened(const std::vector<float> &queries, std::size_t nq, int k) const;

    std::vector<std::int64_t> m_labels;
    std::vector<float> m_rows;    // m_labels.size() x dimension(), normalised for cosine
    std::vector<float> m_norms;   // squared L2 norm of each row (l2 metric only)
    std::unique_ptr<const ScreenedRows> m_screen; // cosine on a CPU with AVX-512 BF16 only
};

} // namespace rag
