#pragma once
// VectorIndex: nearest-neighbour search over labelled vectors of one embedder.
// Implementations: HnswIndex (approximate, hnswlib) and FlatIndex (exact, BLAS).
//
// Thread affinity: search() and searchBatch() are const and may run concurrently
// from any number of threads; build(), add() and load() need exclusive access (the
// job that owns the index). Each index owns its vectors; nothing is shared.
//
// Vectors are row-major float matrices: rows.size() == labels.size() * dimension().
// With the cosine metric rows and queries are L2-normalised on the way in, so the
// score is the cosine similarity whatever the caller passes.
#include "core/common/result.h"
#include "core/index/indexidentity.h"
#include "core/jobs/jobcontext.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace rag {

class IndexFileReader;
class IndexFileWriter;

struct Hit {
    std::int64_t label = 0;
    float score = 0.0f; // higher is better: cosine similarity, or -Euclidean distance
    bool operator==(const Hit &) const = default;
};

class VectorIndex {
public:
    virtual ~VectorIndex();
    VectorIndex(const VectorIndex &) = delete;
    VectorIndex &operator=(const VectorIndex &) = delete;

    const IndexIdentity &identity() const { return m_identity; }
    int dimension() const { return m_identity.embedder.dimension; }
    Metric metric() const { return m_metric; }
    std::int64_t size() const { return m_identity.count; }

    // Replaces the contents with these vectors. All-or-nothing: on an error or a
    // cancellation the index keeps what it had. Labels must be distinct.
    virtual Result<void> build(std::span<const std::int64_t> labels, std::span<const float> rows,
                               const JobContext &ctx = {}) = 0;
    // Appends vectors whose labels are not in the index yet. All-or-nothing too.
    virtual Result<void> add(std::span<const std::int64_t> labels, std::span<const float> rows,
                             const JobContext &ctx = {}) = 0;

    // The k best hits, best first (fewer when the index is smaller). A query whose
    // size is not dimension() gets no hits: callers check checkQueryCompatible() first.
    virtual std::vector<Hit> search(std::span<const float> query, int k) const = 0;
    // One hit list per query row, spread over all cores.
    virtual std::vector<std::vector<Hit>> searchBatch(std::span<const float> queries, int k) const = 0;

    // Writes the index to `path` atomically (temporary file, fsync, rename): on an
    // error or a cancellation an existing file at `path` is left as it was.
    Result<void> save(const std::string &path, const JobContext &ctx = {}) const;
    // Replaces this index with the one in `path`. Corrupt when the file is damaged or
    // truncated, Mismatch when it holds another kind of index; errors name the file.
    Result<void> load(const std::string &path);

    // Refuses queries embedded by another embedder (identity key) or with another
    // dimension, with an error that names both and says how to rebuild.
    Result<void> checkQueryCompatible(const EmbedderIdentity &queryEmbedder, int queryDim) const;

protected:
    VectorIndex(IndexIdentity identity, Metric metric);

    // Shape and label checks shared by build() and add().
    Result<void> validateInput(std::span<const std::int64_t> labels, std::span<const float> rows) const;
    // Rows as they are stored: copied and normalised for cosine, untouched for l2.
    std::vector<float> prepareRows(std::span<const float> rows) const;

    virtual Result<void> writePayload(IndexFileWriter &writer, const JobContext &ctx) const = 0;
    // Reads the payload for `identity` (already checked to be of this kind) and, on
    // success only, replaces the contents.
    virtual Result<void> readPayload(IndexFileReader &reader, const IndexIdentity &identity) = 0;

    IndexIdentity m_identity;
    Metric m_metric = Metric::Cosine;
};

// Opens an index file of any kind.
Result<std::unique_ptr<VectorIndex>> loadVectorIndex(const std::string &path);

} // namespace rag
