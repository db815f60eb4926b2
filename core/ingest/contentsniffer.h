#pragma once
// Looks at the first bytes of a file to tell what it really is, whatever its
// extension says: known binary magic numbers (PNG, ZIP, ELF, ...), PDF, and
// binary-looking content (NUL bytes, many control bytes) in a would-be text file.
// Pure functions over a byte view, thread-safe.
#include <optional>
#include <string>
#include <string_view>

namespace rag {

// How much of a file the binary heuristics look at.
inline constexpr std::size_t kSniffBytes = 64 * 1024;

bool hasPdfMagic(std::string_view bytes);
bool hasZipMagic(std::string_view bytes);

// "PNG image", "ZIP archive", "ELF executable", ... when the bytes start with a
// well-known binary signature; nullopt otherwise (text, PDF and unknown data).
std::optional<std::string> binaryMagicName(std::string_view bytes);

// Why the first kSniffBytes of an 8-bit or UTF-8 text do not look like text
// ("contains NUL bytes (first at byte 17)", "42% control bytes"); nullopt when
// they do. Not for UTF-16/32, whose ASCII characters carry NUL bytes.
std::optional<std::string> binaryContentReason(std::string_view bytes);

} // namespace rag
