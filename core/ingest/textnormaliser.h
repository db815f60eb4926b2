#pragma once
// The one text normalisation every ingested document goes through.
//
// normaliseText() is the contract between ingestion and everything that stores
// offsets (chunks, spans, citations): it must be deterministic and idempotent,
// normaliseText(normaliseText(x)) == normaliseText(x). It does exactly this, in
// this order, and nothing else:
//   1. each byte of an ill-formed UTF-8 sequence becomes U+FFFD (a leading
//      U+FEFF is kept: byte order marks are removed by the decoder, from raw
//      file bytes only);
//   2. CRLF and lone CR become LF;
//   3. control characters (general category Cc: U+0000-U+001F and
//      U+007F-U+009F) are dropped, except LF and TAB;
//   4. Unicode NFC.
// Dropping controls before NFC matters: NFC never creates controls or CRs, so
// a second pass finds nothing to change. Pure functions, thread-safe.
#include <cstdint>
#include <string>
#include <string_view>

namespace rag {

std::string normaliseText(std::string_view utf8);

// normaliseText, then every run of white space (including LF, TAB, NBSP) becomes
// one space and the ends are trimmed: titles are single-line labels.
std::string normaliseTitle(std::string_view utf8);

// True when the text has no character other than Unicode white space.
bool isBlankText(std::string_view utf8);

// Number of Unicode code points in valid UTF-8 (bytes that are not continuation bytes).
std::int64_t countCodePoints(std::string_view utf8);

} // namespace rag
