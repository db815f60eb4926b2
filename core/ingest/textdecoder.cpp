#include "core/ingest/textdecoder.h"

#include "core/common/logging.h"
#include "core/ingest/contentsniffer.h"

#include <QString>
#include <QStringDecoder>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

namespace rag {

namespace {

struct Utf8Scan {
    std::size_t validMultibyte = 0;
    std::size_t invalid = 0;
};

bool inRange(unsigned char c, unsigned char lo, unsigned char hi)
{
    return c >= lo && c <= hi;
}

// Well-formed sequences per Unicode Table 3-7; an ill-formed one counts once and
// the scan resumes at the next byte.
Utf8Scan scanUtf8(std::string_view b, bool stopAtFirstError)
{
    Utf8Scan scan;
    const std::size_t n = b.size();
    std::size_t i = 0;
    while (i < n) {
        const auto c = static_cast<unsigned char>(b[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned char lo = 0x80, hi = 0xbf;
        if (inRange(c, 0xc2, 0xdf)) {
            len = 2;
        } else if (inRange(c, 0xe0, 0xef)) {
            len = 3;
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
        } else if (inRange(c, 0xf0, 0xf4)) {
            len = 4;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
        }
        bool ok = len != 0 && i + len <= n;
        if (ok) {
            ok = inRange(static_cast<unsigned char>(b[i + 1]), lo, hi);
            for (std::size_t k = 2; ok && k < len; ++k)
                ok = inRange(static_cast<unsigned char>(b[i + k]), 0x80, 0xbf);
        }
        if (ok) {
            ++scan.validMultibyte;
            i += len;
        } else {
            ++scan.invalid;
            if (stopAtFirstError)
                return scan;
            ++i;
        }
    }
    return scan;
}

// WHATWG index-windows-1252 for 0x80..0x9F; every other byte is its Latin-1 code point.
constexpr std::array<char16_t, 32> kCp1252High{
    0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
    0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xc0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3f)));
    } else {
        out.push_back(char(0xe0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(char(0x80 | (cp & 0x3f)));
    }
}

enum class Unicode { None, Utf8, Utf16LE, Utf16BE, Utf32LE, Utf32BE };

struct Bom {
    Unicode encoding = Unicode::None;
    std::size_t length = 0;
};

Bom detectBom(std::string_view b)
{
    using namespace std::string_view_literals;
    // UTF-32LE's BOM starts with UTF-16LE's, so it is tested first.
    if (b.starts_with("\xff\xfe\x00\x00"sv))
        return {Unicode::Utf32LE, 4};
    if (b.starts_with("\x00\x00\xfe\xff"sv))
        return {Unicode::Utf32BE, 4};
    if (b.starts_with("\xef\xbb\xbf"sv))
        return {Unicode::Utf8, 3};
    if (b.starts_with("\xff\xfe"sv))
        return {Unicode::Utf16LE, 2};
    if (b.starts_with("\xfe\xff"sv))
        return {Unicode::Utf16BE, 2};
    return {};
}

// Mostly-ASCII UTF-16 has a NUL in every other byte and an even length;
// binary data has NULs scattered over both positions, or an odd length.
Unicode detectBomlessUtf16(std::string_view b)
{
    const std::string_view sample = b.substr(0, kSniffBytes & ~std::size_t(1));
    const std::size_t units = sample.size() / 2;
    if (units < 2 || b.size() % 2 != 0)
        return Unicode::None;
    std::size_t evenNul = 0, oddNul = 0;
    for (std::size_t i = 0; i + 1 < sample.size(); i += 2) {
        evenNul += sample[i] == '\0';
        oddNul += sample[i + 1] == '\0';
    }
    const auto mostly = [units](std::size_t count) { return count * 10 >= units * 4; };
    const auto hardly = [units](std::size_t count) { return count * 50 <= units; };
    if (mostly(oddNul) && hardly(evenNul))
        return Unicode::Utf16LE;
    if (mostly(evenNul) && hardly(oddNul))
        return Unicode::Utf16BE;
    return Unicode::None;
}

const char *unicodeName(Unicode u)
{
    switch (u) {
    case Unicode::Utf8: return "utf-8";
    case Unicode::Utf16LE: return "utf-16le";
    case Unicode::Utf16BE: return "utf-16be";
    case Unicode::Utf32LE: return "utf-32le";
    case Unicode::Utf32BE: return "utf-32be";
    case Unicode::None: break;
    }
    return "";
}

QStringConverter::Encoding qtEncoding(Unicode u)
{
    switch (u) {
    case Unicode::Utf16LE: return QStringConverter::Utf16LE;
    case Unicode::Utf16BE: return QStringConverter::Utf16BE;
    case Unicode::Utf32LE: return QStringConverter::Utf32LE;
    case Unicode::Utf32BE: return QStringConverter::Utf32BE;
    case Unicode::Utf8:
    case Unicode::None: break;
    }
    return QStringConverter::Utf8;
}

// The whole input is at hand: a sequence cut off at the end is an error (U+FFFD),
// not state to carry into a next call; a U+FEFF after the removed BOM is content.
constexpr QStringConverter::Flags kDecoderFlags =
    QStringConverter::Flag::ConvertInitialBom | QStringConverter::Flag::Stateless;

// Decodes with Qt, keeping a U+FEFF that follows an already removed BOM, and
// replacing ill-formed input with U+FFFD.
std::string decodeWithQt(std::string_view bytes, QStringDecoder &&decoder)
{
    const QString decoded = decoder.decode(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
    return decoded.toStdString();
}

Result<DecodedText> decodeUnicode(std::string_view body, Unicode u, const std::string &source)
{
    DecodedText out;
    out.encoding = unicodeName(u);
    if (u == Unicode::Utf8) {
        const Utf8Scan scan = scanUtf8(body, true);
        out.text = scan.invalid == 0
            ? std::string(body)
            : decodeWithQt(body, QStringDecoder(QStringConverter::Utf8, kDecoderFlags));
    } else {
        out.text = decodeWithQt(body, QStringDecoder(qtEncoding(u), kDecoderFlags));
    }
    // A wide encoding's NULs are structure; after decoding, they are content.
    if (auto reason = binaryContentReason(out.text))
        return fail(ErrorCode::Binary, std::string("looks like binary data, not text (")
                        + out.encoding + " " + *reason + ")", source);
    return out;
}

std::string lowerAscii(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return char(c >= 'A' && c <= 'Z' ? c + 32 : c);
    });
    return out;
}

bool isWindows1252Alias(const std::string &charset)
{
    // WHATWG maps all of these labels to windows-1252.
    static constexpr std::array<std::string_view, 17> kAliases{
        "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1",
        "iso88591", "latin1", "l1", "us-ascii", "ascii", "ansi_x3.4-1968", "iso-ir-100",
        "csisolatin1", "ibm819", "cp819", "iso-8859-1:1987"};
    return std::find(kAliases.begin(), kAliases.end(), charset) != kAliases.end();
}

// A declared charset that is neither Unicode nor Windows-1252 (koi8-r,
// iso-8859-5, shift_jis, ...) goes through Qt's ICU-backed codecs.
std::optional<DecodedText> decodeDeclared(std::string_view bytes, const std::string &charset)
{
    if (isWindows1252Alias(charset))
        return DecodedText{decodeWindows1252(bytes), "windows-1252"};
    QStringDecoder decoder(charset.c_str(), QStringConverter::Flag::Stateless);
    if (!decoder.isValid())
        return std::nullopt;
    return DecodedText{decodeWithQt(bytes, std::move(decoder)), charset};
}

} // namespace

