#pragma once
// Value types of one HTTP exchange, shared by the client, the retry policy and
// the provider adapters. Plain values: copy them freely between threads.
// A header marked `secret` (an API key) is sent as is but never appears in a
// log line or an Error detail; see Redactor.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

enum class HttpMethod { Get, Post, Put, Patch, Delete };

const char *httpMethodName(HttpMethod method);

struct HttpHeader {
    std::string name;
    std::string value;
    bool secret = false;  // an API key or token: redacted everywhere it could be printed

    // "Authorization: Bearer <key>", marked secret.
    static HttpHeader bearer(std::string_view key);
    // Any header that carries a key ("x-api-key", "api-key"), marked secret.
    static HttpHeader secretValue(std::string_view name, std::string_view key);
};

struct HttpTimeouts {
    std::chrono::milliseconds connect{10'000};   // TCP + TLS handshake
    std::chrono::milliseconds total{300'000};    // the whole exchange, 0 = unbounded
    // Longest silence (no bytes received) once the request is under way; a stalled
    // stream or a hung server fails after this long. 0 disables the check.
    std::chrono::milliseconds idle{60'000};
};

struct HttpRequest {
    HttpMethod method = HttpMethod::Post;
    std::string url;
    std::vector<HttpHeader> headers;
    std::string body;
    HttpTimeouts timeouts;
    std::string source;  // who is being called ("openai"), used in Error::source; never a key
};

// Case-insensitive lookup of the first header with this name.
std::optional<std::string> findHeader(const std::vector<HttpHeader> &headers, std::string_view name);

struct HttpResponse {
    int status = 0;
    std::vector<HttpHeader> headers;  // as received, in order (names in the server's case)
    std::string body;                 // empty for a streamed 2xx body (it went to the callback)

    std::optional<std::string> header(std::string_view name) const { return findHeader(headers, name); }
    bool ok() const { return status >= 200 && status < 300; }
};

} // namespace rag
