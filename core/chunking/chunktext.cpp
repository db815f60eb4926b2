#include "core/chunking/chunktext.h"

#include "core/chunking/chunksink.h"
#include "core/chunking/fixedchunker.h"
#include "core/chunking/markdownchunker.h"
#include "core/chunking/recursivechunker.h"
#include "core/chunking/sentencechunker.h"
#include "core/chunking/unitmeasure.h"
#include "core/chunking/utf8text.h"
#include "core/common/logging.h"
#include "core/tokenize/bpetokenizer.h"

#include <algorithm>
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
    // The encoding is part of the chunk set's identity: counting with another one
    // would file chunks under a hash that does not describe them.
    if (const auto *bpe = dynamic_cast<const BpeTokenizer *>(tokens);
        bpe && config.unit == ChunkUnit::Tokens && bpe->encodingName() != config.encoding)
        return fail(ErrorCode::Mismatch,
                    "the config counts " + config.encoding + " tokens but the tokenizer is " + bpe->encodingName(),
                    "tokens");
    if (const std::size_t bad = utf8::firstInvalidByte(utf8Text); bad != std::string_view::npos)
        return fail(ErrorCode::Parse, "text is not valid UTF-8", "byte " + std::to_string(bad));

    std::vector<Chunk> chunks;
    // A chunk advances by about size - overlap characters of one byte or more;
    // capped so that a tiny size does not reserve gigabytes up front.
    if (config.unit == ChunkUnit::Characters)
        chunks.reserve(std::min<std::size_t>(utf8Text.size() / std::size_t(config.size - config.overlap) + 1,
                                             std::size_t(1) << 20));
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
