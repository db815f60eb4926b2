#include "core/net/providererror.h"

#include <nlohmann/json.hpp>

namespace rag {

namespace {

// Longest message kept from a body: enough for any real error text, short enough
// that an HTML error page does not flood a log line.
constexpr std::size_t kMaxMessage = 300;

std::string clip(std::string text)
{
    if (text.size() > kMaxMessage) {
        // Do not cut inside a UTF-8 sequence.
        std::size_t cut = kMaxMessage;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut;
        text.resize(cut);
        text += "...";
    }
    return text;
}

std::optional<std::string> stringField(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end())
        return std::nullopt;
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_object()) {
        for (const char *inner : {"message", "msg", "detail"}) {
            if (auto text = stringField(*it, inner))
                return text;
        }
    }
    if (it->is_array() && !it->empty() && it->front().is_object()) {
        // FastAPI validation errors: {"detail":[{"msg":"field required",...}]}
        if (auto text = stringField(it->front(), "msg"))
            return text;
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> extractProviderMessage(std::string_view body)
{
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_discarded()) {
        if (!json.is_object())
            return std::nullopt;
        for (const char *key : {"error", "message", "detail"}) {
            if (auto text = stringField(json, key); text && !text->empty())
                return clip(std::move(*text));
        }
        return std::nullopt;
    }
    const auto first = body.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || body[first] == '<')
        return std::nullopt;  // empty, or an HTML error page: the status says more
    const std::string_view line = body.substr(first, body.find_first_of("\r\n", first) - first);
    return clip(std::string(line));
}

const char *httpReasonPhrase(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 529: return "Overloaded";
    default: return "";
    }
}

Error httpStatusError(const HttpResponse &response, std::string source, const Redactor &redactor, int attempts)
{
    std::string detail = "HTTP " + std::to_string(response.status);
    if (const char *phrase = httpReasonPhrase(response.status); *phrase)
        detail += std::string(" ") + phrase;
    if (response.status >= 300 && response.status < 400)
        detail += " (redirects are not followed; check the base URL)";
    if (const auto message = extractProviderMessage(response.body))
        detail += ": " + *message;
    if (attempts > 1)
        detail += " (gave up after " + std::to_string(attempts) + " attempts)";
    return Error{ErrorCode::Provider, redactor.apply(detail), std::move(source)};
}

} // namespace rag
