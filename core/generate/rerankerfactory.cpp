#include "core/generate/rerankerfactory.h"

namespace rag {

namespace {

struct RerankProvider {
    const char *name;
    RerankWire wire;
    const char *defaultBase;  // nullptr: the user must name the server
    bool modelRequired;       // the API selects the model by name
    bool keyRequiredAtDefault;
};

constexpr RerankProvider kRerankProviders[] = {
    {"cohere", RerankWire::Cohere, "https://api.cohere.com/v1", true, true},
    {"jina", RerankWire::Cohere, "https://api.jina.ai/v1", true, true},
    {"tei", RerankWire::Tei, nullptr, false, false},
    {"llamacpp", RerankWire::Cohere, "http://127.0.0.1:8080/v1", false, false},
};

} // namespace

std::string knownRerankProviders()
{
    return "cohere:MODEL, jina:MODEL, tei, llamacpp:MODEL, llm:CHAT-SPEC";
}

Result<Reranker> makeReranker(const std::string &spec, const RerankerSettings &settings, const SecretStore &secrets,
                              std::shared_ptr<const HttpClient> http)
{
    const std::size_t colon = spec.find(':');
    const std::string provider = spec.substr(0, colon);
    const std::string model = colon == std::string::npos ? std::string() : spec.substr(colon + 1);
    if (provider == "llm") {
        if (model.empty())
            return fail(ErrorCode::InvalidArgument, "llm needs a chat model: llm:openai:gpt-4o-mini", spec);
        auto chat = makeChatModel(model, settings.chat, secrets, std::move(http));
        if (!chat)
            return std::unexpected(chat.error());
        return Reranker{LlmListwiseReranker(*chat).function(), "llm:" + (*chat)->name()};
    }
    const RerankProvider *info = nullptr;
    for (const RerankProvider &p : kRerankProviders)
        if (provider == p.name)
            info = &p;
    if (info == nullptr)
        return fail(ErrorCode::InvalidArgument,
                    "unknown reranker '" + provider + "' (known: " + knownRerankProviders() + ")", spec);
    if (info->modelRequired && model.empty())
        return fail(ErrorCode::InvalidArgument, provider + " needs a model: " + provider + ":MODEL", spec);
    if (info->defaultBase == nullptr && settings.baseUrl.empty())
        return fail(ErrorCode::InvalidArgument, provider + " has no public API: set the reranker's base URL", spec);
    RemoteRerankerOptions options;
    options.wire = info->wire;
    options.provider = provider;
    options.model = model;
    options.baseUrl = settings.baseUrl.empty() ? info->defaultBase : settings.baseUrl;
    options.timeouts = settings.timeouts;
    auto key = secrets.read(provider);
    if (key) {
        options.apiKey = std::move(*key);
    } else if (key.error().code != ErrorCode::NotFound) {
        return std::unexpected(key.error());
    } else if (info->keyRequiredAtDefault && settings.baseUrl.empty()) {
        return fail(ErrorCode::NotFound, "no API key for " + provider + " in the " + secrets.describe(), spec);
    }
    RemoteReranker reranker(std::move(options), std::move(http));
    return Reranker{reranker.function(), model.empty() ? provider : reranker.name()};
}

} // namespace rag
