#pragma once
// UnitMeasure: the length of a span of the document in the configured unit.
//
// Characters are code points (counted in place, no copies); tokens come from the
// caller's TokenCounter. The character measure is additive (the length of a
// concatenation is the sum of the lengths), the token measure is not, and the
// mergers check the real token count where that matters. Borrows the text and the
// counter; const and safe to share between threads if the counter is.
#include "core/chunking/utf8text.h"
#include "core/tokenize/tokencounter.h"

#include <cstddef>
#include <string_view>

namespace rag {

class UnitMeasure {
public:
    UnitMeasure(std::string_view text, const TokenCounter *tokens)
        : m_text(text)
        , m_tokens(tokens)
    {
    }

    std::size_t count(std::size_t begin, std::size_t end) const
    {
        if (m_tokens)
            return m_tokens->countTokens(m_text.substr(begin, end - begin));
        return utf8::countCodePoints(m_text.data() + begin, end - begin);
    }

    bool additive() const { return m_tokens == nullptr; }
    std::string_view text() const { return m_text; }

private:
    std::string_view m_text;
    const TokenCounter *m_tokens;
};

} // namespace rag
