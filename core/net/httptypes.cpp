#include "core/net/httptypes.h"

#include <algorithm>
#include <cctype>

namespace rag {

const char *httpMethodName(HttpMethod method)
{
    switch (method) {
    case HttpMethod::Get: return "GET";
    case HttpMethod::Post: return "POST";
    case HttpMethod::Put: return "PUT";
    case HttpMethod::Patch: return "PATCH";
    case HttpMethod::Delete: return "DELETE";
    }
    return "GET";
}

HttpHeader HttpHeader::bearer(std::string_view key)
{
    return HttpHeader{"Authorization", "Bearer " + std::string(key), true};
}

HttpHeader HttpHeader::secretValue(std::string_view name, std::string_view key)
{
    return HttpHeader{std::string(name), std::string(key), true};
}

std::optional<std::string> findHeader(const std::vector<HttpHeader> &headers, std::string_view name)
{
    const auto sameName = [name](const HttpHeader &h) {
        return std::ranges::equal(h.name, name, [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        });
    };
    const auto it = std::ranges::find_if(headers, sameName);
    if (it == headers.end())
        return std::nullopt;
    return it->value;
}

} // namespace rag
