#include "core/pipeline/indexbuild.h"

#include "core/common/logging.h"
#include "core/index/flatindex.h"
#include "core/index/hnswindex.h"
#include "core/index/keywordindex.h"
#include "core/pipeline/embedderfactory.h"
#include "core/store/chunkrepository.h"
#include "core/store/project.h"
#include "core/store/vectorcache.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <cctype>

#include <unordered_map>

namespace rag {

namespace {

struct ChunkVectors {
    std::vector<std::int64_t> labels;
    std::vector<float> rows;
    std::int64_t embedded = 0;
    std::int64_t cached = 0;
};

// Vectors for every chunk of the set, from the cache or the embedder.
Result<ChunkVectors> vectorsFor(const Project &project, std::int64_t chunkSetId, Embedder &embedder,
                                const JobContext &ctx)
{
    const EmbedderIdentity identity = embedder.identity();
    const std::string key = identity.key();
    const int dim = identity.dimension;
    ChunkRepository chunks(project.db());
    VectorCache cache(project.db());

    std::vector<std::string> hashes;
    std::unordered_map<std::string, std::string> missingTexts;  // hash -> text
    ChunkVectors out;
    {
        std::vector<std::pair<std::string, std::string>> all;
        auto visited = chunks.forEachChunkText(chunkSetId, [&](const ChunkRecord &c, std::string_view text) {
            out.labels.push_back(c.id);
            hashes.push_back(c.textHash);
            all.emplace_back(c.textHash, std::string(text));
            return !ctx.cancelled();
        });
        if (!visited)
            return std::unexpected(visited.error());
        auto found = cache.get(key, hashes, dim);
        if (!found)
            return std::unexpected(found.error());
        for (auto &[hash, text] : all)
            if (!found->count(hash))
                missingTexts.emplace(hash, std::move(text));
        out.cached = std::int64_t(hashes.size()) - std::int64_t(missingTexts.size());

        // Embed what is missing, committing each batch to the cache.
        std::vector<std::pair<std::string, std::string>> pending(missingTexts.begin(), missingTexts.end());
        constexpr std::size_t kBatch = 256;
        for (std::size_t begin = 0; begin < pending.size(); begin += kBatch) {
            if (ctx.cancelled())
                return fail(ErrorCode::Cancelled, "embedding cancelled; the vectors computed so far are cached");
            const std::size_t end = std::min(pending.size(), begin + kBatch);
            std::vector<std::string_view> texts;
            std::vector<std::string> batchHashes;
            for (std::size_t i = begin; i < end; ++i) {
                texts.emplace_back(pending[i].second);
                batchHashes.push_back(pending[i].first);
            }
            auto vectors = embedder.embed(texts, JobContext());
            if (!vectors)
                return std::unexpected(vectors.error());
            auto tx = project.db().begin();
            if (!tx)
                return std::unexpected(tx.error());
            if (auto ok = cache.put(key, batchHashes, *vectors, dim); !ok)
                return std::unexpected(ok.error());
            if (auto ok = (*tx)->commit(); !ok)
                return std::unexpected(ok.error());
            for (std::size_t i = 0; i < batchHashes.size(); ++i)
                (*found)[batchHashes[i]] = std::vector<float>(vectors->begin() + std::ptrdiff_t(i * std::size_t(dim)),
                                                              vectors->begin() + std::ptrdiff_t((i + 1) * std::size_t(dim)));
            out.embedded += std::int64_t(batchHashes.size());
            ctx.progress(std::int64_t(end), std::int64_t(pending.size()), "embedding");
        }
        out.rows.reserve(hashes.size() * std::size_t(dim));
        for (const std::string &h : hashes) {
            const auto &v = found->at(h);
            out.rows.insert(out.rows.end(), v.begin(), v.end());
        }
    }
    return out;
}

// Index names may contain ':' and '/'; the file name keeps only safe characters.
std::string fileNameFor(const std::string &indexName)
{
    std::string out;
    for (char c : indexName)
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
    return out;
}

std::int64_t fileSize(const std::string &path)
{
    return QFileInfo(QString::fromStdString(path)).size();
}

} // namespace

std::string defaultIndexName(const IndexBuildSpec &spec)
{
    if (!spec.name.empty())
        return spec.name;
    if (spec.kind == "bm25")
        return spec.chunkSet + ":bm25";
    return spec.chunkSet + ":" + spec.kind + ":" + spec.embedder;
}

Result<bool> isStale(const Project &project, const IndexRecord &record)
{
    ChunkRepository chunks(project.db());
    auto state = chunks.state(record.chunkSetId);
    if (!state)
        return std::unexpected(state.error());
    auto pending = chunks.pending(record.chunkSetId);
    if (!pending)
        return std::unexpected(pending.error());
    return *state != record.chunkState || !pending->empty();
}

Result<IndexBuildSummary> buildIndex(const Project &project, const IndexBuildSpec &spec, const JobContext &ctx)
{
    QElapsedTimer timer;
    timer.start();
    ChunkRepository chunks(project.db());
    IndexCatalog catalog(project.db());
    auto set = chunks.find(spec.chunkSet);
    if (!set)
        return std::unexpected(set.error());
    auto state = chunks.state(set->id);
    if (!state)
        return std::unexpected(state.error());

    IndexBuildSummary summary;
    IndexRecord &record = summary.record;
    record.name = defaultIndexName(spec);
    record.kind = spec.kind;
    record.chunkSetId = set->id;
    record.chunkSetName = set->name;
    record.chunkState = *state;

    if (spec.kind == "bm25") {
        auto stats = KeywordIndex::build(project.db(), chunks, set->id, ctx);
        if (!stats)
            return std::unexpected(stats.error());
        record.identityJson = nlohmann::json{{"kind", "bm25"}, {"chunk_set", set->id}, {"chunker_hash", set->configHash},
                                             {"tokenizer", "porter unicode61 remove_diacritics 2"}, {"k1", 1.2}, {"b", 0.75}}
                                  .dump();
        auto size = KeywordIndex::sizeBytes(project.db(), set->id);
        if (!size)
            return std::unexpected(size.error());
        record.sizeBytes = *size;
    } else if (spec.kind == "hnsw" || spec.kind == "flat") {
        std::string previousKey;
        if (auto previous = catalog.find(record.name); previous)
            previousKey = previous->embedderKey;
        auto embedder = embedderForBuild(project, spec.embedder, set->id, previousKey, spec.refit, spec.baseUrl, ctx);
        if (!embedder)
            return std::unexpected(embedder.error());
        auto vectors = vectorsFor(project, set->id, **embedder, ctx);
        if (!vectors)
            return std::unexpected(vectors.error());
        summary.embedded = vectors->embedded;
        summary.cached = vectors->cached;
        const EmbedderIdentity identity = (*embedder)->identity();
        std::unique_ptr<VectorIndex> index;
        if (spec.kind == "hnsw")
            index = std::make_unique<HnswIndex>(std::to_string(set->id), identity, Metric::Cosine,
                                                HnswParams{spec.M, spec.efConstruction, spec.efSearch, 100});
        else
            index = std::make_unique<FlatIndex>(std::to_string(set->id), identity, Metric::Cosine);
        ctx.progress(0, std::int64_t(vectors->labels.size()), "building " + spec.kind);
        if (auto ok = index->build(vectors->labels, vectors->rows, ctx); !ok)
            return std::unexpected(ok.error());
        auto folder = project.indexFolder();
        if (!folder)
            return std::unexpected(folder.error());
        record.filePath = *folder + "/" + fileNameFor(record.name) + ".idx";
        if (auto ok = index->save(record.filePath, ctx); !ok)
            return std::unexpected(ok.error());
        record.embedderKey = identity.key();
        record.identityJson = index->identity().toJson();
        record.sizeBytes = fileSize(record.filePath);
    } else {
        return fail(ErrorCode::InvalidArgument, "unknown index kind '" + spec.kind + "' (use bm25, hnsw or flat)", "kind");
    }
    record.buildMs = timer.elapsed();
    record.builtAt = nowIso();
    auto id = catalog.upsert(record);
    if (!id)
        return std::unexpected(id.error());
    record.id = *id;
    summary.elapsedMs = record.buildMs;
    qCInfo(lcIndex) << "built" << record.name.c_str() << "in" << record.buildMs << "ms";
    return summary;
}

} // namespace rag
