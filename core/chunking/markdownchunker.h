#pragma once
// MarkdownChunker: structure-aware chunking of markdown.
//
// Each section (MarkdownOutline) is chunked on its own, so every chunk carries
// exactly one heading path and no chunk straddles a heading. Within a section
// whole blocks (paragraphs, lists, fenced code) are packed up to `size` units with
// whole trailing blocks of at most `overlap` units carried over; a block larger
// than `size` (a long paragraph, or a code block that alone exceeds the size) is
// cut by RecursiveChunker. Chunks are trimmed of surrounding whitespace.
// Immutable after construction; chunk() may run on many threads at once.
#include "core/chunking/chunkerconfig.h"
#include "core/chunking/chunksink.h"
#include "core/chunking/recursivechunker.h"
#include "core/chunking/unitmeasure.h"

#include <cstddef>

namespace rag {

class MarkdownChunker {
public:
    explicit MarkdownChunker(const ChunkerConfig &config);

    void chunk(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin, std::size_t end) const;

private:
    std::size_t m_size;
    std::size_t m_overlap;
    RecursiveChunker m_fallback;
};

} // namespace rag
