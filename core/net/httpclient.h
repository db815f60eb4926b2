#pragma once
// HttpClient: the one HTTP client every remote provider goes through (libcurl).
// Blocking calls meant for job threads: each call runs one transfer on the calling
// thread and returns when it completes, fails, times out, goes idle for too long, or
// the JobContext is cancelled (checked every pollInterval, so an abort lands within
// tens of milliseconds even mid-stream). Thread-safe: any number of threads may call
// one client at once; idle connections are pooled for reuse, DNS and TLS sessions are
// shared. TLS peer and host verification are always on. Proxies come from the
// environment exactly as libcurl reads it: http_proxy (lowercase only), https_proxy /
// HTTPS_PROXY, all_proxy / ALL_PROXY, and no_proxy / NO_PROXY for exceptions.
// Redirects are not followed, so a key is never replayed to another host.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"
#include "core/net/httptypes.h"
#include "core/net/sseparser.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace rag {

struct HttpClientOptions {
    // Extra PEM bundle of CAs to trust (a company CA, a local server's own CA), used
    // instead of the system store. Verification stays on either way.
    std::string caBundle;
    std::string userAgent;  // empty: "RagWorkbench/<version>"
    // How often a running transfer checks cancellation and the idle timeout.
    std::chrono::milliseconds pollInterval{20};
    // A response body larger than this fails with TooLarge instead of exhausting memory.
    std::size_t maxResponseBytes = std::size_t(256) << 20;
    // Idle connections kept for reuse (one per concurrent caller, up to this many).
    int maxPooledConnections = 8;
};

class HttpClient {
public:
    // Receives body bytes as they arrive; return false to stop the transfer early
    // (the call then succeeds with what was received).
    using BodySink = std::function<bool(std::string_view bytes)>;
    // Receives each server-sent event as soon as its block is complete; false stops.
    using EventSink = std::function<bool(const SseEvent &event)>;

    explicit HttpClient(HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    // One exchange, body buffered. Any HTTP status is a successful transfer: the
    // caller (usually ProviderClient) decides what a 4xx/5xx means. Errors: Network
    // (connect, TLS, reset, timeouts, idle), Cancelled, TooLarge, InvalidArgument (URL).
    Result<HttpResponse> request(const HttpRequest &request, const JobContext &ctx) const;

    // As request(), but a 2xx body goes to `onBody` as it arrives (HttpResponse::body
    // stays empty). A non-2xx body is buffered and returned instead, so its error
    // message can be read. A body cut short (connection closed mid-transfer) is a
    // Network error even though part of it was delivered.
    Result<HttpResponse> stream(const HttpRequest &request, const BodySink &onBody, const JobContext &ctx) const;

    // stream() through an SseParser. A stream that ends inside an event block is a
    // Network error ("stream ended mid-event").
    Result<HttpResponse> streamEvents(const HttpRequest &request, const EventSink &onEvent,
                                      const JobContext &ctx) const;

    const HttpClientOptions &options() const { return m_options; }

    // The Error::source for a request: "provider (host)", or the host alone.
    static std::string sourceOf(const HttpRequest &request);

private:
    struct Pool;
    Result<HttpResponse> perform(const HttpRequest &request, const BodySink *onBody, const JobContext &ctx) const;

    HttpClientOptions m_options;
    std::unique_ptr<Pool> m_pool;
};

} // namespace rag
