#pragma once
// Character classes of the GPT pre-tokenizer regexes, and the UTF-8 reader they run on.
//
// The classes are those of the ECMAScript RegExp engine that gpt-tokenizer runs in
// (generated from Node by tests/reference/tokenizer_unicode_table.cjs), not QChar's:
// Qt 6.4 knows Unicode 14 while the reference knows a later version, and every
// code point must land in the same class for the token ids to agree.
// Pure functions over constant tables: callable from any thread.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rag {

enum class CharClass : std::uint8_t {
    Other = 0,        // everything else: punctuation, symbols, controls, unassigned, invalid bytes
    UpperLetter = 1,  // Lu
    LowerLetter = 2,  // Ll
    TitleLetter = 3,  // Lt
    ModifierLetter = 4, // Lm
    OtherLetter = 5,  // Lo
    Mark = 6,         // Mn, Mc, Me
    Number = 7,       // Nd, Nl, No
    Space = 8,        // ECMAScript \s (WhiteSpace and LineTerminator)
};

// The class of one code point; code points above U+10FFFF are Other.
CharClass charClass(char32_t codePoint);

// The Unicode version the class table was generated from (e.g. "17.0").
const char *charClassUnicodeVersion();

// One decoded character of a UTF-8 string. An ill-formed sequence is read as one
// character per maximal subpart (the bytes TextDecoder would turn into one U+FFFD),
// of class Other, which is U+FFFD's class: text is split exactly as gpt-tokenizer
// splits the U+FFFD-decoded string, yet the raw bytes reach the byte-level BPE, so
// encoding never fails and decode(encode(x)) == x for any bytes.
struct Utf8Char {
    CharClass cls = CharClass::Other;
    std::uint8_t length = 0; // bytes, 1..4
    char32_t codePoint = 0;  // U+FFFD for an ill-formed sequence
};

// Non-ASCII part of readUtf8Char(); pos must point at a byte >= 0x80.
Utf8Char readNonAsciiUtf8Char(std::string_view text, std::size_t pos);

// ASCII classes, fixed by ECMAScript (\s is [\t\n\v\f\r ]) and Unicode alike;
// inline so the splitter's hot loop over English text never leaves the header.
constexpr CharClass asciiCharClass(unsigned char c)
{
    if ((c >= 'a' && c <= 'z'))
        return CharClass::LowerLetter;
    if (c >= 'A' && c <= 'Z')
        return CharClass::UpperLetter;
    if (c >= '0' && c <= '9')
        return CharClass::Number;
    if (c == ' ' || (c >= '\t' && c <= '\r'))
        return CharClass::Space;
    return CharClass::Other;
}

inline Utf8Char readUtf8Char(std::string_view text, std::size_t pos)
{
    const unsigned char b0 = static_cast<unsigned char>(text[pos]);
    if (b0 < 0x80)
        return Utf8Char{asciiCharClass(b0), 1, b0};
    return readNonAsciiUtf8Char(text, pos);
}

// True when every byte belongs to a well-formed UTF-8 sequence.
bool isWellFormedUtf8(std::string_view text);

} // namespace rag
