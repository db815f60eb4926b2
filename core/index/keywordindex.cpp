#include "core/index/keywordindex.h"

#include "core/common/logging.h"
#include "core/index/keywordtokenizer.h"
#include "core/store/chunkrepository.h"
#include "core/store/database.h"

#include <QElapsedTimer>
#include <QString>

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <unordered_set>

namespace rag {

namespace {

// FTS5 settings for the one-transaction build: pending terms are flushed only every
// 128 MB (so a build holds up to that much in memory) and nothing is merged until the
// final 'optimize', which leaves one segment. On 100k SciFact chunks (100 MB) that is a
// third less CPU than FTS5's defaults (1 MB flushes, automerge 4). The defaults are
// written back afterwards for any later writer.
constexpr const char *kBulkSettings = "('pgsz', 4050), ('hashsize', 134217728), ('automerge', 0), ('crisismerge', 2000)";
constexpr const char *kDefaultSettings = "('hashsize', 1048576), ('automerge', 4), ('crisismerge', 16)";

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

// ---- rag_bm25: FTS5's bm25() without a B-tree seek per matching row ----------------
//
// bm25() asks FTS5 for each matching row's token count (xColumnSize), which is one
// lookup in the %_docsize table per row: two thirds of a top-10 OR query over 100k
// chunks. rag_bm25(table, 'lengths table') computes the same score with the same
// floating-point operations in the same order, reading the token counts from one blob
// per query that the build copies out of %_docsize; a row missing there, or a missing
// blob, falls back to xColumnSize, so the result never differs from bm25().
constexpr const char *kRankFunction = "rag_bm25";
constexpr double kK1 = 1.2;   // fts5_aux.c
constexpr double kB = 0.75;

// The lengths blobs are little-endian on disk; a plain load on little-endian hosts.
template<typename Unsigned>
Unsigned readLe(const unsigned char *p)
{
    Unsigned v = 0;
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(&v, p, sizeof v);
    } else {
        for (int i = int(sizeof v) - 1; i >= 0; --i)
            v = Unsigned(v << 8) | p[i];
    }
    return v;
}

void appendLe(std::string &out, std::uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out += char((v >> (8 * i)) & 0xff);
}

// Per-query state (FTS5 auxdata): bm25()'s IDF per phrase and average length, and
// the row -> token count table, whose blobs live as long as `lengths` is not reset.
struct RankData {
    RankData() = default;
    RankData(const RankData &) = delete;
    RankData &operator=(const RankData &) = delete;
    ~RankData() { sqlite3_finalize(lengths); }

    std::vector<double> idf;
    std::vector<double> freq;
    double avgdl = 0;
    sqlite3_stmt *lengths = nullptr;
    const unsigned char *rowids = nullptr;  // ascending little-endian int64
    const unsigned char *sizes = nullptr;   // little-endian uint32, same order
    std::size_t count = 0;
    std::size_t cursor = 0;                 // FTS5 visits rows in ascending rowid order

    std::int64_t rowidAt(std::size_t i) const { return std::int64_t(readLe<std::uint64_t>(rowids + 8 * i)); }

    // Token count of `rowid`, or -1 when the table does not have it. Gallops forward
    // from the previous row, so an ascending scan costs O(1) per row, not O(log n).
    std::int64_t size(std::int64_t rowid)
    {
        std::size_t low = cursor < count && rowidAt(cursor) <= rowid ? cursor : 0;
        std::size_t high = low;
        for (std::size_t step = 1; high < count && rowidAt(high) < rowid; step *= 2) {
            low = high + 1;
            high = low + step;
        }
        high = std::min(high, count);
        while (low < high) {  // rows before `low` are below rowid; `high` is at or above it
            const std::size_t middle = low + (high - low) / 2;
            if (rowidAt(middle) < rowid)
                low = middle + 1;
            else
                high = middle;
        }
        cursor = low;
        return low < count && rowidAt(low) == rowid ? std::int64_t(readLe<std::uint32_t>(sizes + 4 * low)) : -1;
    }
};

int countRow(const Fts5ExtensionApi *, Fts5Context *, void *userData)
{
    ++*static_cast<sqlite3_int64 *>(userData);
    return SQLITE_OK;
}

// The lengths blob named by the function's argument; without it every row uses xColumnSize.
void loadLengths(sqlite3 *db, sqlite3_value *table, RankData &data)
{
    const auto *name = reinterpret_cast<const char *>(sqlite3_value_text(table));
    if (!name)
        return;
    const std::string sql = std::string("SELECT rowids, sizes FROM \"") + name + "\"";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &data.lengths, nullptr) != SQLITE_OK
        || sqlite3_step(data.lengths) != SQLITE_ROW)
        return;
    data.rowids = static_cast<const unsigned char *>(sqlite3_column_blob(data.lengths, 0));
    const std::size_t rows = std::size_t(sqlite3_column_bytes(data.lengths, 0)) / 8;
    data.sizes = static_cast<const unsigned char *>(sqlite3_column_blob(data.lengths, 1));
    if (data.rowids && data.sizes && std::size_t(sqlite3_column_bytes(data.lengths, 1)) == rows * 4)
        data.count = rows;
}

