#pragma once
// Result<T>: the return type of every engine call that can fail.
//
// An Error carries a machine code (for callers that branch), a human detail
// (what went wrong, in words) and a source (the file, line, field or provider
// it concerns). User-facing sentences are composed in ui/ and the CLI from
// these parts. Engine text is UTF-8 std::string throughout: it is the format
// the tokenizer, chunkers, SQLite and JSON all speak, so no conversions happen
// on the hot paths; the GUI converts at its edge with QString::fromStdString.
#include <expected>
#include <string>
#include <utility>

namespace rag {

enum class ErrorCode {
    InvalidArgument,   // a caller passed something malformed
    NotFound,          // a file, row, index or query that does not exist
    Io,                // reading or writing failed
    Parse,             // the input is not in the format it claims
    Unsupported,       // a file type or feature this build cannot handle
    Empty,             // the input has no usable content
    Binary,            // the input looks like binary data, not text
    TooLarge,          // the input exceeds a configured limit
    Corrupt,           // the input is damaged (truncated archive, bad PDF, ...)
    SchemaTooNew,      // a project file written by a newer build
    Database,          // SQLite reported an error
    Mismatch,          // artefacts that do not belong together (embedder/index, dimension)
    Cancelled,         // the job was cancelled by the user
    Network,           // transport-level failure
    Provider,          // a remote provider answered with an error
    Internal,          // a broken invariant inside the engine
};

const char *errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string detail;  // what went wrong, for a human
    std::string source;  // where: "path/to/file.pdf", "queries.jsonl:12", "openai:text-embedding-3-small"

    // "source: detail" (or just the detail when there is no source).
    std::string message() const;
};

template <typename T>
using Result = std::expected<T, Error>;

// Shorthand for the failure branch: `return fail(ErrorCode::Parse, "bad header", path);`
inline std::unexpected<Error> fail(ErrorCode code, std::string detail, std::string source = {})
{
    return std::unexpected<Error>(Error{code, std::move(detail), std::move(source)});
}

} // namespace rag
