#pragma once
// BpeRankTable: the mergeable ranks of one encoding (token bytes <-> rank), as read
// from a tiktoken rank file ("<base64 token> <rank>" per line).
//
// Lookups by bytes go through an open-addressing hash table whose slots hold the
// first 8 bytes and the length of their token, so the hot path of BPE (is this byte
// string a token, and of which rank?) usually costs a hash and one cache line; byte
// pairs, the first lookups of every merge, come from a direct 64K table.
// Immutable after parse(): safe to share between threads.
#include "core/common/result.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

class BpeRankTable {
public:
    static constexpr std::uint32_t kNoRank = 0xFFFFFFFFu;

    // Parses rank-file content; errors name `source` and the line.
    static Result<BpeRankTable> parse(std::string_view content, const std::string &source);
    static Result<BpeRankTable> loadFile(const std::string &path);

    // The rank of a byte string, kNoRank when it is not a token.
    std::uint32_t rank(std::string_view bytes) const;
    // The rank of the two-byte string (a, b), kNoRank when it is not a token.
    std::uint32_t pairRank(unsigned char a, unsigned char b) const { return m_pairRanks[(std::size_t(a) << 8) | b]; }
    // The bytes of a rank, empty when the rank is unused.
    std::string_view bytes(std::uint32_t rank) const;

    std::size_t tokenCount() const { return m_tokenCount; }
    // One past the highest rank in the table.
    std::uint32_t rankLimit() const { return static_cast<std::uint32_t>(m_offsets.size() - 1); }

private:
    BpeRankTable() = default;
    struct Slot {
        std::uint64_t head = 0;      // the token's first (up to) 8 bytes, zero-padded
        std::uint32_t rank = kNoRank; // kNoRank: empty slot
        std::uint32_t lengthTag = 0; // min(length, 255) | high hash bits << 8
    };
    bool insert(std::uint32_t rank);

    std::string m_arena;                // token bytes, in rank order
    std::vector<std::uint32_t> m_offsets; // rank -> arena offset; rankLimit() + 1 entries
    std::vector<Slot> m_slots;          // power-of-two sized, linear probing
    std::vector<std::uint32_t> m_pairRanks; // (a << 8 | b) -> rank of the bytes "ab"
    std::size_t m_tokenCount = 0;
};

} // namespace rag
