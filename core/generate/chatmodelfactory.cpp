#include "core/generate/chatmodelfactory.h"

#include "core/generate/extractiveanswerer.h"
#include "core/generate/fallbackchatmodel.h"
#include "core/generate/remotechatmodel.h"

namespace rag {

namespace {

struct ProviderInfo {
    const char *name;
    ChatWire wire;
    const char *defaultBase;
    bool keyRequiredAtDefault;  // the public API needs a key; a custom base URL may not
};

constexpr ProviderInfo kProviders[] = {
    {"openai", ChatWire::OpenAi, "https://api.openai.com/v1", true},
    {"anthropic", ChatWire::Anthropic, "https://api.anthropic.com/v1", true},
    {"ollama", ChatWire::Ollama, "http://127.0.0.1:11434", false},
    {"llamacpp", ChatWire::OpenAi, "http://127.0.0.1:8080/v1", false},
};

std::vector<std::string> splitList(const std::string &spec)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t comma; (comma = spec.find(',', start)) != std::string::npos; start = comma + 1)
        parts.push_back(spec.substr(start, comma - start));
    parts.push_back(spec.substr(start));
    return parts;
}

Result<std::shared_ptr<const ChatModel>> makeOne(const std::string &text, const ChatModelSettings &settings,
                                                 const SecretStore &secrets, std::shared_ptr<const HttpClient> http)
{
    auto spec = parseChatModelSpec(text);
    if (!spec)
        return std::unexpected(spec.error());
    if (spec->provider == "extractive")
        return std::shared_ptr<const ChatModel>(std::make_shared<ExtractiveAnswerer>());
    const ProviderInfo *info = nullptr;
    for (const ProviderInfo &p : kProviders)
        if (spec->provider == p.name)
            info = &p;
    if (info == nullptr)
        return fail(ErrorCode::InvalidArgument,
                    "unknown chat provider '" + spec->provider + "' (known: " + knownChatProviders() + ")", text);
    RemoteChatOptions options;
    options.wire = info->wire;
    options.provider = spec->provider;
    options.model = spec->model;
    options.baseUrl = settings.baseUrl.empty() ? info->defaultBase : settings.baseUrl;
    options.timeouts = settings.timeouts;
    auto key = secrets.read(spec->provider);
    if (key) {
        options.apiKey = std::move(*key);
    } else if (key.error().code != ErrorCode::NotFound) {
        return std::unexpected(key.error());
    } else if (info->keyRequiredAtDefault && settings.baseUrl.empty()) {
        return fail(ErrorCode::NotFound, "no API key for " + spec->provider + " in the " + secrets.describe(), text);
    }
    return std::shared_ptr<const ChatModel>(
        std::make_shared<RemoteChatModel>(std::move(options), std::move(http), settings.prices));
}

} // namespace

std::string knownChatProviders()
{
    return "openai, anthropic, ollama, llamacpp, extractive";
}

Result<ChatModelSpec> parseChatModelSpec(const std::string &spec)
{
    if (spec == "extractive")
        return ChatModelSpec{"extractive", {}};
    const std::size_t colon = spec.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
        return fail(ErrorCode::InvalidArgument, "expected PROVIDER:MODEL (" + knownChatProviders() + ")", spec);
    return ChatModelSpec{spec.substr(0, colon), spec.substr(colon + 1)};
}

Result<std::shared_ptr<const ChatModel>> makeChatModel(const std::string &spec, const ChatModelSettings &settings,
                                                       const SecretStore &secrets,
                                                       std::shared_ptr<const HttpClient> http)
{
    const std::vector<std::string> parts = splitList(spec);
    if (parts.size() == 1)
        return makeOne(parts.front(), settings, secrets, std::move(http));
    std::vector<std::shared_ptr<const ChatModel>> models;
    for (const std::string &part : parts) {
        auto model = makeOne(part, settings, secrets, http);
        if (!model)
            return std::unexpected(model.error());
        models.push_back(std::move(*model));
    }
    return std::shared_ptr<const ChatModel>(std::make_shared<FallbackChatModel>(std::move(models)));
}

} // namespace rag
