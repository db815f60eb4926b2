#include "core/store/chunkrepository.h"

#include "core/store/database.h"
#include "core/store/project.h"

#include <QCryptographicHash>

namespace rag {

namespace {
constexpr const char *kSetColumns =
    "SELECT cs.id, cs.name, cs.config_json, cs.config_hash, "
    "(SELECT count(*) FROM chunks c WHERE c.chunk_set_id = cs.id), "
    "(SELECT count(*) FROM chunked_documents k JOIN documents d ON d.id = k.document_id "
    "   WHERE k.chunk_set_id = cs.id AND k.content_hash = d.content_hash), "
    "(SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM chunked_documents k "
    "   WHERE k.chunk_set_id = cs.id AND k.document_id = d.id AND k.content_hash = d.content_hash)), "
    "cs.updated_at FROM chunk_sets cs ";

ChunkSetInfo readSet(const Statement &s)
{
    return ChunkSetInfo{s.columnInt(0), s.columnText(1), s.columnText(2), s.columnText(3),
                        s.columnInt(4), s.columnInt(5), s.columnInt(6), s.columnText(7)};
}

constexpr const char *kChunkColumns =
    "SELECT id, document_id, ordinal, start_offset, end_offset, heading_path, text_hash FROM chunks ";

ChunkRecord readChunk(const Statement &s)
{
    return ChunkRecord{s.columnInt(0), s.columnInt(1), int(s.columnInt(2)), s.columnInt(3),
                       s.columnInt(4), s.columnText(5), s.columnText(6)};
}

Result<std::vector<ChunkRecord>> collectChunks(Result<Statement> stmt)
{
    return collectRows(std::move(stmt), [](const Statement &row) { return readChunk(row); });
}
} // namespace

Result<std::int64_t> ChunkRepository::ensureChunkSet(const std::string &name, const std::string &configJson,
                                                     const std::string &configHash) const
{
    auto existing = find(name);
    if (existing) {
        if (existing->configHash != configHash)
            return fail(ErrorCode::InvalidArgument,
                        "chunk set '" + name + "' already exists with another configuration ("
                            + existing->configJson + "); choose another name",
                        m_db.path());
        return existing->id;
    }
    if (existing.error().code != ErrorCode::NotFound)
        return std::unexpected(existing.error());
    auto stmt = m_db.prepare("INSERT INTO chunk_sets(name, config_json, config_hash, created_at, updated_at) "
                             "VALUES(?, ?, ?, ?, ?)");
    if (!stmt)
        return std::unexpected(stmt.error());
    const std::string now = nowIso();
    if (auto ok = stmt->bind(1, name).bind(2, configJson).bind(3, configHash).bind(4, now).bind(5, now).run(); !ok)
        return std::unexpected(ok.error());
    return m_db.lastInsertId();
}

Result<ChunkSetInfo> ChunkRepository::find(const std::string &name) const
{
    auto stmt = m_db.prepare(std::string(kSetColumns) + "WHERE cs.name = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, name);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    if (*row)
        return readSet(*stmt);
    std::string known;
    if (auto all = list(); all) {
        for (const auto &set : *all)
            known += (known.empty() ? "" : ", ") + set.name;
    }
    return fail(ErrorCode::NotFound,
                "no chunk set named '" + name + "'" + (known.empty() ? " (the project has none yet)" : " (known: " + known + ")"),
                m_db.path());
}

Result<std::vector<ChunkSetInfo>> ChunkRepository::list() const
{
    auto stmt = m_db.prepare(std::string(kSetColumns) + "ORDER BY cs.id");
    return collectRows(std::move(stmt), [](const Statement &row) { return readSet(row); });
}

Result<std::unordered_map<std::int64_t, std::int64_t>> ChunkRepository::countsByDocument(std::int64_t chunkSetId) const
{
    auto stmt = m_db.prepare("SELECT document_id, count(*) FROM chunks WHERE chunk_set_id = ? GROUP BY document_id");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, chunkSetId);
    std::unordered_map<std::int64_t, std::int64_t> counts;
    if (auto ok = stmt->forEachRow([&](const Statement &row) { counts.emplace(row.columnInt(0), row.columnInt(1)); });
        !ok)
        return std::unexpected(ok.error());
    return counts;
}

Result<void> ChunkRepository::remove(std::int64_t chunkSetId) const
{
    auto stmt = m_db.prepare("DELETE FROM chunk_sets WHERE id = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    return stmt->bind(1, chunkSetId).run();
}

Result<std::vector<PendingDocument>> ChunkRepository::pending(std::int64_t chunkSetId) const
{
    auto stmt = m_db.prepare("SELECT d.id, d.content_hash FROM documents d WHERE NOT EXISTS ("
                             "SELECT 1 FROM chunked_documents k WHERE k.chunk_set_id = ? AND k.document_id = d.id "
                             "AND k.content_hash = d.content_hash) ORDER BY d.id");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, chunkSetId);
    return collectRows(std::move(stmt),
                       [](const Statement &row) { return PendingDocument{row.columnInt(0), row.columnText(1)}; });
}

Result<void> ChunkRepository::storeChunks(std::int64_t chunkSetId, std::int64_t documentId,
                                          const std::string &contentHash,
                                          const std::vector<ChunkRecord> &chunks) const
{
    auto clear = m_db.prepare("DELETE FROM chunks WHERE chunk_set_id = ? AND document_id = ?");
    auto insert = m_db.prepare("INSERT INTO chunks(chunk_set_id, document_id, ordinal, start_offset, end_offset, "
                               "heading_path, text_hash) VALUES(?, ?, ?, ?, ?, ?, ?)");
    auto mark = m_db.prepare("INSERT INTO chunked_documents(chunk_set_id, document_id, content_hash) VALUES(?, ?, ?) "
                             "ON CONFLICT(chunk_set_id, document_id) DO UPDATE SET content_hash = excluded.content_hash");
    if (!clear || !insert || !mark)
        return std::unexpected(!clear ? clear.error() : !insert ? insert.error() : mark.error());
    if (auto ok = clear->bind(1, chunkSetId).bind(2, documentId).run(); !ok)
        return ok;
    for (const ChunkRecord &c : chunks) {
        insert->bind(1, chunkSetId).bind(2, documentId).bind(3, c.ordinal).bind(4, c.start).bind(5, c.end)
            .bind(6, c.headingPath).bind(7, c.textHash);
        if (auto ok = insert->run(); !ok)
            return ok;
    }
    return mark->bind(1, chunkSetId).bind(2, documentId).bind(3, contentHash).run();
}

Result<void> ChunkRepository::touch(std::int64_t chunkSetId) const
{
    auto stmt = m_db.prepare("UPDATE chunk_sets SET updated_at = ? WHERE id = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    return stmt->bind(1, nowIso()).bind(2, chunkSetId).run();
}

Result<std::vector<ChunkRecord>> ChunkRepository::chunks(std::int64_t chunkSetId) const
{
    auto stmt = m_db.prepare(std::string(kChunkColumns) + "WHERE chunk_set_id = ? ORDER BY document_id, ordinal");
    if (stmt)
        stmt->bind(1, chunkSetId);
    return collectChunks(std::move(stmt));
}

Result<std::vector<ChunkRecord>> ChunkRepository::chunksOfDocument(std::int64_t chunkSetId,
                                                                   std::int64_t documentId) const
{
    auto stmt = m_db.prepare(std::string(kChunkColumns) + "WHERE chunk_set_id = ? AND document_id = ? ORDER BY ordinal");
    if (stmt)
        stmt->bind(1, chunkSetId).bind(2, documentId);
    return collectChunks(std::move(stmt));
}

Result<ChunkRecord> ChunkRepository::chunk(std::int64_t chunkId) const
{
    auto stmt = m_db.prepare(std::string(kChunkColumns) + "WHERE id = ?");
    if (stmt)
        stmt->bind(1, chunkId);
    auto found = collectChunks(std::move(stmt));
    if (!found)
        return std::unexpected(found.error());
    if (found->empty())
        return fail(ErrorCode::NotFound, "no chunk with id " + std::to_string(chunkId), m_db.path());
    return found->front();
}

Result<void> ChunkRepository::forEachChunkText(
    std::int64_t chunkSetId, const std::function<bool(const ChunkRecord &, std::string_view)> &visit) const
{
    auto stmt = m_db.prepare("SELECT c.id, c.document_id, c.ordinal, c.start_offset, c.end_offset, c.heading_path, "
                             "c.text_hash, d.text FROM chunks c JOIN documents d ON d.id = c.document_id "
                             "WHERE c.chunk_set_id = ? ORDER BY c.document_id, c.ordinal");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, chunkSetId);
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            return {};
        const ChunkRecord chunk = readChunk(*stmt);
        const std::string_view text = stmt->columnTextView(7);
        if (chunk.end > std::int64_t(text.size()) || chunk.start > chunk.end)
            return fail(ErrorCode::Corrupt, "chunk " + std::to_string(chunk.id) + " lies outside its document",
                        m_db.path());
        if (!visit(chunk, text.substr(std::size_t(chunk.start), std::size_t(chunk.end - chunk.start))))
            return fail(ErrorCode::Cancelled, "cancelled", m_db.path());
    }
}

Result<std::string> ChunkRepository::state(std::int64_t chunkSetId) const
{
    auto stmt = m_db.prepare("SELECT id, document_id, start_offset, end_offset, text_hash FROM chunks "
                             "WHERE chunk_set_id = ? ORDER BY id");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, chunkSetId);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    auto hashed = stmt->forEachRow([&](const Statement &row) {
        const std::string line = std::to_string(row.columnInt(0)) + ":" + std::to_string(row.columnInt(1)) + ":"
            + std::to_string(row.columnInt(2)) + ":" + std::to_string(row.columnInt(3)) + ":" + row.columnText(4)
            + "\n";
        hash.addData(QByteArrayView(line.data(), qsizetype(line.size())));
    });
    if (!hashed)
        return std::unexpected(hashed.error());
    return hash.result().toHex().toStdString();
}

} // namespace rag
