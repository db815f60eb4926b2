#pragma once
// PreTokenizer: splits text into the pieces BPE merges inside, exactly as the
// split regexes of cl100k_base and o200k_base do under ECMAScript semantics
// (ordered alternation, greedy quantifiers with backtracking, \s+(?!\S)).
// The regexes are implemented by hand as forward scans: no regex engine, no
// allocation, linear in the input. Immutable after construction: any thread.
#include <cstddef>
#include <string_view>

namespace rag {

enum class SplitPattern {
    Cl100k, // 's|'t|..., [^\r\n\p{L}\p{N}]?\p{L}+, \p{N}{1,3}, punctuation, whitespace rules
    O200k,  // case-aware words with optional contraction suffix, punctuation may end in [\r\n/]*
};

class PreTokenizer {
public:
    explicit PreTokenizer(SplitPattern pattern);

    // End (exclusive byte offset) of the piece starting at pos; requires pos < text.size().
    // Every piece is non-empty, so repeated calls from 0 cover the text exactly.
    std::size_t pieceEnd(std::string_view text, std::size_t pos) const;

    SplitPattern pattern() const { return m_pattern; }

private:
    SplitPattern m_pattern;
};

} // namespace rag
