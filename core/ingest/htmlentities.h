#pragma once
// HTML character references: named (&amp; &eacute; &hellip; ...), decimal
// (&#233;) and hexadecimal (&#xE9;), with the HTML5 error handling (a missing
// ';' after legacy names and numbers, U+FFFD for invalid code points,
// Windows-1252 for &#128;-&#159;). Unknown names stay as written.
// Pure functions, thread-safe.
#include <string>
#include <string_view>

namespace rag {

std::string decodeHtmlEntities(std::string_view text);

// Same, appending to `out` (the HTML text extractor's hot path).
void appendHtmlDecoded(std::string &out, std::string_view text);

} // namespace rag
