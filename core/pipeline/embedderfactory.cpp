#include "core/pipeline/embedderfactory.h"

#include "core/embed/lexicalembedder.h"
#include "core/embed/uselite.h"
#include "core/net/envsecretstore.h"
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
// OPENAI_BASE_URL, key from OPENAI_API_KEY) and "ollama:MODEL" (Ollama's /v1, host from
// OLLAMA_HOST). The identity carries provider, model, sha256(base URL) and dimension;
// the dimension is probed with one request at build time and the endpoint is saved in
// the project under the identity key (never the key), so queries reach the same server.
bool isRemoteName(const std::string &name)
{
    return name.rfind("openai:", 0) == 0 || name.rfind("ollama:", 0) == 0;
}

std::string remoteBaseUrl(const std::string &provider)
{
    const QByteArray env = qgetenv(provider == "ollama" ? "OLLAMA_HOST" : "OPENAI_BASE_URL");
    if (provider == "ollama") {
        std::string host = env.isEmpty() ? std::string("http://127.0.0.1:11434") : env.toStdString();
        if (host.find("://") == std::string::npos)
            host = "http://" + host;
        while (!host.empty() && host.back() == '/')
            host.pop_back();
        return host + "/v1";
    }
    return env.isEmpty() ? std::string("https://api.openai.com/v1") : env.toStdString();
}

Result<std::shared_ptr<Embedder>> remoteEmbedder(const std::string &provider, const std::string &model,
                                                 const std::string &baseUrl, int dimension, const JobContext &ctx)
{
    OpenAiEmbedderOptions options;
    options.provider = provider;
    options.model = model;
    options.baseUrl = baseUrl;
    options.baseUrlInIdentity = true;
    if (provider == "openai") {
        auto key = EnvSecretStore().read("openai");
        if (key)
            options.apiKey = std::move(*key);
        else if (baseUrl == "https://api.openai.com/v1")
            return fail(ErrorCode::NotFound, "OPENAI_API_KEY is not set", provider + ":" + model);
    }
    auto http = std::make_shared<HttpClient>();
    if (dimension <= 0) {
        auto probed = OpenAiEmbedder::probeDimension(options, http, ctx);
        if (!probed)
            return std::unexpected(probed.error());
        dimension = *probed;
    }
    options.dimension = dimension;
    return std::shared_ptr<Embedder>(std::make_shared<OpenAiEmbedder>(std::move(options), std::move(http)));
}

Result<std::shared_ptr<Embedder>> remoteForBuild(const Project &project, const std::string &name, const JobContext &ctx)
{
    const std::size_t colon = name.find(':');
    const std::string provider = name.substr(0, colon);
    const std::string model = name.substr(colon + 1);
    const std::string baseUrl = remoteBaseUrl(provider);
    auto embedder = remoteEmbedder(provider, model, baseUrl, 0, ctx);
    if (!embedder)
        return embedder;
    const EmbedderIdentity identity = (*embedder)->identity();
    const std::string endpoint =
        nlohmann::json{{"provider", provider}, {"model", model}, {"base_url", baseUrl}, {"dimension", identity.dimension}}.dump();
    VectorCache cache(project.db());
    if (auto ok = cache.saveEmbedderState(identity.key(), identityJson(identity), endpoint); !ok)
        return std::unexpected(ok.error());
    return embedder;
}

Result<std::shared_ptr<Embedder>> storedRemote(const Project &project, const std::string &key)
{
    auto state = VectorCache(project.db()).embedderState(key);
    if (!state)
        return std::unexpected(state.error());
    const auto endpoint = nlohmann::json::parse(*state, nullptr, false);
    if (endpoint.is_discarded() || !endpoint.contains("base_url"))
        return fail(ErrorCode::NotFound, "the endpoint of remote embedder '" + key + "' is not in the project; rebuild the index",
                    project.path());
    return remoteEmbedder(endpoint.value("provider", ""), endpoint.value("model", ""),
                          endpoint.value("base_url", ""), endpoint.value("dimension", 0), JobContext());
}

} // namespace

std::string knownEmbedderNames()
{
    return "use-lite, lexical, openai:MODEL, ollama:MODEL";
}

Result<std::shared_ptr<Embedder>> embedderForBuild(const Project &project, const std::string &name,
                                                   std::int64_t chunkSetId, const std::string &previousKey,
                                                   bool refit, const JobContext &ctx)
{
    if (name == UseLiteEmbedder::kName)
        return useLite();
    if (isRemoteName(name))
        return remoteForBuild(project, name, ctx);
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
    if (isRemoteName(key))
        return storedRemote(project, key);
    return fail(ErrorCode::Unsupported, "no embedder available for '" + key + "' in this build", project.path());
}

} // namespace rag
