#include "core/chunking/utf8text.h"

namespace rag::utf8 {

std::size_t firstInvalidByte(std::string_view text)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(text.data());
    const std::size_t size = text.size();
    std::size_t i = 0;
    while (i < size) {
        // ASCII fast path, eight bytes at a time.
        if (i + 8 <= size) {
            std::uint64_t word;
            std::memcpy(&word, bytes + i, sizeof word);
            if ((word & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char lead = bytes[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char minSecond = 0x80;
        unsigned char maxSecond = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0)
                minSecond = 0xA0; // overlong
            else if (lead == 0xED)
                maxSecond = 0x9F; // UTF-16 surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0)
                minSecond = 0x90; // overlong
            else if (lead == 0xF4)
                maxSecond = 0x8F; // above U+10FFFF
        } else {
            return i;
        }
        if (i + length > size)
            return i;
        if (bytes[i + 1] < minSecond || bytes[i + 1] > maxSecond)
            return i;
        for (std::size_t k = 2; k < length; ++k) {
            if (!isContinuation(bytes[i + k]))
                return i;
        }
        i += length;
    }
    return std::string_view::npos;
}

std::size_t advance(std::string_view text, std::size_t pos, std::size_t count, std::size_t limit)
{
    while (count > 0 && pos < limit) {
        pos = nextBoundary(text, pos);
        --count;
    }
    return pos < limit ? pos : limit;
}

char32_t decode(std::string_view text, std::size_t pos, std::size_t *length)
{
    const auto lead = static_cast<unsigned char>(text[pos]);
    std::size_t n = 1;
    char32_t value = lead;
    if (lead >= 0xF0) {
        n = 4;
        value = lead & 0x07;
    } else if (lead >= 0xE0) {
        n = 3;
        value = lead & 0x0F;
    } else if (lead >= 0xC0) {
        n = 2;
        value = lead & 0x1F;
    }
    for (std::size_t k = 1; k < n && pos + k < text.size(); ++k)
        value = (value << 6) | (static_cast<unsigned char>(text[pos + k]) & 0x3F);
    if (length)
        *length = n;
    return value;
}

char32_t decodeBefore(std::string_view text, std::size_t end, std::size_t *start)
{
    std::size_t pos = end - 1;
    while (pos > 0 && isContinuation(static_cast<unsigned char>(text[pos])))
        --pos;
    if (start)
        *start = pos;
    return decode(text, pos, nullptr);
}

bool isTrimmable(char32_t c)
{
    switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
    case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F:
    case 0x205F: case 0x3000: case 0xFEFF:
        return true;
    default:
        return c >= 0x2000 && c <= 0x200A;
    }
}

namespace {

inline bool isAsciiSpace(unsigned char c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D);
}

} // namespace

std::size_t skipWhitespaceForward(std::string_view text, std::size_t begin, std::size_t end)
{
    while (begin < end) {
        const auto c = static_cast<unsigned char>(text[begin]);
        if (c < 0x80) {
            if (!isAsciiSpace(c))
                return begin;
            ++begin;
            continue;
        }
        std::size_t length = 0;
        if (!isTrimmable(decode(text, begin, &length)))
            return begin;
        begin += length;
    }
    return end;
}

std::size_t skipWhitespaceBackward(std::string_view text, std::size_t begin, std::size_t end)
{
    while (end > begin) {
        const auto c = static_cast<unsigned char>(text[end - 1]);
        if (c < 0x80) {
            if (!isAsciiSpace(c))
                return end;
            --end;
            continue;
        }
        std::size_t start = 0;
        if (!isTrimmable(decodeBefore(text, end, &start)))
            return end;
        end = start;
    }
    return begin;
}

} // namespace rag::utf8
