#include "core/pipeline/chunkbuild.h"

#include "core/chunking/chunktext.h"
#include "core/common/hashing.h"
#include "core/common/logging.h"
#include "core/store/documentrepository.h"
#include "core/store/project.h"
#include "core/tokenize/bpetokenizer.h"

#include <QElapsedTimer>

namespace rag {

Result<std::shared_ptr<const TokenCounter>> tokenCounterFor(const ChunkerConfig &config)
{
    if (config.unit != ChunkUnit::Tokens)
        return std::shared_ptr<const TokenCounter>();
    auto tokenizer = BpeTokenizer::load(config.encoding);
    if (!tokenizer)
        return std::unexpected(tokenizer.error());
    return std::shared_ptr<const TokenCounter>(*tokenizer);
}

Result<ChunkBuildSummary> buildChunkSet(const Project &project, const std::string &name, const ChunkerConfig &config,
                                        const JobContext &ctx)
{
    QElapsedTimer timer;
    timer.start();
    if (auto ok = config.validate(); !ok)
        return std::unexpected(ok.error());
    auto tokens = tokenCounterFor(config);
    if (!tokens)
        return std::unexpected(tokens.error());

    ChunkRepository chunks(project.db());
    DocumentRepository documents(project.db());
    auto setId = chunks.ensureChunkSet(name, config.canonicalJson(), config.hash());
    if (!setId)
        return std::unexpected(setId.error());
    auto pending = chunks.pending(*setId);
    if (!pending)
        return std::unexpected(pending.error());

    ChunkBuildSummary summary;
    constexpr std::size_t kBatch = 256;
    const auto total = std::int64_t(pending->size());
    for (std::size_t begin = 0; begin < pending->size(); begin += kBatch) {
        if (ctx.cancelled())
            return fail(ErrorCode::Cancelled, "chunking cancelled; " + std::to_string(begin) + " of "
                                                  + std::to_string(pending->size()) + " documents were chunked and kept");
        auto tx = project.db().begin();
        if (!tx)
            return std::unexpected(tx.error());
        const std::size_t end = std::min(pending->size(), begin + kBatch);
        for (std::size_t i = begin; i < end; ++i) {
            const PendingDocument &doc = (*pending)[i];
            auto text = documents.text(doc.documentId);
            if (!text)
                return std::unexpected(text.error());
            auto pieces = chunkText(*text, config, tokens->get());
            if (!pieces)
                return std::unexpected(Error{pieces.error().code, pieces.error().detail,
                                             "document " + std::to_string(doc.documentId)});
            std::vector<ChunkRecord> records;
            records.reserve(pieces->size());
            for (const Chunk &c : *pieces) {
                const std::string_view slice = std::string_view(*text).substr(std::size_t(c.start), std::size_t(c.end - c.start));
                records.push_back(ChunkRecord{0, doc.documentId, c.index, c.start, c.end, c.headingPath, sha256Hex(slice)});
            }
            if (auto ok = chunks.storeChunks(*setId, doc.documentId, doc.contentHash, records); !ok)
                return std::unexpected(ok.error());
            summary.chunksWritten += std::int64_t(records.size());
            ++summary.documentsChunked;
        }
        if (auto ok = chunks.touch(*setId); !ok)
            return std::unexpected(ok.error());
        if (auto ok = (*tx)->commit(); !ok)
            return std::unexpected(ok.error());
        ctx.progress(std::int64_t(end), total, "chunking");
    }
    auto info = chunks.find(name);
    if (!info)
        return std::unexpected(info.error());
    summary.chunkSet = *info;
    summary.elapsedMs = timer.elapsed();
    qCDebug(lcChunk) << "chunk set" << name.c_str() << "chunked" << summary.documentsChunked << "documents into"
                     << summary.chunksWritten << "chunks in" << summary.elapsedMs << "ms";
    return summary;
}

} // namespace rag
