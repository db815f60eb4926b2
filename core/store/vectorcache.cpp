#include "core/store/vectorcache.h"

#include "core/store/database.h"

#include <cstring>

namespace rag {

Result<std::unordered_map<std::string, std::vector<float>>>
VectorCache::get(const std::string &embedderKey, const std::vector<std::string> &textHashes, int dimension) const
{
    auto stmt = m_db.prepare("SELECT vector FROM vectors WHERE embedder_key = ? AND text_hash = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    std::unordered_map<std::string, std::vector<float>> found;
    const std::size_t bytes = std::size_t(dimension) * sizeof(float);
    for (const std::string &hash : textHashes) {
        if (found.count(hash))
            continue;
        stmt->bind(1, embedderKey).bind(2, hash);
        auto row = stmt->step();
        if (!row)
            return std::unexpected(row.error());
        if (*row) {
            const std::string_view blob = stmt->columnBlob(0);
            if (blob.size() != bytes)
                return fail(ErrorCode::Corrupt,
                            "cached vector for " + hash.substr(0, 12) + " has " + std::to_string(blob.size())
                                + " bytes, expected " + std::to_string(bytes),
                            m_db.path());
            std::vector<float> v(static_cast<std::size_t>(dimension));
            std::memcpy(v.data(), blob.data(), bytes);
            found.emplace(hash, std::move(v));
        }
        stmt->reset();
    }
    return found;
}

Result<void> VectorCache::put(const std::string &embedderKey, const std::vector<std::string> &textHashes,
                              const std::vector<float> &vectors, int dimension) const
{
    if (vectors.size() != textHashes.size() * std::size_t(dimension))
        return fail(ErrorCode::Internal, "vector batch size does not match its hashes", m_db.path());
    auto stmt = m_db.prepare("INSERT OR REPLACE INTO vectors(embedder_key, text_hash, vector) VALUES(?, ?, ?)");
    if (!stmt)
        return std::unexpected(stmt.error());
    for (std::size_t i = 0; i < textHashes.size(); ++i) {
        stmt->bind(1, embedderKey).bind(2, textHashes[i])
            .bindBlob(3, vectors.data() + i * std::size_t(dimension), std::size_t(dimension) * sizeof(float));
        if (auto ok = stmt->run(); !ok)
            return ok;
    }
    return {};
}

Result<std::int64_t> VectorCache::count(const std::string &embedderKey) const
{
    auto stmt = m_db.prepare("SELECT count(*) FROM vectors WHERE embedder_key = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, embedderKey);
    if (auto row = stmt->step(); !row)
        return std::unexpected(row.error());
    return stmt->columnInt(0);
}

Result<void> VectorCache::saveEmbedderState(const std::string &embedderKey, const std::string &identityJson,
                                            const std::string &state) const
{
    auto stmt = m_db.prepare("INSERT OR REPLACE INTO embedders(key, identity_json, state) VALUES(?, ?, ?)");
    if (!stmt)
        return std::unexpected(stmt.error());
    return stmt->bind(1, embedderKey).bind(2, identityJson).bindBlob(3, state.data(), state.size()).run();
}

Result<std::string> VectorCache::embedderState(const std::string &embedderKey) const
{
    auto stmt = m_db.prepare("SELECT state FROM embedders WHERE key = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, embedderKey);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? std::string(stmt->columnBlob(0)) : std::string();
}

} // namespace rag
