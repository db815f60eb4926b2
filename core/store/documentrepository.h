#pragma once
// DocumentRepository: the documents of a project and the files they came from.
//
// Importing a LoadedFile is one transaction: a crash mid-import leaves the whole
// file or none of it. Re-importing an unchanged file is a no-op; a changed file
// replaces the documents whose content changed, removes the ones that are gone,
// and drops their chunks so every chunk set sees them as stale. A file that
// failed to load is recorded with its error and keeps what it had imported before.
// Used on the thread that owns the Database.
#include "core/common/result.h"
#include "core/ingest/sourcedocument.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rag {

class Database;

enum class ImportStatus { Imported, Unchanged, Replaced, Failed };
const char *importStatusName(ImportStatus status);

struct ImportOutcome {
    std::string path;
    ImportStatus status = ImportStatus::Imported;
    int added = 0;
    int replaced = 0;
    int unchanged = 0;
    int removed = 0;
    std::vector<Error> recordErrors;  // per-record problems (line, row, duplicate id)
    Error error;                      // set when status == Failed
};

struct DocumentInfo {
    std::int64_t id = 0;
    std::string docKey;       // the id relevance judgments use: external id, else the source path
    std::string title;
    std::string sourcePath;
    std::string format;
    std::int64_t textBytes = 0;
    std::string contentHash;
};

struct SourceInfo {
    std::string path;
    std::string format;
    std::string status;       // imported | failed
    std::string errorCode;
    std::string errorDetail;
    std::int64_t documents = 0;
};

class DocumentRepository {
public:
    explicit DocumentRepository(const Database &db) : m_db(db) {}

    Result<ImportOutcome> importFile(const LoadedFile &file) const;
    Result<ImportOutcome> recordFailure(const std::string &path, const Error &error) const;

    Result<std::vector<DocumentInfo>> list() const;
    Result<std::vector<SourceInfo>> sources() const;
    Result<std::int64_t> count() const;
    Result<std::string> text(std::int64_t documentId) const;
    Result<DocumentInfo> info(std::int64_t documentId) const;

    // The text a document is stored and chunked as: "title\n\nbody" for records
    // whose title is a separate field (BEIR, CSV, JSONL), else the body.
    static std::string composeText(const SourceDocument &doc, const std::string &format);

private:
    const Database &m_db;
};

} // namespace rag
