#pragma once
// ProviderClient: how a provider adapter talks to one remote API. Wraps the shared
// HttpClient with the provider's RetryPolicy and (optional, shared) RateLimiter, and
// turns answers into Results: 2xx is success, any other status a Provider error with
// the provider's own message, a 2xx body that is not JSON a Parse error; every
// Error::source names the provider and host, never the key. Streams are retried only
// until their first byte reaches the caller, so no text is ever delivered twice.
// Thread-safe (all members are); cheap to copy.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"
#include "core/net/httpclient.h"
#include "core/net/ratelimiter.h"
#include "core/net/retrypolicy.h"

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace rag {

class ProviderClient {
public:
    ProviderClient(std::string provider, std::shared_ptr<const HttpClient> http, RetryPolicy retry = RetryPolicy(),
                   std::shared_ptr<RateLimiter> limiter = {});

    // `tokens` is what the request counts against a tokens-per-minute limit.
    Result<HttpResponse> send(HttpRequest request, std::int64_t tokens, const JobContext &ctx,
                              const RetryPolicy::Observer &observer = {}) const;

    // send() with a JSON body, parsing a JSON answer.
    Result<nlohmann::json> sendJson(HttpRequest request, const nlohmann::json &body, std::int64_t tokens,
                                    const JobContext &ctx, const RetryPolicy::Observer &observer = {}) const;

    // Server-sent events of a 2xx answer go to onEvent as they arrive.
    Result<HttpResponse> streamEvents(HttpRequest request, std::int64_t tokens, const HttpClient::EventSink &onEvent,
                                      const JobContext &ctx, const RetryPolicy::Observer &observer = {}) const;

    // A 2xx body goes to onBody as it arrives (newline-delimited JSON streams such as
    // Ollama's); retried, like streamEvents(), only until the first byte is delivered.
    Result<HttpResponse> streamBody(HttpRequest request, std::int64_t tokens, const HttpClient::BodySink &onBody,
                                    const JobContext &ctx, const RetryPolicy::Observer &observer = {}) const;

    const std::string &provider() const { return m_provider; }
    const RetryPolicy &retryPolicy() const { return m_retry; }

private:
    using Transfer = std::function<Result<HttpResponse>(const HttpRequest &)>;
    Result<HttpResponse> execute(HttpRequest &request, std::int64_t tokens, const Transfer &transfer,
                                 const JobContext &ctx, const RetryPolicy::Observer &observer,
                                 const RetryPolicy::MayRetry &mayRetry) const;

    std::string m_provider;
    std::shared_ptr<const HttpClient> m_http;
    RetryPolicy m_retry;
    std::shared_ptr<RateLimiter> m_limiter;
};

} // namespace rag