// fts5Bm25GetData() of fts5_aux.c, plus the lengths.
int prepareRank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc, sqlite3_value **argv,
                RankData &data)
{
    const int phrases = api->xPhraseCount(fts);
    data.idf.assign(std::size_t(phrases), 0.0);
    data.freq.assign(std::size_t(phrases), 0.0);
    sqlite3_int64 rows = 0;
    sqlite3_int64 tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    data.avgdl = double(tokens) / double(rows);
    for (int i = 0; rc == SQLITE_OK && i < phrases; ++i) {
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(fts, i, &hits, countRow);
        const double idf = std::log((double(rows - hits) + 0.5) / (double(hits) + 0.5));
        data.idf[std::size_t(i)] = idf <= 0.0 ? 1e-6 : idf;
    }
    if (rc == SQLITE_OK && argc > 0)
        loadLengths(sqlite3_context_db_handle(ctx), argv[0], data);
    return rc;
}

void deleteRankData(void *data)
{
    delete static_cast<RankData *>(data);
}

// The score of one row: fts5Bm25Function() of fts5_aux.c with unit column weights.
int rankRow(const Fts5ExtensionApi *api, Fts5Context *fts, RankData &data, double *score)
{
    std::fill(data.freq.begin(), data.freq.end(), 0.0);
    int instances = 0;
    int rc = api->xInstCount(fts, &instances);
    for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
        int phrase = 0;
        int column = 0;
        int offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK)
            data.freq[std::size_t(phrase)] += 1.0;
    }
    std::int64_t tokens = data.count > 0 ? data.size(api->xRowid(fts)) : -1;
    if (rc == SQLITE_OK && tokens < 0) {
        int columnTokens = 0;
        rc = api->xColumnSize(fts, -1, &columnTokens);
        tokens = columnTokens;
    }
    const double length = double(tokens);
    *score = 0.0;
    for (std::size_t i = 0; i < data.freq.size(); ++i)
        *score += data.idf[i] * ((data.freq[i] * (kK1 + 1.0)) / (data.freq[i] + kK1 * (1 - kB + kB * length / data.avgdl)));
    return rc;
}

void rankFunction(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int rc = SQLITE_OK;
    double score = 0.0;
    try {
        auto *data = static_cast<RankData *>(api->xGetAuxdata(fts, 0));
        if (!data) {
            auto fresh = std::make_unique<RankData>();
            rc = prepareRank(api, fts, ctx, argc, argv, *fresh);
            if (rc == SQLITE_OK) {
                data = fresh.release();
                rc = api->xSetAuxdata(fts, data, deleteRankData);  // deletes `data` itself on failure
            }
        }
        if (rc == SQLITE_OK)
            rc = rankRow(api, fts, *data, &score);
    } catch (const std::bad_alloc &) {  // nothing may unwind into SQLite's C frames
        rc = SQLITE_NOMEM;
    } catch (const std::exception &) {
        rc = SQLITE_ERROR;
    }
    if (rc == SQLITE_OK)
        sqlite3_result_double(ctx, -score);
    else
        sqlite3_result_error_code(ctx, rc);
}

