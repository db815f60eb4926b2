#include "core/net/curltransfer.h"

#include "core/common/logging.h"

#include <algorithm>
#include <memory>

namespace rag::detail {

namespace {

using Clock = std::chrono::steady_clock;

long long msSince(Clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

struct UrlParts {
    std::string scheme;
    std::string host;
    std::string path;
};

// Parses with libcurl's own URL parser, so what we validate is what it will send.
Result<UrlParts> parseUrl(const std::string &url)
{
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), &curl_url_cleanup);
    if (!handle || curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
        return fail(ErrorCode::InvalidArgument, "not a valid URL");
    UrlParts parts;
    const auto part = [&](CURLUPart which, std::string &out) {
        char *text = nullptr;
        if (curl_url_get(handle.get(), which, &text, 0) == CURLUE_OK && text)
            out = text;
        curl_free(text);
    };
    part(CURLUPART_SCHEME, parts.scheme);
    part(CURLUPART_HOST, parts.host);
    part(CURLUPART_PATH, parts.path);
    if (parts.scheme != "http" && parts.scheme != "https")
        return fail(ErrorCode::InvalidArgument, "only http and https URLs are supported, not '" + parts.scheme + "'");
    return parts;
}

std::string_view trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

} // namespace

CurlTransfer::CurlTransfer(CurlHandles handles, CURLSH *share, const HttpClientOptions &options,
                           const HttpRequest &request, const HttpClient::BodySink *onBody, const JobContext &ctx)
    : m_handles(handles)
    , m_share(share)
    , m_options(options)
    , m_request(request)
    , m_onBody(onBody)
    , m_ctx(ctx)
    , m_redactor(request.headers)
    , m_source(sourceFor(request))
{
}

CurlTransfer::~CurlTransfer()
{
    curl_slist_free_all(m_headerList);
}

std::string CurlTransfer::sourceFor(const HttpRequest &request)
{
    const auto parts = parseUrl(request.url);
    const std::string host = parts ? parts->host : std::string();
    if (request.source.empty())
        return host;
    if (host.empty())
        return request.source;
    return request.source + " (" + host + ")";
}

Result<void> CurlTransfer::configure()
{
    const auto url = parseUrl(m_request.url);
    if (!url)
        return fail(url.error().code, url.error().detail, m_source);

    CURL *easy = m_handles.easy;
    curl_easy_reset(easy);
    curl_easy_setopt(easy, CURLOPT_URL, m_request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.caBundle.empty())
        curl_easy_setopt(easy, CURLOPT_CAINFO, m_options.caBundle.c_str());
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_request.timeouts.connect.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(m_request.timeouts.total.count()));
    const std::string agent = m_options.userAgent.empty() ? std::string("RagWorkbench/") + RAG_VERSION
                                                          : m_options.userAgent;
    curl_easy_setopt(easy, CURLOPT_USERAGENT, agent.c_str());
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_SHARE, m_share);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, m_errorBuffer);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &CurlTransfer::onWrite);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &CurlTransfer::onHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &CurlTransfer::onProgress);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, this);
    configureRequest();
    if (lcNet().isDebugEnabled())
        logRequest();
    return {};
}

void CurlTransfer::configureRequest()
{
    CURL *easy = m_handles.easy;
    switch (m_request.method) {
    case HttpMethod::Get:
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        break;
    case HttpMethod::Post:
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
        break;
    case HttpMethod::Put:
    case HttpMethod::Patch:
    case HttpMethod::Delete:
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, httpMethodName(m_request.method));
        break;
    }
    if (m_request.method == HttpMethod::Post || !m_request.body.empty()) {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(m_request.body.size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, m_request.body.data());
    }

    // "Expect:" stops libcurl from waiting up to a second for "100 Continue" on large bodies.
    m_headerList = curl_slist_append(m_headerList, "Expect:");
    for (const HttpHeader &h : m_request.headers) {
        const std::string line = h.name + ": " + h.value;
        m_headerList = curl_slist_append(m_headerList, line.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, m_headerList);
}

void CurlTransfer::logRequest() const
{
    std::string headers;
    for (const HttpHeader &h : m_request.headers)
        headers += (headers.empty() ? "" : ", ") + Redactor::headerForLog(h);
    qCDebug(lcNet, "%s %s [%s] (%zu bytes)", httpMethodName(m_request.method), m_redactor.apply(m_request.url).c_str(),
            m_redactor.apply(headers).c_str(), m_request.body.size());
}

Result<HttpResponse> CurlTransfer::run()
{
    if (m_ctx.cancelled())
        return fail(ErrorCode::Cancelled, "request cancelled before it was sent", m_source);
    if (auto configured = configure(); !configured)
        return std::unexpected(configured.error());

    m_started = m_lastActivity = Clock::now();
    CURLM *multi = m_handles.multi;
    curl_multi_add_handle(multi, m_handles.easy);
    const int pollMs = static_cast<int>(std::max<long long>(1, m_options.pollInterval.count()));
    int running = 1;
    CURLMcode multiCode = CURLM_OK;
    while (true) {
        multiCode = curl_multi_perform(multi, &running);
        if (multiCode != CURLM_OK || running == 0)
            break;
        if (m_ctx.cancelled()) {
            m_cancelled = true;
            break;
        }
        if (idleExpired()) {
            m_idle = true;
            break;
        }
        multiCode = curl_multi_poll(multi, nullptr, 0, pollMs, nullptr);
        if (multiCode != CURLM_OK)
            break;
    }
    CURLcode code = CURLE_OK;
    if (running == 0 && multiCode == CURLM_OK) {
        int left = 0;
        while (CURLMsg *msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == m_handles.easy)
                code = msg->data.result;
        }
    } else if (multiCode != CURLM_OK) {
        std::snprintf(m_errorBuffer, sizeof m_errorBuffer, "%s", curl_multi_strerror(multiCode));
        code = CURLE_RECV_ERROR;
    }
    // Removing an unfinished transfer closes its connection; a finished one returns
    // to this multi handle's cache for the next request.
    curl_multi_remove_handle(multi, m_handles.easy);
    return finish(code);
}

