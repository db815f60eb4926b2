#include "core/index/indexidentity.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

#include <optional>

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
        {"precision", precision},
        {"count", count},
        {"builtAt", builtAt},
    };
    return json.dump();
}

namespace {

// Reads fields of one JSON object, keeping the first problem it meets.
class FieldReader {
public:
    FieldReader(const nlohmann::json &object, std::string prefix, const std::string &source)
        : m_object(object), m_prefix(std::move(prefix)), m_source(source)
    {
    }

    template <typename T>
    void read(const char *key, T &out)
    {
        if (m_error)
            return;
        const auto it = m_object.find(key);
        if (it == m_object.end()) {
            m_error = Error{ErrorCode::Parse, "index identity lacks the field \"" + m_prefix + key + "\"", m_source};
            return;
        }
        try {
            out = it->get<T>();
        } catch (const nlohmann::json::exception &) {
            m_error = Error{ErrorCode::Parse, "index identity field \"" + m_prefix + key + "\" has the wrong type",
                            m_source};
        }
    }

    const std::optional<Error> &error() const { return m_error; }

private:
    const nlohmann::json &m_object;
    std::string m_prefix;
    const std::string &m_source;
    std::optional<Error> m_error;
};

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
    const auto embedder = json.find("embedder");
    if (embedder == json.end() || !embedder->is_object())
        return fail(ErrorCode::Parse, "index identity lacks the object \"embedder\"", source);

    IndexIdentity id;
    std::string embedderKind;
    FieldReader top(json, "", source);
    FieldReader emb(*embedder, "embedder.", source);
    top.read("chunkSetId", id.chunkSetId);
    emb.read("name", id.embedder.name);
    emb.read("version", id.embedder.version);
    emb.read("weightsHash", id.embedder.weightsHash);
    emb.read("dimension", id.embedder.dimension);
    emb.read("kind", embedderKind);
    top.read("metric", id.metric);
    top.read("kind", id.kind);
    top.read("M", id.M);
    top.read("efConstruction", id.efConstruction);
    top.read("efSearch", id.efSearch);
    top.read("seed", id.seed);
    top.read("precision", id.precision);
    top.read("count", id.count);
    top.read("builtAt", id.builtAt);
    for (const FieldReader *reader : {&top, &emb}) {
        if (reader->error())
            return std::unexpected(*reader->error());
    }
    const auto kind = parseEmbedderKind(embedderKind);
    if (!kind)
        return fail(ErrorCode::Parse, kind.error().detail, source);
    id.embedder.kind = *kind;
    if (const auto metric = parseMetric(id.metric); !metric)
        return fail(ErrorCode::Parse, metric.error().detail, source);
    if (id.precision != "f32" && id.precision != "f16")
        return fail(ErrorCode::Parse, "unknown vector precision \"" + id.precision + "\"", source);
    if (id.embedder.dimension < 1 || id.count < 0)
        return fail(ErrorCode::Parse,
                    "index identity has dimension " + std::to_string(id.embedder.dimension) + " and count "
                        + std::to_string(id.count),
                    source);
    return id;
}

std::string currentUtcTimestamp()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
}

} // namespace rag
