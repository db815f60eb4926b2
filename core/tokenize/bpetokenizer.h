#pragma once
// BpeTokenizer: exact byte-pair-encoding token ids for OpenAI's cl100k_base and
// o200k_base, identical to npm gpt-tokenizer 4.0.0 encode(text, {disallowedSpecial: new Set()}).
//
// Immutable once loaded: all methods are const and may be called from any number of
// threads at once; share one instance through the shared_ptr. Nothing is cached
// between calls. Text is UTF-8; see encode() for what happens to invalid bytes.
#include "core/common/result.h"
#include "core/tokenize/bperanktable.h"
#include "core/tokenize/pretokenizer.h"
#include "core/tokenize/tokencounter.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rag {

class BpeTokenizer final : public TokenCounter {
public:
    // "cl100k_base" or "o200k_base", from rag::assetDir() + "/gpt-tokenizer/data/<name>.tiktoken".
    // NotFound (naming the path and packaging/setup.sh) when the file is missing.
    static Result<std::shared_ptr<const BpeTokenizer>> load(const std::string &encodingName);
    // The same from an explicit rank file; Mismatch when the file's vocabulary size
    // is not the encoding's (a rank file of another encoding).
    static Result<std::shared_ptr<const BpeTokenizer>> loadFromFile(const std::string &encodingName,
                                                                    const std::string &rankFilePath);

    // Token ids of the text. Special-token text such as "<|endoftext|>" is encoded as
    // ordinary text. Invalid UTF-8 never fails: each ill-formed sequence (maximal
    // subpart, as TextDecoder replaces them) is split like the U+FFFD it would decode
    // to, but its raw bytes are encoded, so decode(encode(x)) == x for any bytes, with
    // one exception inherited from the reference: gpt-tokenizer never emits tokens that
    // begin with U+FEFF, and in o200k_base a BOM right before some characters merges
    // away (encode("\uFEFF名") == encode("名")); see referenceRank() in bytepairmerge.h.
    std::vector<std::uint32_t> encode(std::string_view utf8) const;
    // The bytes of the ids concatenated; special-token ids give their text, ids that
    // are neither ranks nor special tokens contribute nothing. Ids that split a
    // character yield its partial bytes, so the result may be invalid UTF-8.
    std::string decode(std::span<const std::uint32_t> ids) const;
    std::size_t countTokens(std::string_view utf8) const override;
    const std::string &encodingName() const;

private:
    BpeTokenizer(std::string encodingName, SplitPattern pattern, BpeRankTable ranks,
                 std::vector<std::pair<std::string, std::uint32_t>> specialTokens);

    template <typename Sink>
    void encodeInto(std::string_view utf8, std::vector<std::uint32_t> &scratch, Sink &&sink) const;

    std::string m_encodingName;
    PreTokenizer m_preTokenizer;
    BpeRankTable m_ranks;
    std::vector<std::pair<std::string, std::uint32_t>> m_specialTokens; // text, id
};

} // namespace rag
