#pragma once
// PipelineConfig: one versioned, validated, hashable description of a whole
// retrieval pipeline — chunking, embedder, vector index parameters and the
// retrieval lane — so that a run can say exactly what produced it and an
// exported config reproduces it. The hash is the sha256 of the canonical JSON
// (sorted keys, no whitespace), so equal pipelines hash equally.
// A plain value; thread-safe to copy.
#include "core/common/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace rag {

enum class Lane { Keyword, Dense, Hybrid };
const char *laneName(Lane lane);
Result<Lane> parseLane(std::string_view name);  // "bm25" | "dense" | "hybrid"

enum class TransformKind { None, Hyde, MultiQuery };
const char *transformKindName(TransformKind kind);            // "none" | "hyde" | "multi-query"
Result<TransformKind> parseTransformKind(std::string_view name);

// A query transform applied before retrieval: a chat model writes hypothetical
// answer passages (HyDE) or alternative phrasings (multi-query) of each query;
// core/generate/querytransform.h runs it. Part of the pipeline's identity, so
// runs with and without a transform hash differently. The provider's base URL
// and key are deployment settings, not part of it. A plain value.
struct QueryTransform {
    TransformKind kind = TransformKind::None;
    std::string chat;              // "PROVIDER:MODEL" of the model that writes the texts
    int variants = 3;              // HyDE passages, or phrasings besides the original
    double temperature = 0.7;      // sampled, as HyDE and RAG-Fusion do, so variants differ
    std::string prompt;            // template key; empty: the newest "hyde" / "multi-query"
    bool hydeInKeyword = false;    // HyDE: BM25 also searches the passages (default: the query only)
    bool fallbackOnError = false;  // a failed model call searches the plain query (and says so)

    bool active() const { return kind != TransformKind::None; }
    Result<void> validate() const;  // InvalidArgument naming the field ("transform.chat")
    bool operator==(const QueryTransform &) const = default;
};

struct PipelineConfig {
    static constexpr int kVersion = 1;

    std::string chunkerJson;        // the chunker's own canonical JSON (ChunkerConfig::toJson)
    std::string embedder;           // "lexical", "use-lite", ...; empty for a keyword-only pipeline
    std::string vectorIndex = "hnsw";  // "hnsw" | "flat"
    int hnswM = 16;
    int hnswEfConstruction = 100;
    int hnswEfSearch = 128;
    Lane lane = Lane::Keyword;
    std::string fusion = "rrf";     // "rrf" | "weighted"
    int rrfK = 60;
    double alpha = 0.5;             // weight of the dense leg in weighted fusion
    int candidates = 1000;          // chunks each leg retrieves before fusion
    int topK = 1000;                // results kept after fusion
    std::optional<double> threshold;
    QueryTransform transform;       // in the JSON (and hash) only when active

    Result<void> validate() const;  // InvalidArgument naming the field
    std::string toJson() const;     // canonical
    static Result<PipelineConfig> fromJson(std::string_view json, const std::string &source = {});
    std::string hash() const;
};

} // namespace rag
