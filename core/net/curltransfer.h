#pragma once
// CurlTransfer (internal to net/): one request on a borrowed easy/multi handle pair.
// It owns the per-transfer state libcurl's callbacks write into, drives the multi
// loop so cancellation and the idle timeout are checked every poll interval, and
// turns libcurl's outcome into a Result. Lives on the calling thread for the duration
// of one HttpClient call.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"
#include "core/net/httpclient.h"
#include "core/net/redactor.h"

#include <chrono>
#include <curl/curl.h>
#include <string>

namespace rag::detail {

struct CurlHandles {
    CURLM *multi = nullptr;
    CURL *easy = nullptr;
};

class CurlTransfer {
public:
    CurlTransfer(CurlHandles handles, CURLSH *share, const HttpClientOptions &options,
                 const HttpRequest &request, const HttpClient::BodySink *onBody, const JobContext &ctx);
    ~CurlTransfer();
    CurlTransfer(const CurlTransfer &) = delete;
    CurlTransfer &operator=(const CurlTransfer &) = delete;

    Result<HttpResponse> run();

    // "provider (host)" or the host alone: the Error::source of every failure.
    static std::string sourceFor(const HttpRequest &request);

private:
    static std::size_t onWrite(char *data, std::size_t size, std::size_t count, void *self);
    static std::size_t onHeader(char *data, std::size_t size, std::size_t count, void *self);
    static int onProgress(void *self, curl_off_t dlTotal, curl_off_t dlNow, curl_off_t ulTotal, curl_off_t ulNow);

    Result<void> configure();       // transport options: TLS, timeouts, callbacks
    void configureRequest();        // method, body, headers
    void logRequest() const;        // one debug line, secrets redacted
    std::size_t write(std::string_view bytes);
    Result<HttpResponse> finish(CURLcode code);
    bool idleExpired() const;

    CurlHandles m_handles;
    CURLSH *m_share;
    const HttpClientOptions &m_options;
    const HttpRequest &m_request;
    const HttpClient::BodySink *m_onBody;
    const JobContext &m_ctx;
    Redactor m_redactor;
    std::string m_source;

    curl_slist *m_headerList = nullptr;
    char m_errorBuffer[CURL_ERROR_SIZE] = {};
    HttpResponse m_response;
    std::chrono::steady_clock::time_point m_started;
    std::chrono::steady_clock::time_point m_lastActivity;
    curl_off_t m_lastUploaded = 0;
    bool m_cancelled = false;
    bool m_idle = false;
    bool m_consumerStopped = false;
    bool m_tooLarge = false;
    bool m_delivered = false;
};

} // namespace rag::detail
