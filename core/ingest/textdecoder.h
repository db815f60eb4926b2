#pragma once
// Encoding detection and conversion to UTF-8 for the text formats (txt, md,
// html, csv, jsonl). Order of evidence:
//   1. a byte order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE), which is removed;
//   2. UTF-16 without a BOM, recognised by its NUL pattern (ASCII characters
//      have a zero high byte);
//   3. valid UTF-8 (also UTF-8 with a few damaged sequences, which become U+FFFD);
//   4. a charset the document declares (HTML <meta charset>), when given;
//   5. otherwise Windows-1252, the WHATWG decoding of legacy 8-bit text.
// Binary-looking input (magic numbers, NUL bytes, control bytes) fails with
// Binary. The result is decoded, not normalised. Pure functions, thread-safe.
#include "core/common/result.h"

#include <string>
#include <string_view>

namespace rag {

struct DecodedText {
    std::string text;      // UTF-8, BOM removed
    std::string encoding;  // "utf-8", "utf-16le", "utf-16be", "utf-32le", "utf-32be", "windows-1252", or the declared name
};

// `source` names the file in errors; `declaredCharset` is what the document
// itself claims (empty when it claims nothing).
Result<DecodedText> decodeText(std::string &&bytes, const std::string &source,
                               std::string_view declaredCharset = {});

// Windows-1252 as the WHATWG Encoding Standard defines it: 0x80-0x9F map to
// the typographic characters, and the five unassigned bytes to U+0081 etc.
std::string decodeWindows1252(std::string_view bytes);

// Strict UTF-8 validation (no overlongs, surrogates or code points past U+10FFFF).
bool isValidUtf8(std::string_view bytes);

} // namespace rag
