#include "core/tokenize/unicodeclass.h"

namespace rag {

namespace {
#include "core/tokenize/unicodeclass_table.inc"

static_assert(sizeof(kClassBlockIndex) * kClassBlockSize == 0x110000, "table covers U+0000..U+10FFFF");
constexpr bool asciiClassesMatchTable()
{
    for (unsigned c = 0; c < 0x80; ++c) {
        if (kClassBlockIndex[0] != 0 || static_cast<CharClass>(kClassBlocks[c]) != asciiCharClass(static_cast<unsigned char>(c)))
            return false;
    }
    return true;
}
static_assert(asciiClassesMatchTable(), "the inline ASCII classes must agree with the generated table");

// Decodes the sequence at a lead byte >= 0x80. When it is ill-formed, returns the
// length of its maximal subpart (the lead byte and the continuation bytes that were
// still acceptable, at least 1) with codePoint U+FFFD: exactly the bytes that
// the WHATWG TextDecoder replaces with one U+FFFD. Byte ranges follow the
// Unicode table of well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
Utf8Char readMultiByte(std::string_view text, std::size_t pos)
{
    const unsigned b0 = static_cast<unsigned char>(text[pos]);
    unsigned need = 0;
    unsigned lo = 0x80, hi = 0xBF; // allowed range of the second byte
    char32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        cp = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0;
        else if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        cp = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        return Utf8Char{CharClass::Other, 1, U'\uFFFD'};
    }
    for (unsigned i = 1; i <= need; ++i) {
        const unsigned min = i == 1 ? lo : 0x80u;
        const unsigned max = i == 1 ? hi : 0xBFu;
        const unsigned b = pos + i < text.size() ? static_cast<unsigned char>(text[pos + i]) : 0u;
        if (pos + i >= text.size() || b < min || b > max)
            return Utf8Char{CharClass::Other, static_cast<std::uint8_t>(i), U'\uFFFD'};
        cp = (cp << 6) | (b & 0x3F);
    }
    return Utf8Char{charClass(cp), static_cast<std::uint8_t>(need + 1), cp};
}

} // namespace

CharClass charClass(char32_t codePoint)
{
    if (codePoint > 0x10FFFF)
        return CharClass::Other;
    const std::size_t block = kClassBlockIndex[codePoint / kClassBlockSize];
    return static_cast<CharClass>(kClassBlocks[block * kClassBlockSize + codePoint % kClassBlockSize]);
}

const char *charClassUnicodeVersion()
{
    return kUnicodeClassVersion;
}

Utf8Char readNonAsciiUtf8Char(std::string_view text, std::size_t pos)
{
    return readMultiByte(text, pos);
}

bool isWellFormedUtf8(std::string_view text)
{
    for (std::size_t pos = 0; pos < text.size();) {
        const unsigned char b = static_cast<unsigned char>(text[pos]);
        if (b < 0x80) {
            ++pos;
            continue;
        }
        const Utf8Char c = readMultiByte(text, pos);
        if (c.codePoint == U'\uFFFD' && text.substr(pos, 3) != "\xEF\xBF\xBD")
            return false;
        pos += c.length;
    }
    return true;
}

} // namespace rag
