#pragma once
// KeywordIndex: BM25 over a chunk set with SQLite FTS5, inside the project file.
//
// One contentless FTS5 table per chunk set (rowid = chunk id; the text lives in
// the documents, so it is not stored twice), tokenised with Porter stemming over
// unicode61. A (re)build fills a fresh table and swaps it in within one
// transaction, so a cancelled or failed build leaves the previous index usable.
// Any user text is a safe query: it is split into terms, each quoted as an FTS5
// string, and OR-ed, so quotes, *, -, :, NEAR, AND/OR, parentheses and SQL
// metacharacters never raise an error or change the meaning. QueryMode::Advanced
// passes FTS5 syntax through for users who want it.
// Ranking is FTS5's bm25(), computed by the rag_bm25 rank function (registered for
// every SQLite connection the process opens) from a table of per-chunk token counts
// that the build writes beside the FTS5 table ("<table>_lengths"): one blob read per
// query instead of one %_docsize lookup per matching row; same scores, same order.
// Stateless: every call takes the Database of the calling thread.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

class Database;
class ChunkRepository;

struct KeywordHit {
    std::int64_t chunkId = 0;
    double score = 0.0;  // BM25 (higher is better): -bm25() of FTS5, k1 = 1.2, b = 0.75
};

struct KeywordIndexStats {
    std::int64_t chunks = 0;
    std::int64_t buildMs = 0;
};

class KeywordIndex {
public:
    enum class QueryMode { Safe, Advanced };

    static std::string tableName(std::int64_t chunkSetId);

    static Result<KeywordIndexStats> build(const Database &db, const ChunkRepository &chunks,
                                           std::int64_t chunkSetId, const JobContext &ctx);
    static Result<bool> exists(const Database &db, std::int64_t chunkSetId);
    static Result<void> drop(const Database &db, std::int64_t chunkSetId);
    // Bytes the index occupies in the project file (its FTS5 shadow tables and the
    // lengths table), from SQLite's dbstat table.
    static Result<std::int64_t> sizeBytes(const Database &db, std::int64_t chunkSetId);

    static Result<std::vector<KeywordHit>> search(const Database &db, std::int64_t chunkSetId,
                                                  std::string_view query, int k,
                                                  QueryMode mode = QueryMode::Safe);

    // The terms a safe query searches for: letters/digits runs, lower-cased,
    // English stopwords removed (unless the query is nothing but stopwords).
    static std::vector<std::string> queryTerms(std::string_view text);
    // The FTS5 expression for a safe query; empty when the text has no terms.
    static std::string safeMatchExpression(std::string_view text);
};

} // namespace rag
