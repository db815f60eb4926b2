#pragma once
// Value types that ingestion hands to the rest of the engine.
//
// A file becomes a LoadedFile: its identity (path, format, sha256 of the raw
// bytes, size) and the normalised documents found in it. Whole-file formats
// (txt, md, html, pdf, docx) give one document; record formats (csv, jsonl,
// beir) give one per record. Plain values: copy them across threads freely.
#include "core/common/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rag {

struct SourceDocument {
    // Id inside a multi-record source (BEIR _id, CSV/JSONL id column, or the
    // 1-based record number when the source has no id column); empty for
    // whole-file documents.
    std::string externalId;
    // From the content or the file's own metadata (<title>, first heading, PDF
    // Info, docx core properties, a title column); never made up from the file
    // name, which the caller already has. Whitespace collapsed to single spaces.
    std::string title;
    // Normalised UTF-8 (see normaliseText): every chunk offset points into this.
    std::string text;
    // A JSON object, "{}" when there is nothing to say.
    std::string metadataJson = "{}";
};

struct LoadedFile {
    std::string path;
    std::string format;        // "txt", "md", "html", "pdf", "docx", "csv", "jsonl", "beir"
    std::string fileHash;      // sha256 (lowercase hex) of the raw bytes
    std::int64_t byteSize = 0;
    std::vector<SourceDocument> documents;
    // Per-record problems (source "file:line"); the rest of the file still loaded.
    std::vector<Error> recordErrors;
};

struct LoadOptions {
    // Files larger than this fail with TooLarge before a byte is read. Also the
    // limit for a single part unpacked from a docx archive.
    std::int64_t maxFileBytes = 512LL << 20;
    // A document (or record) whose normalised text has more Unicode code points
    // than this fails with TooLarge rather than being cut silently.
    std::int64_t maxDocumentChars = 64LL << 20;
};

} // namespace rag
