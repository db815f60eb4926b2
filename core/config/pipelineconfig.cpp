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
    return {};
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
