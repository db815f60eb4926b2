#include "core/store/indexcatalog.h"

#include "core/store/database.h"

namespace rag {

namespace {
constexpr const char *kColumns =
    "SELECT i.id, i.name, i.kind, i.chunk_set_id, cs.name, i.embedder_key, i.identity_json, i.file_path, "
    "i.chunk_state, i.built_at, i.build_ms, i.size_bytes FROM indexes i JOIN chunk_sets cs ON cs.id = i.chunk_set_id ";

IndexRecord readRecord(const Statement &s)
{
    return IndexRecord{s.columnInt(0), s.columnText(1), s.columnText(2), s.columnInt(3), s.columnText(4),
                       s.columnText(5), s.columnText(6), s.columnText(7), s.columnText(8), s.columnText(9),
                       s.columnInt(10), s.columnInt(11)};
}
} // namespace

Result<std::int64_t> IndexCatalog::upsert(const IndexRecord &r) const
{
    auto stmt = m_db.prepare(
        "INSERT INTO indexes(name, kind, chunk_set_id, embedder_key, identity_json, file_path, chunk_state, built_at, "
        "build_ms, size_bytes) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
        "kind = excluded.kind, chunk_set_id = excluded.chunk_set_id, embedder_key = excluded.embedder_key, "
        "identity_json = excluded.identity_json, file_path = excluded.file_path, chunk_state = excluded.chunk_state, "
        "built_at = excluded.built_at, build_ms = excluded.build_ms, size_bytes = excluded.size_bytes RETURNING id");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, r.name).bind(2, r.kind).bind(3, r.chunkSetId).bind(4, r.embedderKey).bind(5, r.identityJson)
        .bind(6, r.filePath).bind(7, r.chunkState).bind(8, r.builtAt).bind(9, r.buildMs).bind(10, r.sizeBytes);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    return stmt->columnInt(0);
}

Result<IndexRecord> IndexCatalog::find(const std::string &name) const
{
    auto stmt = m_db.prepare(std::string(kColumns) + "WHERE i.name = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, name);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    if (*row)
        return readRecord(*stmt);
    std::string known;
    if (auto all = list(); all)
        for (const auto &r : *all)
            known += (known.empty() ? "" : ", ") + r.name;
    return fail(ErrorCode::NotFound,
                "no index named '" + name + "'" + (known.empty() ? " (build one with `ragwb index`)" : " (known: " + known + ")"),
                m_db.path());
}

Result<std::vector<IndexRecord>> IndexCatalog::list() const
{
    auto stmt = m_db.prepare(std::string(kColumns) + "ORDER BY i.id");
    return collectRows(std::move(stmt), [](const Statement &row) { return readRecord(row); });
}

Result<void> IndexCatalog::remove(const std::string &name) const
{
    auto stmt = m_db.prepare("DELETE FROM indexes WHERE name = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    return stmt->bind(1, name).run();
}

} // namespace rag
