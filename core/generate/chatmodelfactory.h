#pragma once
// Builds a ChatModel from a "PROVIDER:MODEL" spec as the CLI and the settings name it:
// openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest, ollama:llama3.2,
// llamacpp:any (an OpenAI-compatible local server), extractive (offline). A
// comma-separated list ("openai:a,ollama:b") becomes a FallbackChatModel. Keys come
// from the SecretStore by provider name and are only ever put into secret headers.
// Stateless functions; call from any thread.
#include "core/common/result.h"
#include "core/generate/chatmodel.h"
#include "core/generate/pricetable.h"
#include "core/net/httpclient.h"
#include "core/net/secretstore.h"

#include <memory>
#include <string>

namespace rag {

struct ChatModelSpec {
    std::string provider;
    std::string model;
};

// "openai:gpt-4o" -> {openai, gpt-4o}; "extractive" -> {extractive, ""}.
Result<ChatModelSpec> parseChatModelSpec(const std::string &spec);
std::string knownChatProviders();

struct ChatModelSettings {
    std::string baseUrl;  // empty: the provider's default
    std::shared_ptr<const PriceTable> prices;
    HttpTimeouts timeouts;
};

Result<std::shared_ptr<const ChatModel>> makeChatModel(const std::string &spec, const ChatModelSettings &settings,
                                                       const SecretStore &secrets,
                                                       std::shared_ptr<const HttpClient> http);

} // namespace rag
