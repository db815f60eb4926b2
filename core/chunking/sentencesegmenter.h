#pragma once
// SentenceSegmenter: rule-based sentence boundaries for prose.
//
// A sentence ends at terminal punctuation (. ! ? … and the CJK full stops), plus
// any closing quotes or brackets, followed by whitespace and then an uppercase
// letter, a digit or an opening quote/bracket. It does not end after common
// abbreviations ("e.g.", "Dr.", "Fig. 3", "et al."), single initials ("J. Smith")
// or inside numbers ("3.14"); a blank line always ends one. Stateless; safe to
// use from any thread.
#include <cstddef>
#include <string_view>
#include <vector>

namespace rag {

class SentenceSegmenter {
public:
    // Start offsets of the sentences in text[begin, end) after the first one. Each
    // start is the first non-whitespace byte of its sentence, so the pieces
    // [begin, s0), [s0, s1), ..., [sN, end) cover the range and whitespace between
    // sentences stays with the sentence before it.
    static std::vector<std::size_t> boundaries(std::string_view text, std::size_t begin, std::size_t end);

private:
    static std::size_t boundaryAfterTerminal(std::string_view text, std::size_t at, std::size_t end,
                                             std::size_t *resumeAt);
    static bool isAbbreviation(std::string_view text, std::size_t dot, std::size_t begin,
                               char32_t following);
};

} // namespace rag