// Registered for every connection opened in this process (sqlite3_auto_extension,
// below): a Database hides its sqlite3 handle, and FTS5 functions are per connection.
// Never fails the open: without FTS5 the query falls back to bm25().
int registerRankFunction(sqlite3 *db, char **, const sqlite3_api_routines *)
{
    fts5_api *api = nullptr;
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, static_cast<void *>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (api && api->iVersion >= 2) {
        api->xCreateFunction(api, kRankFunction, nullptr, rankFunction, nullptr);
        registerKeywordTokenizer(api);
    }
    return SQLITE_OK;
}

// Runs before main() in every program that links the keyword index, so it precedes
// the first Project::open.
[[maybe_unused]] const bool kRankFunctionRegistered =
    sqlite3_auto_extension(reinterpret_cast<void (*)()>(registerRankFunction)) == SQLITE_OK;

// ---- build ----------------------------------------------------------------------

std::string lengthsTable(const std::string &table)
{
    return table + "_lengths";
}

// Rows travel to the tokenising thread in batches of this many.
constexpr std::size_t kTokenizeBatchRows = 256;

// Inserts a tokenised batch; rag_porter replays each row's tokens.
Result<void> insertBatch(Statement &insert, const TokenizedBatch &batch)
{
    for (const TokenizedRow &row : batch) {
        const PretokenizedDocument tokens(row.tokens);
        insert.bind(1, row.rowid).bind(2, std::string_view(row.text));
        if (auto ok = insert.run(); !ok)
            return ok;
    }
    return {};
}

// Inserts every chunk of the set; returns how many. The chunks are read and written
// here while a BackgroundTokenizer tokenises the next batch (see keywordtokenizer.h),
// which takes the tokenizer's share of the build off this thread.
Result<std::int64_t> fillTable(const Database &db, const ChunkRepository &chunks, std::int64_t chunkSetId,
                               const std::string &table, const JobContext &ctx)
{
    auto insert = db.prepare("INSERT INTO " + table + "(rowid, text) VALUES(?, ?)");
    if (!insert)
        return std::unexpected(insert.error());
    auto tokenizer = BackgroundTokenizer::start();
    if (!tokenizer)
        return std::unexpected(tokenizer.error());
    std::int64_t count = 0;
    Result<void> insertError;
    TokenizedBatch batch;
    // Keeps two batches with the tokenizer: one in work, one waiting.
    auto drain = [&](std::size_t keep) {
        while (insertError && (*tokenizer)->pending() > keep) {
            auto done = (*tokenizer)->take();
            if (!done) {
                insertError = std::unexpected(done.error());
                break;
            }
            insertError = insertBatch(*insert, *done);
            count += std::int64_t(done->size());
            ctx.progress(count, 0, "BM25 index");
        }
        return bool(insertError);
    };
    std::int64_t read = 0;
    auto visited = chunks.forEachChunkText(chunkSetId, [&](const ChunkRecord &chunk, std::string_view text) {
        if (read++ % std::int64_t(kTokenizeBatchRows) == 0 && ctx.cancelled())
            return false;
        batch.push_back({chunk.id, std::string(text), {}});
        if (batch.size() < kTokenizeBatchRows)
            return true;
        (*tokenizer)->submit(std::move(batch));
        batch = {};
        return drain(2);
    });
    if (visited && insertError && !batch.empty())
        (*tokenizer)->submit(std::move(batch));
    if (visited)
        drain(0);
    if (!insertError)
        return std::unexpected(insertError.error());
    if (!visited)
        return std::unexpected(visited.error());
    return count;
}

// First varint of an FTS5 %_docsize record (SQLite varint): the row's token count.
std::uint32_t docsizeTokens(std::string_view record)
{
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < record.size() && i < 9; ++i) {
        const auto byte = static_cast<unsigned char>(record[i]);
        if (i == 8)
            return std::uint32_t((value << 8) | byte);
        value = (value << 7) | (byte & 0x7f);
        if ((byte & 0x80) == 0)
            break;
    }
    return std::uint32_t(value);
}

