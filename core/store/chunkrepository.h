#pragma once
// ChunkRepository: named chunk sets (a chunker config each) and their chunks.
//
// A chunk stores only offsets into its document's text plus the hash of its
// text; the text itself is always sliced from the document, so it cannot drift.
// A chunk set remembers which version (content hash) of each document it
// chunked: documents added or changed since are "pending", and a refresh
// rechunks only those. Used on the thread that owns the Database.
#include "core/common/result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rag {

class Database;

struct ChunkSetInfo {
    std::int64_t id = 0;
    std::string name;
    std::string configJson;
    std::string configHash;
    std::int64_t chunks = 0;
    std::int64_t documents = 0;      // documents chunked at their current version
    std::int64_t pending = 0;        // documents new or changed since they were chunked
    std::string updatedAt;
};

struct ChunkRecord {
    std::int64_t id = 0;
    std::int64_t documentId = 0;
    int ordinal = 0;
    std::int64_t start = 0;          // [start, end) UTF-8 byte offsets into the document text
    std::int64_t end = 0;
    std::string headingPath;
    std::string textHash;
};

struct PendingDocument {
    std::int64_t documentId = 0;
    std::string contentHash;
};

class ChunkRepository {
public:
    explicit ChunkRepository(const Database &db) : m_db(db) {}

    // Creates the chunk set, or returns the existing one when the config matches;
    // a name reused with another config is an InvalidArgument error.
    Result<std::int64_t> ensureChunkSet(const std::string &name, const std::string &configJson,
                                        const std::string &configHash) const;
    Result<ChunkSetInfo> find(const std::string &name) const;  // NotFound names the known sets
    Result<std::vector<ChunkSetInfo>> list() const;
    Result<void> remove(std::int64_t chunkSetId) const;

    Result<std::vector<PendingDocument>> pending(std::int64_t chunkSetId) const;

    // Replaces one document's chunks; call inside a transaction for batches.
    Result<void> storeChunks(std::int64_t chunkSetId, std::int64_t documentId, const std::string &contentHash,
                             const std::vector<ChunkRecord> &chunks) const;
    Result<void> touch(std::int64_t chunkSetId) const;

    // Chunks per document in a set (documents without chunks are absent), counted by
    // SQLite rather than by loading every chunk row.
    Result<std::unordered_map<std::int64_t, std::int64_t>> countsByDocument(std::int64_t chunkSetId) const;
    Result<std::vector<ChunkRecord>> chunks(std::int64_t chunkSetId) const;
    Result<std::vector<ChunkRecord>> chunksOfDocument(std::int64_t chunkSetId, std::int64_t documentId) const;
    Result<ChunkRecord> chunk(std::int64_t chunkId) const;

    // Calls visit(chunk, text) for every chunk of the set in (document, ordinal) order.
    Result<void> forEachChunkText(std::int64_t chunkSetId,
                                  const std::function<bool(const ChunkRecord &, std::string_view)> &visit) const;

    // Hash of the set's contents (every chunk's document, offsets and text hash):
    // an index built at another state is stale.
    Result<std::string> state(std::int64_t chunkSetId) const;

private:
    const Database &m_db;
};

} // namespace rag
