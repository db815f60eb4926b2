#pragma once
// Redactor: removes secret values (API keys) from any text before it is logged
// or put into an Error. Built from a request's headers: every header marked
// secret contributes its value and, for "Bearer <key>"-style values, the key
// alone. Immutable after construction, so it is safe to share between threads.
#include "core/net/httptypes.h"

#include <string>
#include <string_view>
#include <vector>

namespace rag {

class Redactor {
public:
    Redactor() = default;
    explicit Redactor(const std::vector<HttpHeader> &headers);

    void addSecret(std::string_view secret);

    // The text with every occurrence of a secret replaced by "****".
    std::string apply(std::string_view text) const;

    // "Name: value" for a log line; a secret value keeps only its scheme word
    // ("Authorization: Bearer ****", "x-api-key: ****").
    static std::string headerForLog(const HttpHeader &header);

private:
    std::vector<std::string> m_secrets;  // longest first, so a key inside "Bearer key" is caught whole
};

} // namespace rag
