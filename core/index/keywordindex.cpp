#include "core/index/keywordindex.h"

#include "core/common/logging.h"
#include "core/store/chunkrepository.h"
#include "core/store/database.h"

#include <QElapsedTimer>
#include <QString>

#include <array>
#include <unordered_set>

namespace rag {

namespace {

// Lucene's English stop set (the list Anserini's BM25 baselines use).
bool isStopword(const std::string &term)
{
    static const std::unordered_set<std::string> stop = {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
        "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
        "to", "was", "will", "with"};
    return stop.count(term) > 0;
}

std::string quoteTerm(const std::string &term)
{
    std::string quoted = "\"";
    for (char c : term) {
        quoted += c;
        if (c == '"')
            quoted += '"';
    }
    quoted += '"';
    return quoted;
}

} // namespace

std::string KeywordIndex::tableName(std::int64_t chunkSetId)
{
    return "fts_chunks_" + std::to_string(chunkSetId);
}

std::vector<std::string> KeywordIndex::queryTerms(std::string_view text)
{
    // Split like FTS5's unicode61 tokenizer: runs of letters, digits and marks.
    const QString q = QString::fromUtf8(text.data(), qsizetype(text.size())).toCaseFolded();
    std::vector<std::string> all;
    QString current;
    auto flush = [&] {
        if (!current.isEmpty())
            all.push_back(current.toStdString());
        current.clear();
    };
    for (qsizetype i = 0; i < q.size(); ++i) {
        const QChar c = q.at(i);
        if (c.isLetterOrNumber() || c.isMark() || c.isSurrogate())
            current += c;
        else
            flush();
    }
    flush();
    std::vector<std::string> kept;
    for (const auto &t : all)
        if (!isStopword(t))
            kept.push_back(t);
    return kept.empty() ? all : kept;
}

std::string KeywordIndex::safeMatchExpression(std::string_view text)
{
    std::string expr;
    for (const std::string &term : queryTerms(text)) {
        if (!expr.empty())
            expr += " OR ";
        expr += quoteTerm(term);
    }
    return expr;
}

Result<bool> KeywordIndex::exists(const Database &db, std::int64_t chunkSetId)
{
    auto stmt = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, tableName(chunkSetId));
    return stmt->step();
}

Result<void> KeywordIndex::drop(const Database &db, std::int64_t chunkSetId)
{
    return db.exec("DROP TABLE IF EXISTS " + tableName(chunkSetId));
}

Result<KeywordIndexStats> KeywordIndex::build(const Database &db, const ChunkRepository &chunks,
                                              std::int64_t chunkSetId, const JobContext &ctx)
{
    QElapsedTimer timer;
    timer.start();
    const std::string table = tableName(chunkSetId);
    const std::string fresh = table + "_building";
    auto tx = db.begin();
    if (!tx)
        return std::unexpected(tx.error());
    if (auto ok = db.exec("DROP TABLE IF EXISTS " + fresh + "; CREATE VIRTUAL TABLE " + fresh
                          + " USING fts5(text, content='', tokenize='porter unicode61 remove_diacritics 2');"
                            "INSERT INTO " + fresh + "(" + fresh + ", rank) VALUES('pgsz', 4050);");
        !ok)
        return std::unexpected(ok.error());
    auto insert = db.prepare("INSERT INTO " + fresh + "(rowid, text) VALUES(?, ?)");
    if (!insert)
        return std::unexpected(insert.error());

    KeywordIndexStats stats;
    Result<void> insertError;
    auto visited = chunks.forEachChunkText(chunkSetId, [&](const ChunkRecord &chunk, std::string_view text) {
        if ((stats.chunks & 1023) == 0 && ctx.cancelled())
            return false;
        insert->bind(1, chunk.id).bind(2, text);
        insertError = insert->run();
        if (!insertError)
            return false;
        ++stats.chunks;
        if ((stats.chunks & 4095) == 0)
            ctx.progress(stats.chunks, 0, "BM25 index");
        return true;
    });
    if (!insertError)
        return std::unexpected(insertError.error());
    if (!visited)
        return std::unexpected(visited.error());  // Cancelled: the transaction rolls back
    if (auto ok = db.exec("INSERT INTO " + fresh + "(" + fresh + ") VALUES('optimize');"
                          "DROP TABLE IF EXISTS " + table + "; ALTER TABLE " + fresh + " RENAME TO " + table + ";");
        !ok)
        return std::unexpected(ok.error());
    if (auto ok = (*tx)->commit(); !ok)
        return std::unexpected(ok.error());
    stats.buildMs = timer.elapsed();
    qCDebug(lcIndex) << "BM25 index of chunk set" << chunkSetId << stats.chunks << "chunks in" << stats.buildMs << "ms";
    return stats;
}

Result<std::vector<KeywordHit>> KeywordIndex::search(const Database &db, std::int64_t chunkSetId,
                                                     std::string_view query, int k, QueryMode mode)
{
    const std::string expr = mode == QueryMode::Safe ? safeMatchExpression(query) : std::string(query);
    std::vector<KeywordHit> hits;
    if (expr.empty() || k <= 0)
        return hits;
    const std::string table = tableName(chunkSetId);
    auto stmt = db.prepare("SELECT rowid, bm25(" + table + ") FROM " + table + " WHERE " + table
                           + " MATCH ? ORDER BY bm25(" + table + ") LIMIT ?");
    if (!stmt) {
        if (auto present = exists(db, chunkSetId); present && !*present)
            return fail(ErrorCode::NotFound, "the chunk set has no BM25 index yet; build it with `ragwb index --kind bm25`",
                        db.path());
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, expr).bind(2, k);
    hits.reserve(std::size_t(k));
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            Error e = row.error();
            if (mode == QueryMode::Advanced) {
                e.code = ErrorCode::InvalidArgument;
                e.detail = "not a valid FTS5 query: " + e.detail;
            }
            return std::unexpected(e);
        }
        if (!*row)
            break;
        hits.push_back(KeywordHit{stmt->columnInt(0), -stmt->columnDouble(1)});
    }
    return hits;
}

} // namespace rag
