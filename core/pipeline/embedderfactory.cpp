#include "core/pipeline/embedderfactory.h"

#include "core/embed/lexicalembedder.h"
#include "core/embed/uselite.h"
#include "core/net/cohereembedder.h"
#include "core/net/envsecretstore.h"
#include "core/net/ollamaembedder.h"
#include "core/net/openaiembedder.h"
#include "core/store/chunkrepository.h"
#include "core/store/project.h"
#include "core/store/vectorcache.h"

#include <QByteArray>
#include <QtGlobal>

#include <nlohmann/json.hpp>

namespace rag {

namespace {

std::string identityJson(const EmbedderIdentity &id)
{
    return nlohmann::json{{"name", id.name}, {"version", id.version}, {"weights_hash", id.weightsHash},
                          {"dimension", id.dimension}}
        .dump();
}

Result<std::shared_ptr<Embedder>> storedLexical(const Project &project, const std::string &key)
{
    VectorCache cache(project.db());
    auto state = cache.embedderState(key);
    if (!state)
        return std::unexpected(state.error());
    if (state->empty())
        return fail(ErrorCode::NotFound, "the lexical statistics '" + key + "' are not in the project; rebuild the index",
                    project.path());
    auto lexical = LexicalEmbedder::deserialize(*state);
    if (!lexical)
        return std::unexpected(lexical.error());
    return std::shared_ptr<Embedder>(std::make_shared<LexicalEmbedder>(std::move(*lexical)));
}

Result<std::shared_ptr<Embedder>> useLite()
{
    auto embedder = UseLiteEmbedder::load(defaultUseLiteDir());
    if (!embedder)
        return fail(embedder.error().code,
                    embedder.error().detail + " — run packaging/setup.sh to fetch the model, or use --embedder lexical",
                    embedder.error().source);
    return std::shared_ptr<Embedder>(std::move(*embedder));
}

// Remote embedders: "openai:MODEL" (any OpenAI-compatible /embeddings; base URL from
// OPENAI_BASE_URL, key from OPENAI_API_KEY), "ollama:MODEL" (Ollama's native /api/embed;
// host from OLLAMA_HOST, optional OLLAMA_API_KEY) and "cohere:MODEL" (Cohere's /v2/embed;
// COHERE_BASE_URL, key from COHERE_API_KEY). The identity carries provider, model,
// sha256(base URL) and dimension; the dimension is probed with one request at build time
// and the endpoint is saved in the project under the identity key (never the key), so
// queries reach the same server through the same API.
enum class RemoteApi { OpenAiCompatible, Ollama, Cohere };

struct RemoteEndpoint {
    RemoteApi api = RemoteApi::OpenAiCompatible;
    std::string provider;  // the name's prefix
    std::string model;
    std::string baseUrl;
    int dimension = 0;     // 0: probe
};

const char *apiName(RemoteApi api)
{
    switch (api) {
    case RemoteApi::Ollama: return "ollama";
    case RemoteApi::Cohere: return "cohere";
    case RemoteApi::OpenAiCompatible: break;
    }
    return "openai-compatible";
}

constexpr const char *kOpenAiUrl = "https://api.openai.com/v1";
constexpr const char *kCohereUrl = "https://api.cohere.com";

// OLLAMA_HOST is often "host:port" without a scheme; an OpenAI-style ".../v1" base (what
// "ollama:" meant before the native API) names the same server.
std::string ollamaHost(std::string host)
{
    if (host.empty())
        host = "http://127.0.0.1:11434";
    if (host.find("://") == std::string::npos)
        host = "http://" + host;
    while (!host.empty() && host.back() == '/')
        host.pop_back();
    if (host.ends_with("/v1"))
        host.resize(host.size() - 3);
    return host;
}

// The endpoint a name means, at `baseUrl` or, when empty, where the environment points.
Result<RemoteEndpoint> endpointFor(const std::string &name, const std::string &baseUrl)
{
    const std::size_t colon = name.find(':');
    RemoteEndpoint e;
    e.provider = name.substr(0, colon);
    e.model = colon == std::string::npos ? std::string() : name.substr(colon + 1);
    if (e.model.empty())
        return fail(ErrorCode::InvalidArgument, "a remote embedder is named PROVIDER:MODEL", name);
    const auto fromEnv = [&](const char *variable, const char *fallback) {
        const QByteArray env = qgetenv(variable);
        return !baseUrl.empty() ? baseUrl : env.isEmpty() ? std::string(fallback) : env.toStdString();
    };
    if (e.provider == "openai") {
        e.baseUrl = fromEnv("OPENAI_BASE_URL", kOpenAiUrl);
    } else if (e.provider == "ollama") {
        e.api = RemoteApi::Ollama;
        e.baseUrl = ollamaHost(fromEnv("OLLAMA_HOST", ""));
    } else if (e.provider == "cohere") {
        e.api = RemoteApi::Cohere;
        e.baseUrl = fromEnv("COHERE_BASE_URL", kCohereUrl);
    } else {
        return fail(ErrorCode::InvalidArgument, "unknown embedder '" + name + "' (known: " + knownEmbedderNames() + ")",
                    "embedder");
    }
    return e;
}

// The provider's key from the environment: required by the provider's own service,
// optional for a compatible server, proxy or local Ollama.
Result<std::string> remoteKey(const RemoteEndpoint &e, const char *officialUrl)
{
    auto key = EnvSecretStore().read(e.provider);
    if (key)
        return std::move(*key);
    if (officialUrl && e.baseUrl == officialUrl)
        return fail(ErrorCode::NotFound, EnvSecretStore::variableFor(e.provider) + " is not set",
                    e.provider + ":" + e.model);
    return std::string();
}

template <typename EmbedderType, typename Options>
Result<std::shared_ptr<Embedder>> probed(Options options, int dimension, const JobContext &ctx)
{
    auto http = std::make_shared<HttpClient>();
    if (dimension <= 0) {
        auto probe = EmbedderType::probeDimension(options, http, ctx);
        if (!probe)
            return std::unexpected(probe.error());
        dimension = *probe;
    }
    options.dimension = dimension;
    return std::shared_ptr<Embedder>(std::make_shared<EmbedderType>(std::move(options), std::move(http)));
}

Result<std::shared_ptr<Embedder>> remoteEmbedder(const RemoteEndpoint &e, const JobContext &ctx)
{
    auto key = remoteKey(e, e.api == RemoteApi::Cohere ? kCohereUrl
                                : e.api == RemoteApi::Ollama ? nullptr : kOpenAiUrl);
    if (!key)
        return std::unexpected(key.error());
    if (e.api == RemoteApi::Ollama) {
        OllamaEmbedderOptions options;
        options.host = e.baseUrl;
        options.model = e.model;
        options.apiKey = std::move(*key);
        return probed<OllamaEmbedder>(std::move(options), e.dimension, ctx);
    }
    if (e.api == RemoteApi::Cohere) {
        CohereEmbedderOptions options;
        options.baseUrl = e.baseUrl;
        options.model = e.model;
        options.apiKey = std::move(*key);
        return probed<CohereEmbedder>(std::move(options), e.dimension, ctx);
    }
    OpenAiEmbedderOptions options;
    options.provider = e.provider;
    options.model = e.model;
    options.baseUrl = e.baseUrl;
    options.baseUrlInIdentity = true;
    if (e.provider == "openai")  // an index built through Ollama's /v1 never sent a key
        options.apiKey = std::move(*key);
    return probed<OpenAiEmbedder>(std::move(options), e.dimension, ctx);
}

// The endpoint a previous build of this index saved, when it used the same remote
// embedder: a rebuild goes back to that server unless another base URL is given.
std::string savedBaseUrl(const Project &project, const std::string &name, const std::string &previousKey)
{
    if (!previousKey.starts_with(name + "@"))
        return {};
    auto state = VectorCache(project.db()).embedderState(previousKey);
    if (!state)
        return {};
    const auto saved = nlohmann::json::parse(*state, nullptr, false);
    return saved.is_object() ? saved.value("base_url", std::string()) : std::string();
}

Result<std::shared_ptr<Embedder>> remoteForBuild(const Project &project, const std::string &name,
                                                 const std::string &baseUrl, const std::string &previousKey,
                                                 const JobContext &ctx)
{
    auto endpoint = endpointFor(name, baseUrl.empty() ? savedBaseUrl(project, name, previousKey) : baseUrl);
    if (!endpoint)
        return std::unexpected(endpoint.error());
    auto embedder = remoteEmbedder(*endpoint, ctx);
    if (!embedder)
        return embedder;
    const EmbedderIdentity identity = (*embedder)->identity();
    const std::string saved = nlohmann::json{{"provider", endpoint->provider}, {"model", endpoint->model},
                                             {"base_url", endpoint->baseUrl}, {"dimension", identity.dimension},
                                             {"api", apiName(endpoint->api)}}
                                  .dump();
    VectorCache cache(project.db());
    if (auto ok = cache.saveEmbedderState(identity.key(), identityJson(identity), saved); !ok)
        return std::unexpected(ok.error());
    return embedder;
}

Result<std::shared_ptr<Embedder>> storedRemote(const Project &project, const std::string &key)
{
    auto state = VectorCache(project.db()).embedderState(key);
    if (!state)
        return std::unexpected(state.error());
    const auto saved = nlohmann::json::parse(*state, nullptr, false);
    if (saved.is_discarded() || !saved.contains("base_url"))
        return fail(ErrorCode::NotFound, "the endpoint of remote embedder '" + key + "' is not in the project; rebuild the index",
                    project.path());
    RemoteEndpoint e;
    // Endpoints saved before "api" existed went through the OpenAI-compatible API,
    // Ollama's included (its /v1): they keep doing so, so queries match their index.
    const std::string api = saved.value("api", std::string(apiName(RemoteApi::OpenAiCompatible)));
    e.api = api == apiName(RemoteApi::Ollama) ? RemoteApi::Ollama
        : api == apiName(RemoteApi::Cohere)   ? RemoteApi::Cohere
                                              : RemoteApi::OpenAiCompatible;
    e.provider = saved.value("provider", "");
    e.model = saved.value("model", "");
    e.baseUrl = saved.value("base_url", "");
    e.dimension = saved.value("dimension", 0);
    return remoteEmbedder(e, JobContext());
}

} // namespace

std::string knownEmbedderNames()
{
    return "use-lite, lexical, openai:MODEL, ollama:MODEL, cohere:MODEL";
}

bool isRemoteEmbedderName(const std::string &name)
{
    return name.starts_with("openai:") || name.starts_with("ollama:") || name.starts_with("cohere:");
}

Result<std::shared_ptr<Embedder>> remoteEmbedderByName(const std::string &name, const std::string &baseUrl,
                                                       const JobContext &ctx)
{
    auto endpoint = endpointFor(name, baseUrl);
    if (!endpoint)
        return std::unexpected(endpoint.error());
    return remoteEmbedder(*endpoint, ctx);
}

Result<std::shared_ptr<Embedder>> embedderForBuild(const Project &project, const std::string &name,
                                                   std::int64_t chunkSetId, const std::string &previousKey,
                                                   bool refit, const std::string &baseUrl, const JobContext &ctx)
{
    if (name == UseLiteEmbedder::kName)
        return useLite();
    if (isRemoteEmbedderName(name))
        return remoteForBuild(project, name, baseUrl, previousKey, ctx);
    if (name != LexicalEmbedder::kName)
        return fail(ErrorCode::InvalidArgument, "unknown embedder '" + name + "' (known: " + knownEmbedderNames() + ")",
                    "embedder");
    if (!refit && previousKey.rfind(std::string(LexicalEmbedder::kName) + "@", 0) == 0) {
        auto previous = storedLexical(project, previousKey);
        if (previous)
            return previous;
    }
    ChunkRepository chunks(project.db());
    std::vector<std::string> texts;
    auto visited = chunks.forEachChunkText(chunkSetId, [&](const ChunkRecord &, std::string_view text) {
        texts.emplace_back(text);
        return !ctx.cancelled();
    });
    if (!visited)
        return std::unexpected(visited.error());
    std::vector<std::string_view> views(texts.begin(), texts.end());
    auto fitted = LexicalEmbedder::fit(views, LexicalEmbedder::kDefaultDimension, ctx);
    if (!fitted)
        return std::unexpected(fitted.error());
    const EmbedderIdentity identity = fitted->identity();
    VectorCache cache(project.db());
    if (auto ok = cache.saveEmbedderState(identity.key(), identityJson(identity), fitted->serialize()); !ok)
        return std::unexpected(ok.error());
    return std::shared_ptr<Embedder>(std::make_shared<LexicalEmbedder>(std::move(*fitted)));
}

Result<std::shared_ptr<Embedder>> embedderForKey(const Project &project, const std::string &key)
{
    if (key.rfind(std::string(LexicalEmbedder::kName) + "@", 0) == 0)
        return storedLexical(project, key);
    if (key.rfind(std::string(UseLiteEmbedder::kName) + "@", 0) == 0) {
        auto embedder = useLite();
        if (embedder && (*embedder)->identity().key() != key)
            return fail(ErrorCode::Mismatch,
                        "the index was built with " + key + " but the installed model is "
                            + (*embedder)->identity().key() + "; rebuild the index",
                        project.path());
        return embedder;
    }
    if (isRemoteEmbedderName(key))
        return storedRemote(project, key);
    return fail(ErrorCode::Unsupported, "no embedder available for '" + key + "' in this build", project.path());
}

} // namespace rag
