#pragma once
// SentenceChunker: packs whole sentences (SentenceSegmenter) into chunks of at
// most `size` units; consecutive chunks share whole trailing sentences worth at
// most `overlap` units. A sentence longer than `size` is cut by RecursiveChunker
// with the config's separators. Chunks are trimmed of surrounding whitespace.
// Immutable after construction; chunk() may run on many threads at once.
#include "core/chunking/chunkerconfig.h"
#include "core/chunking/chunksink.h"
#include "core/chunking/recursivechunker.h"
#include "core/chunking/unitmeasure.h"

#include <cstddef>

namespace rag {

class SentenceChunker {
public:
    explicit SentenceChunker(const ChunkerConfig &config);

    void chunk(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin, std::size_t end) const;

private:
    std::size_t m_size;
    std::size_t m_overlap;
    RecursiveChunker m_fallback;
};

} // namespace rag
