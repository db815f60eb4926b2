#pragma once
// What every per-format loader shares: its input (RawFile) and the last step
// every document goes through (finishDocument: normalisation and limits).
//
// Each loader is a class with one static entry point,
//   static Result<void> load(RawFile &&raw, const LoadOptions &options, LoadedFile &out);
// that appends documents and record errors to `out` (whose path, format, hash
// and size loadFile has already filled in) or fails the whole file. Loaders
// keep no state between calls, so any thread may call them concurrently.
#include "core/common/result.h"
#include "core/ingest/sourcedocument.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace rag {

struct RawFile {
    std::string path;   // the path as given; the source of every error
    std::string bytes;  // the whole file
};

// Normalises text (normaliseText) and title (normaliseTitle) and checks the
// document: Empty when neither text nor title holds anything but white space
// (`allowTitleOnly`) or the text is blank (otherwise), TooLarge over
// maxDocumentChars. `what` names the thing in the detail ("the file", "record").
Result<SourceDocument> finishDocument(SourceDocument doc, const LoadOptions &options,
                                      const std::string &source, std::string_view what,
                                      bool allowTitleOnly = false);

// Compact JSON text that never throws: invalid UTF-8 in strings becomes U+FFFD.
std::string dumpJson(const nlohmann::json &value);

// Shorthand for a record error: source "path:line".
Error recordError(ErrorCode code, const std::string &path, std::int64_t line, std::string detail);

} // namespace rag
