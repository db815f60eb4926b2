#include "core/net/redactor.h"

#include <algorithm>

namespace rag {

namespace {

constexpr std::string_view kMask = "****";

// Keys shorter than this are not worth hiding and would mangle unrelated text.
constexpr std::size_t kMinSecretLength = 4;

} // namespace

Redactor::Redactor(const std::vector<HttpHeader> &headers)
{
    for (const HttpHeader &h : headers) {
        if (!h.secret)
            continue;
        addSecret(h.value);
        // "Bearer sk-..." / "Basic ...": the credential after the scheme word is what a
        // server echoes back ("Incorrect API key provided: sk-..."), so hide it alone too.
        const auto space = h.value.find(' ');
        if (space != std::string::npos)
            addSecret(std::string_view(h.value).substr(space + 1));
    }
}

void Redactor::addSecret(std::string_view secret)
{
    if (secret.size() < kMinSecretLength)
        return;
    if (std::ranges::find(m_secrets, secret) != m_secrets.end())
        return;
    m_secrets.emplace_back(secret);
    std::ranges::sort(m_secrets, [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
}

std::string Redactor::apply(std::string_view text) const
{
    std::string out(text);
    for (const std::string &secret : m_secrets) {
        std::size_t pos = 0;
        while ((pos = out.find(secret, pos)) != std::string::npos) {
            out.replace(pos, secret.size(), kMask);
            pos += kMask.size();
        }
    }
    return out;
}

std::string Redactor::headerForLog(const HttpHeader &header)
{
    if (!header.secret)
        return header.name + ": " + header.value;
    const auto space = header.value.find(' ');
    if (space != std::string::npos)
        return header.name + ": " + header.value.substr(0, space) + " " + std::string(kMask);
    return header.name + ": " + std::string(kMask);
}

} // namespace rag
