#pragma once
// LexicalFeatures: turns UTF-8 text into the hashed feature ids the lexical embedder
// weighs. Words are maximal runs of letters, digits and combining marks, lowercased
// per code point; features are word unigrams, adjacent-word bigrams and character
// 3-5-grams of each word wrapped in boundary markers ("<word>"). Ids are 64-bit
// FNV-1a hashes (stable across runs, builds and platforms), with the feature group
// in the low two bits. Stateless and thread-safe.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

enum class LexicalGroup : std::uint8_t { Word = 0, Bigram = 1, CharGram = 2 };
inline constexpr int kLexicalGroupCount = 3;

class LexicalFeatures {
public:
    // The lowercased words of `text`, in order.
    static std::vector<std::string> words(std::string_view text);

    // Appends the feature ids of `text` to `out`, one per occurrence (repeats kept:
    // the caller counts term frequencies).
    static void extract(std::string_view text, std::vector<std::uint64_t> &out);

    // The id of one feature, given its group and its bytes ("word", "w1 w2", "<wo").
    static std::uint64_t featureId(LexicalGroup group, std::string_view bytes);

    static LexicalGroup group(std::uint64_t id) { return LexicalGroup(id & 3u); }
};

} // namespace rag