bool CurlTransfer::idleExpired() const
{
    const auto idle = m_request.timeouts.idle;
    return idle.count() > 0 && Clock::now() - m_lastActivity > idle;
}

Result<HttpResponse> CurlTransfer::finish(CURLcode code)
{
    long status = 0;
    curl_easy_getinfo(m_handles.easy, CURLINFO_RESPONSE_CODE, &status);
    m_response.status = static_cast<int>(status);
    const long long elapsed = msSince(m_started);
    const std::string what = std::string(httpMethodName(m_request.method)) + " " + m_request.url;

    if (m_cancelled || (code == CURLE_ABORTED_BY_CALLBACK && m_ctx.cancelled())) {
        qCDebug(lcNet, "%s cancelled after %lld ms", m_redactor.apply(what).c_str(), elapsed);
        return fail(ErrorCode::Cancelled, "request cancelled after " + std::to_string(elapsed) + " ms", m_source);
    }
    if (m_idle) {
        const std::string detail = "no data received for " + std::to_string(m_request.timeouts.idle.count())
            + " ms (idle timeout)" + (m_delivered ? "; the stream stalled after part of the body" : "");
        qCDebug(lcNet, "%s: %s", m_redactor.apply(what).c_str(), detail.c_str());
        return fail(ErrorCode::Network, detail, m_source);
    }
    if (m_consumerStopped)
        return std::move(m_response);
    if (m_tooLarge) {
        return fail(ErrorCode::TooLarge, "response body exceeds " + std::to_string(m_options.maxResponseBytes)
                        + " bytes", m_source);
    }
    if (code == CURLE_OK) {
        qCDebug(lcNet, "%s -> %d in %lld ms (%zu bytes buffered)", m_redactor.apply(what).c_str(),
                m_response.status, elapsed, m_response.body.size());
        return std::move(m_response);
    }

    std::string reason = m_errorBuffer[0] ? std::string(m_errorBuffer) : std::string(curl_easy_strerror(code));
    switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
        reason = "TLS certificate verification failed: " + reason;
        break;
    case CURLE_OPERATION_TIMEDOUT:
        reason = "timed out: " + reason;
        break;
    default:
        break;
    }
    if (m_delivered)
        reason += " (connection closed after part of the body was delivered)";
    reason = m_redactor.apply(reason);
    qCDebug(lcNet, "%s failed after %lld ms: %s", m_redactor.apply(what).c_str(), elapsed, reason.c_str());
    const ErrorCode errorCode = (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL)
        ? ErrorCode::InvalidArgument : ErrorCode::Network;
    return fail(errorCode, reason, m_source);
}

std::size_t CurlTransfer::write(std::string_view bytes)
{
    m_lastActivity = Clock::now();
    if (m_ctx.cancelled()) {
        m_cancelled = true;
        return CURL_WRITEFUNC_ERROR;
    }
    if (m_onBody) {
        long status = 0;
        curl_easy_getinfo(m_handles.easy, CURLINFO_RESPONSE_CODE, &status);
        if (status >= 200 && status < 300) {
            m_delivered = true;
            if (!(*m_onBody)(bytes)) {
                m_consumerStopped = true;
                return CURL_WRITEFUNC_ERROR;
            }
            return bytes.size();
        }
    }
    if (m_response.body.size() + bytes.size() > m_options.maxResponseBytes) {
        m_tooLarge = true;
        return CURL_WRITEFUNC_ERROR;
    }
    m_response.body.append(bytes);
    return bytes.size();
}

std::size_t CurlTransfer::onWrite(char *data, std::size_t size, std::size_t count, void *self)
{
    return static_cast<CurlTransfer *>(self)->write(std::string_view(data, size * count));
}

std::size_t CurlTransfer::onHeader(char *data, std::size_t size, std::size_t count, void *self)
{
    auto *transfer = static_cast<CurlTransfer *>(self);
    const std::string_view line(data, size * count);
    transfer->m_lastActivity = Clock::now();
    if (line.starts_with("HTTP/")) {
        // A new response begins (after "100 Continue", or a proxy's CONNECT reply).
        transfer->m_response.headers.clear();
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        transfer->m_response.headers.push_back(
            HttpHeader{std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))), false});
    }
    return line.size();
}

int CurlTransfer::onProgress(void *self, curl_off_t, curl_off_t, curl_off_t, curl_off_t ulNow)
{
    auto *transfer = static_cast<CurlTransfer *>(self);
    if (ulNow != transfer->m_lastUploaded) {
        transfer->m_lastUploaded = ulNow;  // sending a large body is activity too
        transfer->m_lastActivity = Clock::now();
    }
    if (transfer->m_ctx.cancelled()) {
        transfer->m_cancelled = true;
        return 1;  // aborts with CURLE_ABORTED_BY_CALLBACK
    }
    return 0;
}

} // namespace rag::detail
