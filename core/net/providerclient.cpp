#include "core/net/providerclient.h"

#include "core/net/providererror.h"
#include "core/net/redactor.h"

namespace rag {

ProviderClient::ProviderClient(std::string provider, std::shared_ptr<const HttpClient> http, RetryPolicy retry,
                               std::shared_ptr<RateLimiter> limiter)
    : m_provider(std::move(provider))
    , m_http(std::move(http))
    , m_retry(std::move(retry))
    , m_limiter(std::move(limiter))
{
}

Result<HttpResponse> ProviderClient::execute(HttpRequest &request, std::int64_t tokens, const Transfer &transfer,
                                             const JobContext &ctx, const RetryPolicy::Observer &observer,
                                             const RetryPolicy::MayRetry &mayRetry) const
{
    if (request.source.empty())
        request.source = m_provider;
    const std::string source = HttpClient::sourceOf(request);
    const auto attempt = [&](int) -> Result<HttpResponse> {
        // Every attempt is a request the provider counts, so each one takes its share.
        if (m_limiter) {
            if (auto admitted = m_limiter->acquire(tokens, ctx); !admitted)
                return fail(ErrorCode::Cancelled, admitted.error().detail, source);
        }
        return transfer(request);
    };
    RetryOutcome outcome = m_retry.run(attempt, ctx, observer, mayRetry, source);
    if (!outcome.result) {
        Error error = std::move(outcome.result.error());
        if (outcome.attempts > 1 && error.code == ErrorCode::Network)
            error.detail += " (gave up after " + std::to_string(outcome.attempts) + " attempts)";
        return std::unexpected(std::move(error));
    }
    if (!outcome.result->ok())
        return std::unexpected(httpStatusError(*outcome.result, source, Redactor(request.headers), outcome.attempts));
    return std::move(outcome.result);
}

Result<HttpResponse> ProviderClient::send(HttpRequest request, std::int64_t tokens, const JobContext &ctx,
                                          const RetryPolicy::Observer &observer) const
{
    const Transfer transfer = [&](const HttpRequest &r) { return m_http->request(r, ctx); };
    return execute(request, tokens, transfer, ctx, observer, {});
}

Result<nlohmann::json> ProviderClient::sendJson(HttpRequest request, const nlohmann::json &body, std::int64_t tokens,
                                                const JobContext &ctx, const RetryPolicy::Observer &observer) const
{
    request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!findHeader(request.headers, "Content-Type"))
        request.headers.push_back(HttpHeader{"Content-Type", "application/json", false});
    auto response = send(request, tokens, ctx, observer);
    if (!response)
        return std::unexpected(response.error());
    auto json = nlohmann::json::parse(response->body, nullptr, false);
    if (json.is_discarded()) {
        if (request.source.empty())
            request.source = m_provider;
        return fail(ErrorCode::Parse,
                    "the response is not valid JSON (" + std::to_string(response->body.size()) + " bytes)",
                    HttpClient::sourceOf(request));
    }
    return json;
}

Result<HttpResponse> ProviderClient::streamEvents(HttpRequest request, std::int64_t tokens,
                                                  const HttpClient::EventSink &onEvent, const JobContext &ctx,
                                                  const RetryPolicy::Observer &observer) const
{
    bool delivered = false;
    const HttpClient::EventSink sink = [&](const SseEvent &event) {
        delivered = true;
        return onEvent(event);
    };
    const Transfer transfer = [&](const HttpRequest &r) { return m_http->streamEvents(r, sink, ctx); };
    return execute(request, tokens, transfer, ctx, observer, [&] { return !delivered; });
}

Result<HttpResponse> ProviderClient::streamBody(HttpRequest request, std::int64_t tokens,
                                                const HttpClient::BodySink &onBody, const JobContext &ctx,
                                                const RetryPolicy::Observer &observer) const
{
    bool delivered = false;
    const HttpClient::BodySink sink = [&](std::string_view bytes) {
        delivered = delivered || !bytes.empty();
        return onBody(bytes);
    };
    const Transfer transfer = [&](const HttpRequest &r) { return m_http->stream(r, sink, ctx); };
    return execute(request, tokens, transfer, ctx, observer, [&] { return !delivered; });
}

} // namespace rag