bool isValidUtf8(std::string_view bytes)
{
    return scanUtf8(bytes, true).invalid == 0;
}

std::string decodeWindows1252(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80)
            out.push_back(char(c));
        else if (c < 0xa0)
            appendUtf8(out, kCp1252High[c - 0x80]);
        else
            appendUtf8(out, c);
    }
    return out;
}

Result<DecodedText> decodeText(std::string &&bytes, const std::string &source,
                               std::string_view declaredCharset)
{
    if (auto magic = binaryMagicName(bytes))
        return fail(ErrorCode::Binary, "looks like a " + *magic + ", not text", source);

    const Bom bom = detectBom(bytes);
    if (bom.encoding != Unicode::None)
        return decodeUnicode(std::string_view(bytes).substr(bom.length), bom.encoding, source);
    if (const Unicode wide = detectBomlessUtf16(bytes); wide != Unicode::None)
        return decodeUnicode(bytes, wide, source);

    if (auto reason = binaryContentReason(bytes))
        return fail(ErrorCode::Binary, "looks like binary data, not text (" + *reason + ")", source);

    const Utf8Scan scan = scanUtf8(bytes, false);
    if (scan.invalid == 0)
        return DecodedText{std::move(bytes), "utf-8"};
    // A few broken sequences among many good ones is damaged UTF-8, not a legacy
    // 8-bit text (where a multi-byte sequence only forms by accident).
    if (scan.validMultibyte >= 10 * scan.invalid) {
        qCWarning(lcIngest) << source.c_str() << ": replaced" << scan.invalid
                            << "ill-formed UTF-8 sequences with U+FFFD";
        return decodeUnicode(bytes, Unicode::Utf8, source);
    }

    std::string charset = lowerAscii(declaredCharset);
    charset.erase(0, charset.find_first_not_of(" \t\"'"));
    charset.erase(charset.find_last_not_of(" \t\"'") + 1);
    // A UTF-8 or UTF-16 declaration on bytes that are not UTF-8 is wrong (an
    // 8-bit document cannot be UTF-16 by the WHATWG rules): detect instead.
    if (!charset.empty() && !charset.starts_with("utf") && charset != "unicode-1-1-utf-8") {
        if (auto declared = decodeDeclared(bytes, charset))
            return std::move(*declared);
        qCWarning(lcIngest) << source.c_str() << ": unknown declared charset" << charset.c_str()
                            << "- decoding as windows-1252";
    }
    return DecodedText{decodeWindows1252(bytes), "windows-1252"};
}

} // namespace rag