// Copies FTS5's per-row token counts into the one-row lengths table rag_bm25 reads.
Result<void> writeLengths(const Database &db, const std::string &table)
{
    auto rows = db.prepare("SELECT id, sz FROM " + table + "_docsize ORDER BY id");
    if (!rows)
        return std::unexpected(rows.error());
    std::string rowids;
    std::string sizes;
    for (;;) {
        auto row = rows->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        appendLe(rowids, std::uint64_t(rows->columnInt(0)), 8);
        appendLe(sizes, docsizeTokens(rows->columnBlob(1)), 4);
    }
    if (auto ok = db.exec("CREATE TABLE " + lengthsTable(table) + "(rowids BLOB NOT NULL, sizes BLOB NOT NULL)"); !ok)
        return ok;
    auto insert = db.prepare("INSERT INTO " + lengthsTable(table) + "(rowids, sizes) VALUES(?, ?)");
    if (!insert)
        return std::unexpected(insert.error());
    return insert->bindBlob(1, rowids.data(), rowids.size()).bindBlob(2, sizes.data(), sizes.size()).run();
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
    const std::string table = tableName(chunkSetId);
    return db.exec("DROP TABLE IF EXISTS " + table + "; DROP TABLE IF EXISTS " + lengthsTable(table) + ";");
}

Result<std::int64_t> KeywordIndex::sizeBytes(const Database &db, std::int64_t chunkSetId)
{
    // The table's own name and its shadow tables ("<table>_data", "_idx", "_docsize",
    // "_config", "_lengths") and their indexes; "_building" tables are not yet the index.
    auto stmt = db.prepare("SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE (name = ?1 OR name GLOB ?1 || '_*') "
                           "AND name NOT GLOB ?1 || '_building*'");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, tableName(chunkSetId));
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? stmt->columnInt(0) : 0;
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
    if (auto ok = db.exec("DROP TABLE IF EXISTS " + fresh + "; DROP TABLE IF EXISTS " + lengthsTable(fresh)
                          + "; CREATE VIRTUAL TABLE " + fresh
                          + " USING fts5(text, content='', tokenize='" + kKeywordTokenizerSpec + "');"
                            "INSERT INTO " + fresh + "(" + fresh + ", rank) VALUES" + kBulkSettings + ";");
        !ok)
        return std::unexpected(ok.error());
    auto filled = fillTable(db, chunks, chunkSetId, fresh, ctx);
    if (!filled)
        return std::unexpected(filled.error());  // Cancelled too: the transaction rolls back
    const qint64 filledMs = timer.elapsed();
    if (auto ok = db.exec("INSERT INTO " + fresh + "(" + fresh + ") VALUES('optimize');"
                          "INSERT INTO " + fresh + "(" + fresh + ", rank) VALUES" + kDefaultSettings + ";");
        !ok)
        return std::unexpected(ok.error());
    const qint64 optimizedMs = timer.elapsed();
    if (auto ok = writeLengths(db, fresh); !ok)
        return std::unexpected(ok.error());
    const qint64 lengthsMs = timer.elapsed();
    if (auto ok = db.exec("DROP TABLE IF EXISTS " + table + "; DROP TABLE IF EXISTS " + lengthsTable(table)
                          + "; ALTER TABLE " + fresh + " RENAME TO " + table + "; ALTER TABLE " + lengthsTable(fresh)
                          + " RENAME TO " + lengthsTable(table) + ";");
        !ok)
        return std::unexpected(ok.error());
    if (auto ok = (*tx)->commit(); !ok)
        return std::unexpected(ok.error());
    const KeywordIndexStats stats{*filled, timer.elapsed()};
    qCDebug(lcIndex) << "BM25 index of chunk set" << chunkSetId << stats.chunks << "chunks in" << stats.buildMs
                     << "ms: insert" << filledMs << "optimize" << optimizedMs - filledMs << "lengths"
                     << lengthsMs - optimizedMs << "swap and commit" << stats.buildMs - lengthsMs;
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
    // rag_bm25 is bm25() with the token counts read once per query; bm25() itself
    // serves a connection without it (see registerRankFunction).
    auto stmt = db.prepare("SELECT rowid, " + std::string(kRankFunction) + "(" + table + ", '" + lengthsTable(table)
                           + "') AS score FROM " + table + " WHERE " + table + " MATCH ? ORDER BY score LIMIT ?");
    if (!stmt)
        stmt = db.prepare("SELECT rowid, bm25(" + table + ") AS score FROM " + table + " WHERE " + table
                          + " MATCH ? ORDER BY score LIMIT ?");
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
