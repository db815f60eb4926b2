#pragma once
// SentencePieceTokenizer: the unigram tokenizer of Universal Sentence Encoder Lite,
// reproducing the TF.js reference (@energetic-ai/embeddings 0.2.0) id for id:
// NFKC, "▁" for every ASCII space plus one in front, a Viterbi search over the
// vocabulary scores where a code point no piece starts with becomes the unknown
// id 0, and runs of unknown ids merged into one. The reference's quirks are kept
// on purpose (see encode()), because the model was run with them.
// Immutable after load; encode() is safe to call from several threads at once.
#include "core/common/result.h"
#include "core/tokenize/tokencounter.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rag {

class SentencePieceTokenizer final : public TokenCounter {
public:
    struct Piece {
        std::string text;  // UTF-8
        double score = 0;  // log probability; 0 for the reserved symbols
    };

    // Reads vocab.json: a JSON array of [piece, score] pairs; the index is the id.
    static Result<SentencePieceTokenizer> load(const std::string &vocabJsonPath);
    // The first `reservedCount` pieces (unknown, <s>, </s>, ...) are never matched.
    static Result<SentencePieceTokenizer> fromPieces(std::vector<Piece> pieces, int reservedCount = 6);

    // The ids of the whole text (no truncation; the model keeps the first 128).
    std::vector<std::int32_t> encode(std::string_view utf8) const;
    std::size_t countTokens(std::string_view utf8) const override { return encode(utf8).size(); }

    int vocabularySize() const { return int(m_pieces.size()); }
    const Piece &piece(int id) const { return m_pieces.at(std::size_t(id)); }

    static constexpr std::int32_t kUnknownId = 0;

private:
    // One trie node per piece prefix, over Unicode code points.
    struct Node {
        std::int32_t pieceId = -1;  // >= 0 when a piece ends here
        double score = 0;
    };
    struct Match {
        std::int32_t length;  // in code points
        std::int32_t pieceId;
        double score;
    };

    void insert(const std::u32string &symbols, double score, std::int32_t id);
    std::int32_t child(std::int32_t node, char32_t symbol) const;
    void prefixMatches(const std::u32string &symbols, std::size_t start, std::vector<Match> &out) const;

    std::vector<Piece> m_pieces;
    std::vector<std::int32_t> m_utf16Length;  // what the reference steps back by (JS string length)
    std::vector<Node> m_nodes;                // m_nodes[0] is the root
    std::unordered_map<std::uint64_t, std::int32_t> m_children;  // (node << 32 | symbol) -> node
};

} // namespace rag
