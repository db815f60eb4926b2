#pragma once
// IndexCatalog: the project's index variants — one row per built index with
// its identity (chunk set, embedder, parameters), the file that holds it, the
// chunk-set state it was built from (so staleness is a comparison) and its cost.
// Used on the thread that owns the Database.
#include "core/common/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rag {

class Database;

struct IndexRecord {
    std::int64_t id = 0;
    std::string name;
    std::string kind;            // bm25 | hnsw | flat
    std::int64_t chunkSetId = 0;
    std::string chunkSetName;
    std::string embedderKey;     // empty for bm25
    std::string identityJson;
    std::string filePath;        // empty for bm25 (it lives in the project file)
    std::string chunkState;
    std::string builtAt;
    std::int64_t buildMs = 0;
    std::int64_t sizeBytes = 0;
};

class IndexCatalog {
public:
    explicit IndexCatalog(const Database &db) : m_db(db) {}

    // Inserts or replaces the record with the same name; returns its id.
    Result<std::int64_t> upsert(const IndexRecord &record) const;
    Result<IndexRecord> find(const std::string &name) const;  // NotFound lists the known indexes
    Result<std::vector<IndexRecord>> list() const;
    Result<void> remove(const std::string &name) const;

private:
    const Database &m_db;
};

} // namespace rag
