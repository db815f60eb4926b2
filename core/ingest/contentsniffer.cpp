#include "core/ingest/contentsniffer.h"

#include <algorithm>
#include <array>

namespace rag {

namespace {

using namespace std::string_view_literals;

struct Magic {
    std::string_view signature;
    const char *name;
};

// Signatures that never start a text file. ZIP covers docx/xlsx/odt/jar too:
// in a .txt they are all equally unreadable.
// The sv literals keep embedded NUL bytes in the signature.
constexpr std::array<Magic, 15> kMagics{{
    {"\x89PNG\r\n\x1a\n"sv, "PNG image"},
    {"PK\x03\x04"sv, "ZIP archive"},
    {"PK\x05\x06"sv, "ZIP archive"},
    {"\x7f" "ELF"sv, "ELF executable"},
    {"GIF87a"sv, "GIF image"},
    {"GIF89a"sv, "GIF image"},
    {"\xff\xd8\xff"sv, "JPEG image"},
    {"\x1f\x8b\x08"sv, "gzip archive"},
    {"\xfd" "7zXZ\x00"sv, "xz archive"},
    {"7z\xbc\xaf\x27\x1c"sv, "7-Zip archive"},
    {"Rar!\x1a\x07"sv, "RAR archive"},
    {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"sv, "OLE compound file (old Office document or encrypted docx)"},
    {"SQLite format 3\x00"sv, "SQLite database"},
    {"\x00\x00\x01\x00"sv, "Windows icon"},
    {"\x28\xb5\x2f\xfd"sv, "zstd archive"},
}};

} // namespace

bool hasPdfMagic(std::string_view bytes)
{
    // The PDF spec allows up to 1024 bytes of junk before the header.
    return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

bool hasZipMagic(std::string_view bytes)
{
    return bytes.starts_with(std::string_view("PK\x03\x04", 4))
        || bytes.starts_with(std::string_view("PK\x05\x06", 4));
}

std::optional<std::string> binaryMagicName(std::string_view bytes)
{
    for (const Magic &magic : kMagics) {
        if (bytes.starts_with(magic.signature))
            return std::string(magic.name);
    }
    // "BZh" alone is plausible text; bzip2 follows it with a block size digit.
    if (bytes.size() > 3 && bytes.starts_with("BZh") && bytes[3] >= '1' && bytes[3] <= '9'
        && bytes.substr(4, 6) == "\x31\x41\x59\x26\x53\x59"sv)
        return std::string("bzip2 archive");
    return std::nullopt;
}

std::optional<std::string> binaryContentReason(std::string_view bytes)
{
    const std::string_view sample = bytes.substr(0, kSniffBytes);
    if (const auto nul = sample.find('\0'); nul != std::string_view::npos)
        return "contains NUL bytes (first at byte " + std::to_string(nul) + ")";
    // Controls that plain text does not use: everything below 0x20 except
    // TAB, LF, VT, FF, CR and ESC (terminal colour codes in logs), plus DEL.
    const auto controls = std::count_if(sample.begin(), sample.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return (c < 0x20 && (c < 0x09 || c > 0x0d) && c != 0x1b) || c == 0x7f;
    });
    if (!sample.empty() && controls * 10 > std::ptrdiff_t(sample.size()))
        return std::to_string(controls * 100 / std::ptrdiff_t(sample.size())) + "% control bytes";
    return std::nullopt;
}

} // namespace rag
