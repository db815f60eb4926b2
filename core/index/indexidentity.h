#pragma once
// IndexIdentity: what a vector index was built from and how. It is stored in the
// header of every index file and compared before a query runs, so an index built by
// another embedder (or with another dimension) is refused instead of returning
// meaningless neighbours. A plain value type; safe to copy between threads.
#include "core/common/result.h"
#include "core/embed/embedder.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace rag {

enum class Metric {
    Cosine, // inner product on L2-normalised vectors; score = cosine similarity
    L2,     // Euclidean; score = -distance (higher is still better)
};

const char *metricName(Metric metric);
Result<Metric> parseMetric(std::string_view name);

const char *embedderKindName(EmbedderKind kind);
Result<EmbedderKind> parseEmbedderKind(std::string_view name);

struct IndexIdentity {
    std::string chunkSetId;
    EmbedderIdentity embedder;
    std::string metric;           // "cosine" | "l2"
    std::string kind;             // "hnsw" | "flat"
    int M = 0;                    // HNSW graph degree; 0 for flat
    int efConstruction = 0;       // HNSW build beam; 0 for flat
    int efSearch = 0;             // HNSW query beam; 0 for flat
    std::uint64_t seed = 0;       // HNSW level generator seed; 0 for flat
    std::string precision = "f32";// stored vectors: "f32", or "f16" (HNSW over cosine)
    std::int64_t count = 0;       // vectors in the index
    std::string builtAt;          // ISO 8601 UTC, set when a build or add completes

    // Compact JSON object; fromJson validates types and required fields and names
    // `source` (usually the index file) in its errors.
    std::string toJson() const;
    static Result<IndexIdentity> fromJson(std::string_view json, const std::string &source = {});

    bool operator==(const IndexIdentity &) const = default;
};

// "2024-05-01T12:00:00Z" for now, in UTC.
std::string currentUtcTimestamp();

} // namespace rag
