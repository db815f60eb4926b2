#pragma once
// TokenCounter: the one thing chunkers and context budgets need from a tokenizer.
// Implementations must be safe to call from several threads at once.
#include <cstddef>
#include <string_view>

namespace rag {

class TokenCounter {
public:
    virtual ~TokenCounter() = default;
    // Exact number of tokens the encoding produces for this UTF-8 text.
    virtual std::size_t countTokens(std::string_view utf8) const = 0;
};

} // namespace rag
