#include "core/store/schema.h"

#include "core/store/database.h"

#include <string>
#include <vector>

namespace rag {
namespace {

// Migration N (1-based) takes a file from version N-1 to N. Never edit a
// released migration: add a new one.
const std::vector<const char *> &migrations()
{
    static const std::vector<const char *> steps = {
        // 1: the initial schema.
        R"SQL(
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            format TEXT NOT NULL DEFAULT '',
            file_hash TEXT NOT NULL DEFAULT '',
            byte_size INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,              -- imported | failed
            error_code TEXT NOT NULL DEFAULT '',
            error_detail TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL);
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            external_id TEXT NOT NULL DEFAULT '',
            doc_key TEXT NOT NULL UNIQUE,      -- external_id, or the source path for whole-file documents
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL,
            UNIQUE (source_id, external_id));
        CREATE TABLE record_errors (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            location TEXT NOT NULL,
            detail TEXT NOT NULL);
        CREATE TABLE chunk_sets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            config_json TEXT NOT NULL,
            config_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE chunked_documents (       -- which version of a document a chunk set holds
            chunk_set_id INTEGER NOT NULL REFERENCES chunk_sets(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,
            PRIMARY KEY (chunk_set_id, document_id)) WITHOUT ROWID;
        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            chunk_set_id INTEGER NOT NULL REFERENCES chunk_sets(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            start_offset INTEGER NOT NULL,     -- [start, end) UTF-8 byte offsets into documents.text
            end_offset INTEGER NOT NULL,
            heading_path TEXT NOT NULL DEFAULT '',
            text_hash TEXT NOT NULL);
        CREATE INDEX chunks_by_set_document ON chunks(chunk_set_id, document_id, ordinal);
        CREATE TABLE embedders (               -- fitted state of embedders that have one (lexical IDF)
            key TEXT PRIMARY KEY,
            identity_json TEXT NOT NULL,
            state BLOB);
        CREATE TABLE vectors (                 -- the content-addressed embedding cache
            embedder_key TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (embedder_key, text_hash)) WITHOUT ROWID;
        CREATE TABLE indexes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,                -- bm25 | hnsw | flat
            chunk_set_id INTEGER NOT NULL REFERENCES chunk_sets(id) ON DELETE CASCADE,
            embedder_key TEXT NOT NULL DEFAULT '',
            identity_json TEXT NOT NULL,
            file_path TEXT NOT NULL DEFAULT '',
            chunk_state TEXT NOT NULL,         -- hash of the chunk set's contents at build time
            built_at TEXT NOT NULL,
            build_ms INTEGER NOT NULL,
            size_bytes INTEGER NOT NULL);
        CREATE TABLE eval_sets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            split TEXT NOT NULL DEFAULT '',
            hash TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (name, split, hash));
        CREATE TABLE eval_queries (
            eval_set_id INTEGER NOT NULL REFERENCES eval_sets(id) ON DELETE CASCADE,
            query_id TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (eval_set_id, query_id)) WITHOUT ROWID;
        CREATE TABLE eval_judgments (          -- relevance against the source, never against chunks
            eval_set_id INTEGER NOT NULL REFERENCES eval_sets(id) ON DELETE CASCADE,
            query_id TEXT NOT NULL,
            doc_key TEXT NOT NULL,
            relevance INTEGER NOT NULL,
            span_start INTEGER,                -- NULL for document-level judgments
            span_end INTEGER);
        CREATE INDEX eval_judgments_by_query ON eval_judgments(eval_set_id, query_id);
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            config_json TEXT NOT NULL,
            config_hash TEXT NOT NULL,
            eval_set_id INTEGER REFERENCES eval_sets(id) ON DELETE SET NULL,
            eval_set_hash TEXT NOT NULL,
            engine_version TEXT NOT NULL,
            metrics_json TEXT NOT NULL,
            report_json TEXT NOT NULL);
        )SQL",
        // 2: QA sets carry an optional reference answer per query (LLM-judged context
        // recall needs it); NULL for queries without one and for sets stored before.
        R"SQL(
        ALTER TABLE eval_queries ADD COLUMN reference_answer TEXT;
        )SQL",
    };
    return steps;
}

} // namespace

Result<int> schemaVersion(const Database &db)
{
    auto stmt = db.prepare("PRAGMA user_version");
    if (!stmt)
        return std::unexpected(stmt.error());
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    return int(stmt->columnInt(0));
}

Result<void> migrateSchema(const Database &db)
{
    auto version = schemaVersion(db);
    if (!version)
        return std::unexpected(version.error());
    if (*version > kSchemaVersion) {
        return fail(ErrorCode::SchemaTooNew,
                    "the project was written by a newer RAG Workbench (schema version "
                        + std::to_string(*version) + ", this build reads up to "
                        + std::to_string(kSchemaVersion) + "); open it with a newer build",
                    db.path());
    }
    auto appId = db.prepare("PRAGMA application_id");
    if (!appId)
        return std::unexpected(appId.error());
    if (auto row = appId->step(); !row)
        return std::unexpected(row.error());
    const auto existingId = appId->columnInt(0);
    if (*version > 0 && existingId != kApplicationId)
        return fail(ErrorCode::Corrupt, "this SQLite file is not a RAG Workbench project", db.path());
    if (*version == 0) {
        auto tables = db.prepare("SELECT count(*) FROM sqlite_master");
        if (!tables)
            return std::unexpected(tables.error());
        if (auto row = tables->step(); !row)
            return std::unexpected(row.error());
        if (tables->columnInt(0) > 0)
            return fail(ErrorCode::Corrupt, "this SQLite file is not a RAG Workbench project", db.path());
    }

    const auto &steps = migrations();
    for (int next = *version + 1; next <= kSchemaVersion; ++next) {
        auto tx = db.begin();
        if (!tx)
            return std::unexpected(tx.error());
        if (auto ok = db.exec(steps[std::size_t(next - 1)]); !ok)
            return ok;
        if (auto ok = db.exec("PRAGMA user_version = " + std::to_string(next)
                              + "; PRAGMA application_id = " + std::to_string(kApplicationId));
            !ok)
            return ok;
        if (auto ok = (*tx)->commit(); !ok)
            return ok;
    }
    return {};
}

} // namespace rag
