#pragma once
// UTF-8 helpers for the chunkers: code point counting and stepping on byte offsets,
// validation, and the whitespace set that trimming uses.
//
// Chunkers work on byte offsets into one std::string_view and never copy text, so
// these helpers take (text, offset) pairs. "Character" means Unicode code point
// throughout. Free functions, no state, safe from any thread.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace rag::utf8 {

inline bool isContinuation(unsigned char byte)
{
    return (byte & 0xC0) == 0x80;
}

// Number of code points in [data, data + size); the input must be valid UTF-8.
// Counts lead bytes eight at a time, because the recursive chunker calls this on
// every piece it measures and it dominates character-unit chunking.
inline std::size_t countCodePoints(const char *data, std::size_t size)
{
    constexpr std::uint64_t high = 0x8080808080808080ULL;
    std::size_t count = size;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + i, sizeof word);
        if ((word & high) == 0)
            continue;
        // A continuation byte is 10xxxxxx: bit 7 set and bit 6 clear.
        const std::uint64_t continuation = word & ~(word << 1) & high;
        count -= static_cast<std::size_t>(__builtin_popcountll(continuation));
    }
    for (; i < size; ++i)
        count -= isContinuation(static_cast<unsigned char>(data[i])) ? 1 : 0;
    return count;
}

inline std::size_t countCodePoints(std::string_view text, std::size_t begin, std::size_t end)
{
    return countCodePoints(text.data() + begin, end - begin);
}

// Splits [begin, end) before every occurrence of the ASCII byte `separator` after
// `begin`, calling piece(pieceBegin, pieceEnd, codePoints) for each piece in order
// (the last one ends at `end`). Finds the separators and counts the code points
// eight bytes at a time, because this loop is the recursive chunker's hot path:
// it runs over every byte of the text at the "\n" and " " levels.
template <typename PieceFn>
inline void splitOnByte(std::string_view text, std::size_t begin, std::size_t end, char separator, PieceFn &&piece)
{
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t high = 0x8080808080808080ULL;
    constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    const std::uint64_t pattern = ones * static_cast<unsigned char>(separator);
    const char *data = text.data();
    std::size_t pieceBegin = begin;
    std::size_t units = 0; // code points of [pieceBegin, i)
    std::size_t i = begin;
    if constexpr (std::endian::native == std::endian::little) {
        for (; i + 8 <= end; i += 8) {
            std::uint64_t word;
            std::memcpy(&word, data + i, sizeof word);
            const std::uint64_t diff = word ^ pattern;
            // Exact per-byte zero test: high bit set where the byte equals the separator.
            std::uint64_t hits = ~(((diff & low7) + low7) | diff) & high;
            // Without -mpopcnt std::popcount is a library call: skip it for ASCII.
            const std::uint64_t continuation = word & ~(word << 1) & high;
            if (i == begin)
                hits &= ~std::uint64_t(0x80); // no split at the range start
            std::size_t from = 0; // first byte of this word not yet counted
            while (hits) {
                const std::size_t at = std::size_t(std::countr_zero(hits)) / 8;
                const std::uint64_t below = (std::uint64_t(1) << (at * 8)) - 1;
                const std::uint64_t counted = from == 0 ? below : below & ~((std::uint64_t(1) << (from * 8)) - 1);
                units += (at - from) - (continuation ? std::size_t(std::popcount(continuation & counted)) : 0);
                piece(pieceBegin, i + at, units);
                pieceBegin = i + at;
                units = 0;
                from = at;
                hits &= hits - 1;
            }
            const std::uint64_t rest = from == 0 ? ~std::uint64_t(0) : ~((std::uint64_t(1) << (from * 8)) - 1);
            units += (8 - from) - (continuation ? std::size_t(std::popcount(continuation & rest)) : 0);
        }
    }
    for (; i < end; ++i) {
        const char c = data[i];
        if (c == separator && i > begin) {
            piece(pieceBegin, i, units);
            pieceBegin = i;
            units = 0;
        }
        units += isContinuation(static_cast<unsigned char>(c)) ? 0 : 1;
    }
    piece(pieceBegin, end, units);
}

// Offset of the first byte that is not part of a well-formed UTF-8 sequence
// (overlongs, surrogates and values above U+10FFFF are rejected), or npos.
std::size_t firstInvalidByte(std::string_view text);

// Start of the code point after the one at `pos` (pos < text.size()).
inline std::size_t nextBoundary(std::string_view text, std::size_t pos)
{
    ++pos;
    while (pos < text.size() && isContinuation(static_cast<unsigned char>(text[pos])))
        ++pos;
    return pos;
}

// Largest code point boundary <= pos.
inline std::size_t boundaryAtOrBefore(std::string_view text, std::size_t pos)
{
    while (pos > 0 && pos < text.size() && isContinuation(static_cast<unsigned char>(text[pos])))
        --pos;
    return pos;
}

// Moves `count` code points forward from `pos`, stopping at `limit`.
std::size_t advance(std::string_view text, std::size_t pos, std::size_t count, std::size_t limit);

// Decodes the code point starting at `pos`; `length` receives its byte length.
char32_t decode(std::string_view text, std::size_t pos, std::size_t *length);

// Decodes the code point that ends at `end` (end > 0); `start` receives its offset.
char32_t decodeBefore(std::string_view text, std::size_t end, std::size_t *start);

// The set JavaScript's String.prototype.trim() removes (WhiteSpace and
// LineTerminator in ECMA-262). Trimming with exactly this set is what makes the
// recursive chunker's output identical to LangChain's.
bool isTrimmable(char32_t c);

// First offset in [begin, end) that does not start trimmable whitespace (end if none).
std::size_t skipWhitespaceForward(std::string_view text, std::size_t begin, std::size_t end);

// Offset just after the last non-whitespace code point in [begin, end) (begin if none).
std::size_t skipWhitespaceBackward(std::string_view text, std::size_t begin, std::size_t end);

} // namespace rag::utf8
