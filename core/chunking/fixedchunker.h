#pragma once
// FixedChunker: windows of exactly `size` units, consecutive windows sharing
// exactly `overlap` units; the last window may be shorter. Windows are not
// trimmed (that would break the exact overlap); whitespace-only windows are dropped.
//
// Characters are code points. For tokens the TokenCounter only reports counts, so
// a window is the longest code-point-aligned span whose own token count is at most
// `size`, and the next window starts at the earliest boundary whose span to the
// window end counts at most `overlap` tokens; for a counter whose counts add up
// over the text (one token per word, per byte) both are exact. Immutable after
// construction; chunk() may run on many threads at once.
#include "core/chunking/chunkerconfig.h"
#include "core/chunking/chunksink.h"
#include "core/chunking/unitmeasure.h"

#include <cstddef>

namespace rag {

class FixedChunker {
public:
    explicit FixedChunker(const ChunkerConfig &config);

    void chunk(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin, std::size_t end) const;

private:
    void chunkCharacters(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin,
                         std::size_t end) const;
    void chunkTokens(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin, std::size_t end) const;
    std::size_t tokenWindowEnd(const UnitMeasure &measure, std::size_t start, std::size_t end,
                               double bytesPerToken) const;
    std::size_t nextTokenWindowStart(const UnitMeasure &measure, std::size_t start,
                                     std::size_t windowEnd) const;

    std::size_t m_size;
    std::size_t m_overlap;
};

} // namespace rag
