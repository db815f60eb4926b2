#pragma once
// VectorCache: the content-addressed embedding store. A vector is keyed by
// (embedder key, sha256 of the text), so any chunk set, index or rebuild that
// meets the same text with the same embedder reuses it instead of embedding
// again. Also keeps the fitted state of embedders that have one (the lexical
// embedder's IDF table), so queries embed exactly as the index did.
// Used on the thread that owns the Database.
#include "core/common/result.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace rag {

class Database;

class VectorCache {
public:
    explicit VectorCache(const Database &db) : m_db(db) {}

    // The cached vectors among textHashes (each of `dimension` floats).
    Result<std::unordered_map<std::string, std::vector<float>>> get(const std::string &embedderKey,
                                                                    const std::vector<std::string> &textHashes,
                                                                    int dimension) const;
    // Stores rows of `vectors` (row-major, textHashes.size() x dimension). Call inside a transaction.
    Result<void> put(const std::string &embedderKey, const std::vector<std::string> &textHashes,
                     const std::vector<float> &vectors, int dimension) const;
    Result<std::int64_t> count(const std::string &embedderKey) const;

    Result<void> saveEmbedderState(const std::string &embedderKey, const std::string &identityJson,
                                   const std::string &state) const;
    // Empty string when the embedder has no stored state.
    Result<std::string> embedderState(const std::string &embedderKey) const;

private:
    const Database &m_db;
};

} // namespace rag
