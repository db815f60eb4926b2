#include "ui/chunkpreviewjob.h"

#include "core/pipeline/chunkbuild.h"
#include "core/tokenize/tokencounter.h"
#include "core/workbench.h"

namespace rag {

namespace {

std::size_t codePoints(std::string_view s)
{
    std::size_t n = 0;
    for (char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

} // namespace

Result<ChunkPreviewResult> computeChunkPreview(const std::shared_ptr<const std::string> &text,
                                               const ChunkerConfig &config, const JobContext &ctx)
{
    if (auto ok = config.validate(); !ok)
        return std::unexpected(ok.error());
    auto chunks = Workbench::previewChunks(*text, config);
    if (!chunks)
        return std::unexpected(chunks.error());
    // Hover shows tokens whatever the unit, so a counter is needed either way.
    ChunkerConfig tokenConfig;
    tokenConfig.unit = ChunkUnit::Tokens;
    auto counter = tokenCounterFor(tokenConfig);
    if (!counter)
        return std::unexpected(counter.error());
    ChunkPreviewResult out;
    out.chunks.reserve(chunks->size());
    for (const Chunk &c : *chunks) {
        if (ctx.cancelled())
            return fail(ErrorCode::Cancelled, "preview superseded", "preview");
        const std::string_view piece(text->data() + c.start, std::size_t(c.end - c.start));
        PreviewChunk p{c, *counter ? (*counter)->countTokens(piece) : 0};
        out.lengths.push_back(config.unit == ChunkUnit::Tokens ? double(p.tokens) : double(codePoints(piece)));
        out.chunks.push_back(std::move(p));
    }
    return out;
}

} // namespace rag
