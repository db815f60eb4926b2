#pragma once
// The entry point of ingestion: one file in, normalised documents or one clear
// error out. Dispatches by extension to the per-format loaders, except where
// the content shows the extension lies (a PDF signature in any file; an HTML
// document saved as .txt). Never throws; every error's source is the path (or
// "path:line" for record errors). Thread-safe: call it from job threads freely.
//
// Supported: .txt .text -> txt; .md .markdown -> md; .html .htm .xhtml -> html;
// .pdf; .docx; .csv .tsv -> csv; .jsonl .ndjson -> jsonl (or beir).
#include "core/common/result.h"
#include "core/ingest/sourcedocument.h"

#include <string>

namespace rag {

// The format a path's extension maps to ("txt", "md", "html", "pdf", "docx",
// "csv", "jsonl"), or "" when unsupported. Case-insensitive.
std::string formatForPath(const std::string &path);

bool isSupportedFile(const std::string &path);

// Errors: Io (missing, a directory, a broken link, unreadable), Unsupported
// (extension), TooLarge (over maxFileBytes, checked before reading; or a
// document over maxDocumentChars), Empty (no bytes, only white space, a PDF
// without a text layer, or records none of which loaded), Binary (binary
// content in a text format), Corrupt (damaged PDF or docx), Parse (a record
// file none of whose records parsed: the first record's error).
Result<LoadedFile> loadFile(const std::string &path, const LoadOptions &options = {});

} // namespace rag
