#include "core/generate/remotechatmodel.h"

#include "core/generate/ollamastreamdecoder.h"
#include "core/net/chatstreamdecoder.h"

#include <chrono>
#include <nlohmann/json.hpp>

namespace rag {

namespace {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

double msSince(SteadyClock::time_point start)
{
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

std::string trimSlash(std::string url)
{
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

json messagesJson(const ChatRequest &request, bool skipSystem)
{
    json messages = json::array();
    for (const ChatMessage &m : request.messages)
        if (!(skipSystem && m.role == ChatRole::System))
            messages.push_back({{"role", chatRoleName(m.role)}, {"content", m.content}});
    return messages;
}

json bodyFor(ChatWire wire, const std::string &model, const ChatRequest &request)
{
    switch (wire) {
    case ChatWire::OpenAi: {
        json body{{"model", model}, {"messages", messagesJson(request, false)}, {"stream", true},
                  {"stream_options", {{"include_usage", true}}}, {"temperature", request.temperature},
                  {"max_tokens", request.maxTokens}};
        if (request.seed)
            body["seed"] = *request.seed;
        return body;
    }
    case ChatWire::Anthropic: {
        // Anthropic takes the system prompt beside the messages, not among them.
        std::string system;
        for (const ChatMessage &m : request.messages)
            if (m.role == ChatRole::System)
                system += (system.empty() ? "" : "\n\n") + m.content;
        json body{{"model", model}, {"messages", messagesJson(request, true)}, {"stream", true},
                  {"temperature", request.temperature}, {"max_tokens", request.maxTokens}};
        if (!system.empty())
            body["system"] = system;
        return body;
    }
    case ChatWire::Ollama: {
        json options{{"temperature", request.temperature}, {"num_predict", request.maxTokens}};
        if (request.seed)
            options["seed"] = *request.seed;
        return json{{"model", model}, {"messages", messagesJson(request, false)}, {"stream", true},
                    {"options", options}};
    }
    }
    return json::object();
}

} // namespace

std::string defaultBaseUrl(ChatWire wire)
{
    switch (wire) {
    case ChatWire::OpenAi: return "https://api.openai.com/v1";
    case ChatWire::Anthropic: return "https://api.anthropic.com/v1";
    case ChatWire::Ollama: return "http://127.0.0.1:11434";
    }
    return {};
}

RemoteChatModel::RemoteChatModel(RemoteChatOptions options, std::shared_ptr<const HttpClient> http,
                                 std::shared_ptr<const PriceTable> prices, std::shared_ptr<RateLimiter> limiter)
    : m_options(std::move(options))
    , m_client(m_options.provider, std::move(http), RetryPolicy(m_options.retry), std::move(limiter))
    , m_prices(std::move(prices))
{
    if (m_options.baseUrl.empty())
        m_options.baseUrl = defaultBaseUrl(m_options.wire);
    m_options.baseUrl = trimSlash(m_options.baseUrl);
}

HttpRequest RemoteChatModel::buildRequest(const ChatRequest &request) const
{
    HttpRequest http;
    http.method = HttpMethod::Post;
    http.source = m_options.provider + ":" + m_options.model;
    http.timeouts = m_options.timeouts;
    switch (m_options.wire) {
    case ChatWire::OpenAi:
        http.url = m_options.baseUrl + "/chat/completions";
        if (!m_options.apiKey.empty())
            http.headers.push_back(HttpHeader::bearer(m_options.apiKey));
        http.headers.push_back({"Accept", "text/event-stream", false});
        break;
    case ChatWire::Anthropic:
        http.url = m_options.baseUrl + "/messages";
        if (!m_options.apiKey.empty())
            http.headers.push_back(HttpHeader::secretValue("x-api-key", m_options.apiKey));
        http.headers.push_back({"anthropic-version", m_options.anthropicVersion, false});
        http.headers.push_back({"Accept", "text/event-stream", false});
        break;
    case ChatWire::Ollama:
        http.url = m_options.baseUrl + "/api/chat";
        if (!m_options.apiKey.empty())
            http.headers.push_back(HttpHeader::bearer(m_options.apiKey));
        break;
    }
    http.headers.push_back({"Content-Type", "application/json", false});
    for (const HttpHeader &h : m_options.extraHeaders)
        http.headers.push_back(h);
    http.body = bodyFor(m_options.wire, m_options.model, request)
                    .dump(-1, ' ', false, json::error_handler_t::replace);
    return http;
}

Result<ChatStreamSummary> RemoteChatModel::streamSse(const HttpRequest &http, std::int64_t tokens,
                                                     const DeltaSink &onDelta, const JobContext &ctx) const
{
    ChatStreamDecoder decoder(m_options.wire == ChatWire::Anthropic ? ChatDialect::Anthropic : ChatDialect::OpenAi,
                              http.source);
    std::optional<Error> failure;
    const auto sink = [&](const SseEvent &event) {
        auto delta = decoder.decode(event);
        if (!delta) {
            failure = std::move(delta.error());
            return false;
        }
        if (!delta->empty() && onDelta)
            onDelta(*delta);
        return true;
    };
    auto response = m_client.streamEvents(http, tokens, sink, ctx);
    if (failure)
        return std::unexpected(std::move(*failure));
    if (!response)
        return std::unexpected(std::move(response.error()));
    return decoder.finish();
}

Result<ChatStreamSummary> RemoteChatModel::streamNdjson(const HttpRequest &http, std::int64_t tokens,
                                                        const DeltaSink &onDelta, const JobContext &ctx) const
{
    OllamaStreamDecoder decoder(http.source);
    std::optional<Error> failure;
    const auto sink = [&](std::string_view bytes) {
        auto delta = decoder.feed(bytes);
        if (!delta) {
            failure = std::move(delta.error());
            return false;
        }
        if (!delta->empty() && onDelta)
            onDelta(*delta);
        return true;
    };
    auto response = m_client.streamBody(http, tokens, sink, ctx);
    if (failure)
        return std::unexpected(std::move(*failure));
    if (!response)
        return std::unexpected(std::move(response.error()));
    return decoder.finish();
}

Result<ChatResponse> RemoteChatModel::chat(const ChatRequest &request, const DeltaSink &onDelta,
                                           const JobContext &ctx) const
{
    if (request.messages.empty())
        return fail(ErrorCode::InvalidArgument, "a chat request needs at least one message", name());
    const HttpRequest http = buildRequest(request);
    // Rate limits count prompt and completion; estimate the prompt at 4 bytes a token.
    std::int64_t tokens = request.maxTokens;
    for (const ChatMessage &m : request.messages)
        tokens += std::int64_t(m.content.size() / 4 + 4);

    const auto start = SteadyClock::now();
    double firstDeltaMs = -1;
    const DeltaSink timed = [&](std::string_view delta) {
        if (firstDeltaMs < 0)
            firstDeltaMs = msSince(start);
        if (onDelta)
            onDelta(delta);
    };
    auto summary = m_options.wire == ChatWire::Ollama ? streamNdjson(http, tokens, timed, ctx)
                                                      : streamSse(http, tokens, timed, ctx);
    if (!summary) {
        if (ctx.cancelled())
            return fail(ErrorCode::Cancelled, "the answer was cancelled", http.source);
        return std::unexpected(std::move(summary.error()));
    }
    ChatResponse response;
    response.text = std::move(summary->text);
    response.model = summary->model.empty() ? m_options.model : summary->model;
    response.provider = m_options.provider;
    response.finishReason = std::move(summary->finishReason);
    response.usage = TokenUsage{summary->inputTokens, summary->outputTokens};
    if (m_prices)
        response.costUsd = m_prices->cost(m_options.provider, m_options.model, response.usage);
    response.firstDeltaMs = firstDeltaMs;
    response.totalMs = msSince(start);
    return response;
}

} // namespace rag
