#pragma once
// Small text-file helpers shared by the eval readers and writers: whole-file
// reads and atomic writes through QFile/QSaveFile (so UTF-8 paths work on every
// platform), and a line splitter that strips CR so CRLF files (SciFact qrels,
// cran.qry) parse like LF files. Stateless, thread-safe.
#include "core/common/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace rag::evalio {

Result<std::string> readTextFile(const std::string &path);

// Writes through a temporary file renamed over `path`, so a crash never leaves
// a half-written report or run file behind.
Result<void> writeTextFile(const std::string &path, std::string_view content);

// Lines without their terminator; a trailing "\r" is removed from each line.
// A final line without a newline is kept; no empty line is invented after a
// final newline. Views point into `text`.
std::vector<std::string_view> splitLines(std::string_view text);

// Splits on runs of spaces and tabs (TREC files, cranqrel).
std::vector<std::string_view> splitWhitespace(std::string_view line);

std::string_view trim(std::string_view text);

// "path:line" for Error::source.
std::string lineSource(const std::string &path, std::size_t lineNumber);

// Strict integer / double parsing: the whole field must be consumed.
bool parseInt(std::string_view field, int &out);
bool parseDouble(std::string_view field, double &out);

// Shortest text that parses back to exactly `value`, in %g style (fixed
// notation unless the exponent is below -4 or large): std::to_chars general.
std::string formatDouble(double value);

} // namespace rag::evalio
