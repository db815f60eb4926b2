#include "core/store/documentrepository.h"

#include "core/common/hashing.h"
#include "core/common/logging.h"
#include "core/store/database.h"
#include "core/store/project.h"

#include <map>
#include <set>

namespace rag {

const char *importStatusName(ImportStatus status)
{
    switch (status) {
    case ImportStatus::Imported: return "imported";
    case ImportStatus::Unchanged: return "unchanged";
    case ImportStatus::Replaced: return "replaced";
    case ImportStatus::Failed: return "failed";
    }
    return "unknown";
}

std::string DocumentRepository::composeText(const SourceDocument &doc, const std::string &format)
{
    const bool separateTitle = format == "beir" || format == "csv" || format == "jsonl";
    if (separateTitle && !doc.title.empty())
        return doc.text.empty() ? doc.title : doc.title + "\n\n" + doc.text;
    return doc.text;
}

namespace {

struct ExistingDocument {
    std::int64_t id;
    std::string contentHash;
};

Result<std::int64_t> upsertSource(const Database &db, const LoadedFile &file)
{
    auto stmt = db.prepare(
        "INSERT INTO sources(path, format, file_hash, byte_size, status, imported_at) "
        "VALUES(?, ?, ?, ?, 'imported', ?) ON CONFLICT(path) DO UPDATE SET format = excluded.format, "
        "file_hash = excluded.file_hash, byte_size = excluded.byte_size, status = 'imported', "
        "error_code = '', error_detail = '', imported_at = excluded.imported_at RETURNING id");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, file.path).bind(2, file.format).bind(3, file.fileHash).bind(4, file.byteSize).bind(5, nowIso());
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    return stmt->columnInt(0);
}

Result<std::map<std::string, ExistingDocument>> existingDocuments(const Database &db, std::int64_t sourceId)
{
    std::map<std::string, ExistingDocument> existing;
    auto stmt = db.prepare("SELECT external_id, id, content_hash FROM documents WHERE source_id = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, sourceId);
    auto read = stmt->forEachRow(
        [&](const Statement &row) { existing[row.columnText(0)] = {row.columnInt(1), row.columnText(2)}; });
    if (!read)
        return std::unexpected(read.error());
    return existing;
}

} // namespace

Result<ImportOutcome> DocumentRepository::importFile(const LoadedFile &file) const
{
    ImportOutcome outcome;
    outcome.path = file.path;
    outcome.recordErrors = file.recordErrors;

    // Whole-file no-op: same bytes as the last successful import.
    {
        auto stmt = m_db.prepare("SELECT file_hash, status FROM sources WHERE path = ?");
        if (!stmt)
            return std::unexpected(stmt.error());
        stmt->bind(1, file.path);
        auto row = stmt->step();
        if (!row)
            return std::unexpected(row.error());
        if (*row && stmt->columnText(0) == file.fileHash && stmt->columnText(1) == "imported") {
            outcome.status = ImportStatus::Unchanged;
            outcome.unchanged = int(file.documents.size());
            return outcome;
        }
    }

    auto tx = m_db.begin();
    if (!tx)
        return std::unexpected(tx.error());
    auto sourceId = upsertSource(m_db, file);
    if (!sourceId)
        return std::unexpected(sourceId.error());
    auto existing = existingDocuments(m_db, *sourceId);
    if (!existing)
        return std::unexpected(existing.error());

    auto insert = m_db.prepare("INSERT INTO documents(source_id, external_id, doc_key, title, text, content_hash, "
                               "metadata, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    auto update = m_db.prepare("UPDATE documents SET title = ?, text = ?, content_hash = ?, metadata = ?, "
                               "updated_at = ? WHERE id = ?");
    auto dropChunks = m_db.prepare("DELETE FROM chunks WHERE document_id = ?");
    auto dropChunked = m_db.prepare("DELETE FROM chunked_documents WHERE document_id = ?");
    auto keyOwner = m_db.prepare("SELECT s.path FROM documents d JOIN sources s ON s.id = d.source_id "
                                 "WHERE d.doc_key = ?");
    for (auto *stmt : {&insert, &update, &dropChunks, &dropChunked, &keyOwner})
        if (!*stmt)
            return std::unexpected(stmt->error());

    const std::string now = nowIso();
    std::set<std::string> seen;
    for (std::size_t i = 0; i < file.documents.size(); ++i) {
        const SourceDocument &doc = file.documents[i];
        const std::string where = file.path + (doc.externalId.empty() ? "" : "#" + doc.externalId);
        if (!seen.insert(doc.externalId).second) {
            outcome.recordErrors.push_back(Error{ErrorCode::InvalidArgument,
                                                 "duplicate record id '" + doc.externalId + "' in the same file; kept the first",
                                                 where});
            continue;
        }
        const std::string text = composeText(doc, file.format);
        const std::string hash = sha256Hex(text);
        const auto found = existing->find(doc.externalId);
        if (found != existing->end()) {
            if (found->second.contentHash == hash) {
                ++outcome.unchanged;
            } else {
                update->bind(1, doc.title).bind(2, text).bind(3, hash).bind(4, doc.metadataJson).bind(5, now)
                    .bind(6, found->second.id);
                if (auto ok = update->run(); !ok)
                    return std::unexpected(ok.error());
                for (auto *drop : {&dropChunks, &dropChunked}) {
                    (*drop)->bind(1, found->second.id);
                    if (auto ok = (*drop)->run(); !ok)
                        return std::unexpected(ok.error());
                }
                ++outcome.replaced;
            }
            existing->erase(found);
            continue;
        }
        const std::string docKey = doc.externalId.empty() ? file.path : doc.externalId;
        keyOwner->bind(1, docKey);
        auto owned = keyOwner->step();
        if (!owned)
            return std::unexpected(owned.error());
        if (*owned) {
            outcome.recordErrors.push_back(Error{ErrorCode::InvalidArgument,
                                                 "document id '" + docKey + "' already imported from "
                                                     + keyOwner->columnText(0) + "; skipped",
                                                 where});
            keyOwner->reset();
            continue;
        }
        keyOwner->reset();
        insert->bind(1, *sourceId).bind(2, doc.externalId).bind(3, docKey).bind(4, doc.title).bind(5, text)
            .bind(6, hash).bind(7, doc.metadataJson.empty() ? std::string("{}") : doc.metadataJson).bind(8, now);
        if (auto ok = insert->run(); !ok)
            return std::unexpected(ok.error());
        ++outcome.added;
    }

    // Records that disappeared from the file.
    auto remove = m_db.prepare("DELETE FROM documents WHERE id = ?");
    if (!remove)
        return std::unexpected(remove.error());
    for (const auto &[externalId, gone] : *existing) {
        remove->bind(1, gone.id);
        if (auto ok = remove->run(); !ok)
            return std::unexpected(ok.error());
        ++outcome.removed;
    }

    auto clearErrors = m_db.prepare("DELETE FROM record_errors WHERE source_id = ?");
    auto addError = m_db.prepare("INSERT INTO record_errors(source_id, location, detail) VALUES(?, ?, ?)");
    if (!clearErrors || !addError)
        return std::unexpected(!clearErrors ? clearErrors.error() : addError.error());
    clearErrors->bind(1, *sourceId);
    if (auto ok = clearErrors->run(); !ok)
        return std::unexpected(ok.error());
    for (const Error &e : outcome.recordErrors) {
        addError->bind(1, *sourceId).bind(2, e.source).bind(3, e.detail);
        if (auto ok = addError->run(); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = (*tx)->commit(); !ok)
        return std::unexpected(ok.error());

    const bool hadBefore = outcome.replaced + outcome.unchanged + outcome.removed > 0;
    outcome.status = hadBefore ? ImportStatus::Replaced : ImportStatus::Imported;
    if (hadBefore && outcome.replaced == 0 && outcome.removed == 0 && outcome.added == 0)
        outcome.status = ImportStatus::Unchanged;
    return outcome;
}

Result<ImportOutcome> DocumentRepository::recordFailure(const std::string &path, const Error &error) const
{
    auto stmt = m_db.prepare(
        "INSERT INTO sources(path, status, error_code, error_detail, imported_at) VALUES(?, 'failed', ?, ?, ?) "
        "ON CONFLICT(path) DO UPDATE SET status = 'failed', error_code = excluded.error_code, "
        "error_detail = excluded.error_detail, file_hash = ''");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, path).bind(2, errorCodeName(error.code)).bind(3, error.detail).bind(4, nowIso());
    if (auto ok = stmt->run(); !ok)
        return std::unexpected(ok.error());
    ImportOutcome outcome;
    outcome.path = path;
    outcome.status = ImportStatus::Failed;
    outcome.error = error;
    return outcome;
}

namespace {
constexpr const char *kDocumentColumns =
    "SELECT d.id, d.doc_key, d.title, s.path, s.format, length(CAST(d.text AS BLOB)), d.content_hash "
    "FROM documents d JOIN sources s ON s.id = d.source_id ";

DocumentInfo readDocumentInfo(const Statement &stmt)
{
    return DocumentInfo{stmt.columnInt(0), stmt.columnText(1), stmt.columnText(2), stmt.columnText(3),
                        stmt.columnText(4), stmt.columnInt(5), stmt.columnText(6)};
}
} // namespace

Result<std::vector<DocumentInfo>> DocumentRepository::list() const
{
    auto stmt = m_db.prepare(std::string(kDocumentColumns) + "ORDER BY d.id");
    return collectRows(std::move(stmt), [](const Statement &row) { return readDocumentInfo(row); });
}

Result<DocumentInfo> DocumentRepository::info(std::int64_t documentId) const
{
    auto stmt = m_db.prepare(std::string(kDocumentColumns) + "WHERE d.id = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, documentId);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, "no document with id " + std::to_string(documentId), m_db.path());
    return readDocumentInfo(*stmt);
}

Result<std::vector<SourceInfo>> DocumentRepository::sources() const
{
    auto stmt = m_db.prepare("SELECT s.path, s.format, s.status, s.error_code, s.error_detail, "
                             "(SELECT count(*) FROM documents d WHERE d.source_id = s.id) FROM sources s ORDER BY s.path");
    return collectRows(std::move(stmt), [](const Statement &row) {
        return SourceInfo{row.columnText(0), row.columnText(1), row.columnText(2),
                          row.columnText(3), row.columnText(4), row.columnInt(5)};
    });
}

Result<std::int64_t> DocumentRepository::count() const
{
    auto stmt = m_db.prepare("SELECT count(*) FROM documents");
    if (!stmt)
        return std::unexpected(stmt.error());
    if (auto row = stmt->step(); !row)
        return std::unexpected(row.error());
    return stmt->columnInt(0);
}

Result<std::string> DocumentRepository::text(std::int64_t documentId) const
{
    auto stmt = m_db.prepare("SELECT text FROM documents WHERE id = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, documentId);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, "no document with id " + std::to_string(documentId), m_db.path());
    return stmt->columnText(0);
}

} // namespace rag
