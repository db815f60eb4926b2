#include "core/net/httpclient.h"

#include "core/net/curltransfer.h"

#include <array>
#include <mutex>
#include <vector>

namespace rag {

namespace {

void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

// Idle handle pairs plus the share object. A libcurl multi handle owns a connection
// cache, so keeping (multi, easy) pairs alive is what lets the next request reuse a
// warm TLS connection; connections themselves are not shared across threads (libcurl
// does not support that), only the DNS cache and TLS session tickets are.
struct HttpClient::Pool {
    std::mutex mutex;
    std::vector<detail::CurlHandles> idle;
    CURLSH *share = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> shareLocks;

    Pool()
    {
        share = curl_share_init();
        curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Pool::lock);
        curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Pool::unlock);
        curl_share_setopt(share, CURLSHOPT_USERDATA, this);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }

    ~Pool()
    {
        for (const detail::CurlHandles &h : idle)
            destroy(h);
        curl_share_cleanup(share);
    }

    static void lock(CURL *, curl_lock_data data, curl_lock_access, void *self)
    {
        static_cast<Pool *>(self)->shareLocks.at(static_cast<std::size_t>(data)).lock();
    }
    static void unlock(CURL *, curl_lock_data data, void *self)
    {
        static_cast<Pool *>(self)->shareLocks.at(static_cast<std::size_t>(data)).unlock();
    }
    static void destroy(const detail::CurlHandles &h)
    {
        curl_easy_cleanup(h.easy);
        curl_multi_cleanup(h.multi);
    }

    detail::CurlHandles take()
    {
        {
            std::lock_guard guard(mutex);
            if (!idle.empty()) {
                const detail::CurlHandles h = idle.back();
                idle.pop_back();
                return h;
            }
        }
        return detail::CurlHandles{curl_multi_init(), curl_easy_init()};
    }

    void give(const detail::CurlHandles &h, int maxIdle)
    {
        {
            std::lock_guard guard(mutex);
            if (static_cast<int>(idle.size()) < maxIdle) {
                idle.push_back(h);
                return;
            }
        }
        destroy(h);
    }
};

HttpClient::HttpClient(HttpClientOptions options)
    : m_options(std::move(options))
{
    initCurlOnce();
    m_pool = std::make_unique<Pool>();
}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::perform(const HttpRequest &request, const BodySink *onBody,
                                         const JobContext &ctx) const
{
    const detail::CurlHandles handles = m_pool->take();
    if (!handles.easy || !handles.multi) {
        Pool::destroy(handles);
        return fail(ErrorCode::Internal, "libcurl could not allocate a transfer handle",
                    detail::CurlTransfer::sourceFor(request));
    }
    Result<HttpResponse> result = [&] {
        detail::CurlTransfer transfer(handles, m_pool->share, m_options, request, onBody, ctx);
        return transfer.run();
    }();
    m_pool->give(handles, m_options.maxPooledConnections);
    return result;
}

std::string HttpClient::sourceOf(const HttpRequest &request)
{
    return detail::CurlTransfer::sourceFor(request);
}

Result<HttpResponse> HttpClient::request(const HttpRequest &request, const JobContext &ctx) const
{
    return perform(request, nullptr, ctx);
}

Result<HttpResponse> HttpClient::stream(const HttpRequest &request, const BodySink &onBody,
                                        const JobContext &ctx) const
{
    return perform(request, &onBody, ctx);
}

Result<HttpResponse> HttpClient::streamEvents(const HttpRequest &request, const EventSink &onEvent,
                                              const JobContext &ctx) const
{
    SseParser parser;
    bool stopped = false;
    const BodySink sink = [&](std::string_view bytes) {
        for (const SseEvent &event : parser.feed(bytes)) {
            if (!onEvent(event)) {
                stopped = true;
                return false;
            }
        }
        return true;
    };
    auto result = perform(request, &sink, ctx);
    if (result && result->ok() && !stopped && parser.hasPartialEvent()) {
        return fail(ErrorCode::Network, "the event stream ended mid-event (connection closed early)",
                    detail::CurlTransfer::sourceFor(request));
    }
    return result;
}

} // namespace rag
