#include "core/chunking/chunktext.h"

#include "core/chunking/chunksink.h"
#include "core/chunking/fixedchunker.h"
#include "core/chunking/markdownchunker.h"
#include "core/chunking/recursivechunker.h"
#include "core/chunking/sentencechunker.h"
#include "core/chunking/unitmeasure.h"
#include "core/chunking/utf8text.h"
#include "core/common/logging.h"

#include <string>

namespace rag {

Result<std::vector<Chunk>> chunkText(std::string_view utf8Text, const ChunkerConfig &config,
                                     const TokenCounter *tokens)
{
    if (auto valid = config.validate(); !valid)
        return std::unexpected(valid.error());
    if (config.unit == ChunkUnit::Tokens && tokens == nullptr)
        return fail(ErrorCode::InvalidArgument, "token units need a token counter for " + config.encoding,
                    "tokens");
    if (const std::size_t bad = utf8::firstInvalidByte(utf8Text); bad != std::string_view::npos)
        return fail(ErrorCode::Parse, "text is not valid UTF-8", "byte " + std::to_string(bad));

    std::vector<Chunk> chunks;
    // Average chunk advance is size - overlap units of a few bytes each.
    if (config.unit == ChunkUnit::Characters)
        chunks.reserve(utf8Text.size() / std::size_t(config.size - config.overlap) + 1);
    ChunkSink sink(utf8Text, chunks);
    const UnitMeasure measure(utf8Text, config.unit == ChunkUnit::Tokens ? tokens : nullptr);
    const std::size_t end = utf8Text.size();
    switch (config.strategy) {
    case ChunkStrategy::Fixed:
        FixedChunker(config).chunk(measure, sink, 0, end);
        break;
    case ChunkStrategy::Recursive:
        RecursiveChunker(config).chunk(measure, sink, 0, end);
        break;
    case ChunkStrategy::Sentence:
        SentenceChunker(config).chunk(measure, sink, 0, end);
        break;
    case ChunkStrategy::Markdown:
        MarkdownChunker(config).chunk(measure, sink, 0, end);
        break;
    }
    qCDebug(lcChunk) << "chunked" << utf8Text.size() << "bytes into" << chunks.size() << "chunks with"
                     << chunkStrategyName(config.strategy) << config.size << "/" << config.overlap
                     << chunkUnitName(config.unit);
    return chunks;
}

} // namespace rag
