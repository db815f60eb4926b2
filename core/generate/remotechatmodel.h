#pragma once
// RemoteChatModel: a ChatModel over one provider's streaming chat API, in one of
// three wire formats: OpenAI-compatible chat completions with SSE (OpenAI, vLLM,
// llama.cpp server, LM Studio, Ollama's /v1), Anthropic Messages with streaming
// events, and Ollama's native /api/chat newline-delimited JSON. Requests go through
// a ProviderClient (retries until the first byte, Retry-After, shared rate limit);
// usage comes from the provider's own fields and cost from the optional price table.
// Immutable after construction; chat() may run on several job threads at once.
#include "core/generate/chatmodel.h"
#include "core/generate/pricetable.h"
#include "core/net/chatstreamdecoder.h"
#include "core/net/httpclient.h"
#include "core/net/providerclient.h"
#include "core/net/ratelimiter.h"
#include "core/net/retrypolicy.h"

#include <memory>
#include <string>
#include <vector>

namespace rag {

enum class ChatWire { OpenAi, Anthropic, Ollama };

struct RemoteChatOptions {
    ChatWire wire = ChatWire::OpenAi;
    std::string provider = "openai";  // name prefix, price-table provider and Error::source
    // OpenAI: ".../v1" (+ "/chat/completions"); Anthropic: ".../v1" (+ "/messages");
    // Ollama: "http://host:11434" (+ "/api/chat").
    std::string baseUrl;
    std::string model;
    std::string apiKey;  // Bearer (OpenAI), x-api-key (Anthropic); empty for local servers
    std::string anthropicVersion = "2023-06-01";
    std::vector<HttpHeader> extraHeaders;
    HttpTimeouts timeouts;
    RetryOptions retry;
};

// The default base URL of a wire format's best-known host.
std::string defaultBaseUrl(ChatWire wire);

class RemoteChatModel final : public ChatModel {
public:
    RemoteChatModel(RemoteChatOptions options, std::shared_ptr<const HttpClient> http,
                    std::shared_ptr<const PriceTable> prices = {}, std::shared_ptr<RateLimiter> limiter = {});

    std::string name() const override { return m_options.provider + ":" + m_options.model; }
    Result<ChatResponse> chat(const ChatRequest &request, const DeltaSink &onDelta,
                              const JobContext &ctx) const override;

    const RemoteChatOptions &options() const { return m_options; }

    // The request a chat() call sends (URL, headers, JSON body); exposed for tests.
    HttpRequest buildRequest(const ChatRequest &request) const;

private:
    Result<ChatStreamSummary> streamSse(const HttpRequest &http, std::int64_t tokens, const DeltaSink &onDelta,
                                        const JobContext &ctx) const;
    Result<ChatStreamSummary> streamNdjson(const HttpRequest &http, std::int64_t tokens, const DeltaSink &onDelta,
                                           const JobContext &ctx) const;

    RemoteChatOptions m_options;
    ProviderClient m_client;
    std::shared_ptr<const PriceTable> m_prices;
};

} // namespace rag
