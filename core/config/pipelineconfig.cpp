#include "core/config/pipelineconfig.h"

#include "core/common/hashing.h"

#include <nlohmann/json.hpp>

namespace rag {

const char *laneName(Lane lane)
{
    switch (lane) {
    case Lane::Keyword: return "bm25";
    case Lane::Dense: return "dense";
    case Lane::Hybrid: return "hybrid";
    }
    return "unknown";
}

Result<Lane> parseLane(std::string_view name)
{
    if (name == "bm25" || name == "keyword")
        return Lane::Keyword;
    if (name == "dense")
        return Lane::Dense;
    if (name == "hybrid")
        return Lane::Hybrid;
    return fail(ErrorCode::InvalidArgument, "unknown retriever '" + std::string(name) + "' (use bm25, dense or hybrid)",
                "retriever");
}

const char *transformKindName(TransformKind kind)
{
    switch (kind) {
    case TransformKind::None: return "none";
    case TransformKind::Hyde: return "hyde";
    case TransformKind::MultiQuery: return "multi-query";
    }
    return "unknown";
}

Result<TransformKind> parseTransformKind(std::string_view name)
{
    if (name == "none" || name.empty())
        return TransformKind::None;
    if (name == "hyde")
        return TransformKind::Hyde;
    if (name == "multi-query" || name == "multiquery")
        return TransformKind::MultiQuery;
    return fail(ErrorCode::InvalidArgument,
                "unknown query transform '" + std::string(name) + "' (use none, hyde or multi-query)", "transform");
}

Result<void> QueryTransform::validate() const
{
    auto bad = [](const std::string &field, const std::string &why) {
        return fail(ErrorCode::InvalidArgument, why, "transform." + field);
    };
    if (!active())
        return {};
    if (chat.empty())
        return bad("chat", std::string("a ") + transformKindName(kind) + " transform needs a chat model (PROVIDER:MODEL)");
    if (chat == "extractive")
        return bad("chat", "the extractive answerer cannot write passages or phrasings; name a chat model");
    if (variants < 1 || variants > 32)
        return bad("variants", "must be between 1 and 32");
    if (temperature < 0.0 || temperature > 2.0)
        return bad("temperature", "must be between 0 and 2");
    return {};
}

namespace {

nlohmann::json transformJson(const QueryTransform &t)
{
    return {{"kind", transformKindName(t.kind)}, {"chat", t.chat}, {"variants", t.variants},
            {"temperature", t.temperature}, {"prompt", t.prompt}, {"hyde_in_keyword", t.hydeInKeyword},
            {"fallback_on_error", t.fallbackOnError}};
}

Result<QueryTransform> transformFromJson(const nlohmann::json &j)
{
    QueryTransform t;
    auto kind = parseTransformKind(j.value("kind", "none"));
    if (!kind)
        return std::unexpected(kind.error());
    t.kind = *kind;
    t.chat = j.value("chat", "");
    t.variants = j.value("variants", 3);
    t.temperature = j.value("temperature", 0.7);
    t.prompt = j.value("prompt", "");
    t.hydeInKeyword = j.value("hyde_in_keyword", false);
    t.fallbackOnError = j.value("fallback_on_error", false);
    return t;
}

} // namespace

Result<void> PipelineConfig::validate() const
{
    auto bad = [](const std::string &field, const std::string &why) {
        return fail(ErrorCode::InvalidArgument, why, field);
    };
    if (lane != Lane::Keyword && embedder.empty())
        return bad("embedder", "a dense or hybrid lane needs an embedder");
    if (vectorIndex != "hnsw" && vectorIndex != "flat")
        return bad("index.kind", "must be hnsw or flat, not '" + vectorIndex + "'");
    if (hnswM < 2 || hnswM > 256)
        return bad("index.M", "must be between 2 and 256");
    if (hnswEfConstruction < hnswM)
        return bad("index.ef_construction", "must be at least M");
    if (hnswEfSearch < 1)
        return bad("index.ef_search", "must be positive");
    if (fusion != "rrf" && fusion != "weighted")
        return bad("retrieval.fusion", "must be rrf or weighted, not '" + fusion + "'");
    if (rrfK < 0)
        return bad("retrieval.rrf_k", "must not be negative");
    if (alpha < 0.0 || alpha > 1.0)
        return bad("retrieval.alpha", "must be between 0 and 1");
    if (candidates < 1)
        return bad("retrieval.candidates", "must be positive");
    if (topK < 1)
        return bad("retrieval.top_k", "must be positive");
    return transform.validate();
}

std::string PipelineConfig::toJson() const
{
    nlohmann::json j;  // nlohmann::json objects keep keys sorted: the dump is canonical
    j["version"] = kVersion;
    j["chunker"] = chunkerJson.empty() ? nlohmann::json::object() : nlohmann::json::parse(chunkerJson);
    j["embedder"] = embedder;
    j["index"] = {{"kind", vectorIndex}, {"M", hnswM}, {"ef_construction", hnswEfConstruction}, {"ef_search", hnswEfSearch}};
    j["retrieval"] = {{"lane", laneName(lane)}, {"fusion", fusion}, {"rrf_k", rrfK}, {"alpha", alpha},
                      {"candidates", candidates}, {"top_k", topK}};
    j["retrieval"]["threshold"] = threshold ? nlohmann::json(*threshold) : nlohmann::json(nullptr);
    // Only an active transform is written: configs without one keep the hash they always had.
    if (transform.active())
        j["transform"] = transformJson(transform);
    return j.dump();
}

Result<PipelineConfig> PipelineConfig::fromJson(std::string_view json, const std::string &source)
{
    try {
        const auto j = nlohmann::json::parse(json);
        const int version = j.value("version", 0);
        if (version != kVersion)
            return fail(ErrorCode::Unsupported, "pipeline config version " + std::to_string(version)
                                                    + " (this build reads version " + std::to_string(kVersion) + ")",
                        source);
        PipelineConfig c;
        c.chunkerJson = j.at("chunker").dump();
        c.embedder = j.value("embedder", "");
        const auto &index = j.at("index");
        c.vectorIndex = index.value("kind", "hnsw");
        c.hnswM = index.value("M", 16);
        c.hnswEfConstruction = index.value("ef_construction", 200);
        c.hnswEfSearch = index.value("ef_search", 128);
        const auto &r = j.at("retrieval");
        auto lane = parseLane(r.value("lane", "bm25"));
        if (!lane)
            return std::unexpected(Error{lane.error().code, lane.error().detail, source + "#retrieval.lane"});
        c.lane = *lane;
        c.fusion = r.value("fusion", "rrf");
        c.rrfK = r.value("rrf_k", 60);
        c.alpha = r.value("alpha", 0.5);
        c.candidates = r.value("candidates", 1000);
        c.topK = r.value("top_k", 1000);
        if (r.contains("threshold") && !r["threshold"].is_null())
            c.threshold = r["threshold"].get<double>();
        if (j.contains("transform")) {
            auto transform = transformFromJson(j.at("transform"));
            if (!transform)
                return std::unexpected(Error{transform.error().code, transform.error().detail, source + "#transform.kind"});
            c.transform = *transform;
        }
        if (auto ok = c.validate(); !ok)
            return std::unexpected(Error{ok.error().code, ok.error().detail, source + "#" + ok.error().source});
        return c;
    } catch (const nlohmann::json::exception &e) {
        return fail(ErrorCode::Parse, std::string("not a valid pipeline config: ") + e.what(), source);
    }
}

std::string PipelineConfig::hash() const
{
    return sha256Hex(toJson());
}

} // namespace rag
