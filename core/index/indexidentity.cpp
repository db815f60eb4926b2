#include "core/index/indexidentity.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

namespace rag {

const char *metricName(Metric metric)
{
    switch (metric) {
    case Metric::Cosine:
        return "cosine";
    case Metric::L2:
        return "l2";
    }
    return "cosine";
}

Result<Metric> parseMetric(std::string_view name)
{
    if (name == "cosine")
        return Metric::Cosine;
    if (name == "l2")
        return Metric::L2;
    return fail(ErrorCode::InvalidArgument,
                "unknown metric \"" + std::string(name) + "\" (expected \"cosine\" or \"l2\")");
}

const char *embedderKindName(EmbedderKind kind)
{
    switch (kind) {
    case EmbedderKind::Neural:
        return "neural";
    case EmbedderKind::Lexical:
        return "lexical";
    case EmbedderKind::Remote:
        return "remote";
    }
    return "neural";
}

Result<EmbedderKind> parseEmbedderKind(std::string_view name)
{
    if (name == "neural")
        return EmbedderKind::Neural;
    if (name == "lexical")
        return EmbedderKind::Lexical;
    if (name == "remote")
        return EmbedderKind::Remote;
    return fail(ErrorCode::InvalidArgument, "unknown embedder kind \"" + std::string(name) + "\"");
}

std::string IndexIdentity::toJson() const
{
    const nlohmann::json json = {
        {"chunkSetId", chunkSetId},
        {"embedder",
         {{"name", embedder.name},
          {"version", embedder.version},
          {"weightsHash", embedder.weightsHash},
          {"dimension", embedder.dimension},
          {"kind", embedderKindName(embedder.kind)}}},
        {"metric", metric},
        {"kind", kind},
        {"M", M},
        {"efConstruction", efConstruction},
        {"efSearch", efSearch},
        {"seed", seed},
        {"count", count},
        {"builtAt", builtAt},
    };
    return json.dump();
}

namespace {

// Reads json[key] as T, or explains which field is missing or mistyped.
template <typename T>
Result<T> field(const nlohmann::json &json, const char *key, const std::string &source,
                const char *parent = nullptr)
{
    const std::string name = parent ? std::string(parent) + "." + key : std::string(key);
    const auto it = json.find(key);
    if (it == json.end())
        return fail(ErrorCode::Parse, "index identity lacks the field \"" + name + "\"", source);
    try {
        return it->get<T>();
    } catch (const nlohmann::json::exception &) {
        return fail(ErrorCode::Parse, "index identity field \"" + name + "\" has the wrong type",
                    source);
    }
}

} // namespace

Result<IndexIdentity> IndexIdentity::fromJson(std::string_view text, const std::string &source)
{
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception &e) {
        return fail(ErrorCode::Parse, std::string("index identity is not valid JSON: ") + e.what(), source);
    }
    if (!json.is_object())
        return fail(ErrorCode::Parse, "index identity is not a JSON object", source);
    const auto embedderIt = json.find("embedder");
    if (embedderIt == json.end() || !embedderIt->is_object())
        return fail(ErrorCode::Parse, "index identity lacks the object \"embedder\"", source);
    const nlohmann::json &emb = *embedderIt;

    IndexIdentity id;
    auto chunkSet = field<std::string>(json, "chunkSetId", source);
    auto name = field<std::string>(emb, "name", source, "embedder");
    auto version = field<std::string>(emb, "version", source, "embedder");
    auto hash = field<std::string>(emb, "weightsHash", source, "embedder");
    auto dimension = field<int>(emb, "dimension", source, "embedder");
    auto embKind = field<std::string>(emb, "kind", source, "embedder");
    auto metric = field<std::string>(json, "metric", source);
    auto kind = field<std::string>(json, "kind", source);
    auto m = field<int>(json, "M", source);
    auto efc = field<int>(json, "efConstruction", source);
    auto efs = field<int>(json, "efSearch", source);
    auto seed = field<std::uint64_t>(json, "seed", source);
    auto count = field<std::int64_t>(json, "count", source);
    auto builtAt = field<std::string>(json, "builtAt", source);
    for (const Error *e : {chunkSet ? nullptr : &chunkSet.error(), name ? nullptr : &name.error(),
                           version ? nullptr : &version.error(), hash ? nullptr : &hash.error(),
                           dimension ? nullptr : &dimension.error(), embKind ? nullptr : &embKind.error(),
                           metric ? nullptr : &metric.error(), kind ? nullptr : &kind.error(),
                           m ? nullptr : &m.error(), efc ? nullptr : &efc.error(),
                           efs ? nullptr : &efs.error(), seed ? nullptr : &seed.error(),
                           count ? nullptr : &count.error(), builtAt ? nullptr : &builtAt.error()}) {
        if (e)
            return std::unexpected(*e);
    }
    const auto parsedKind = parseEmbedderKind(*embKind);
    if (!parsedKind)
        return fail(ErrorCode::Parse, parsedKind.error().detail, source);
    if (const auto parsedMetric = parseMetric(*metric); !parsedMetric)
        return fail(ErrorCode::Parse, parsedMetric.error().detail, source);
    if (*dimension < 1 || *count < 0)
        return fail(ErrorCode::Parse,
                    "index identity has dimension " + std::to_string(*dimension) + " and count "
                        + std::to_string(*count),
                    source);

    id.chunkSetId = std::move(*chunkSet);
    id.embedder = EmbedderIdentity{std::move(*name), std::move(*version), std::move(*hash), *dimension,
                                   *parsedKind};
    id.metric = std::move(*metric);
    id.kind = std::move(*kind);
    id.M = *m;
    id.efConstruction = *efc;
    id.efSearch = *efs;
    id.seed = *seed;
    id.count = *count;
    id.builtAt = std::move(*builtAt);
    return id;
}

std::string currentUtcTimestamp()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
}

} // namespace rag
