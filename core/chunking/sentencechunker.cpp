#include "core/chunking/sentencechunker.h"

#include "core/chunking/piecemerger.h"
#include "core/chunking/sentencesegmenter.h"

namespace rag {

SentenceChunker::SentenceChunker(const ChunkerConfig &config)
    : m_size(static_cast<std::size_t>(config.size))
    , m_overlap(static_cast<std::size_t>(config.overlap))
    , m_fallback(config)
{
}

void SentenceChunker::chunk(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin,
                            std::size_t end) const
{
    if (begin >= end)
        return;
    PieceMerger merger(measure, sink, m_size, m_overlap);
    const auto take = [&](std::size_t pieceBegin, std::size_t pieceEnd) {
        const std::size_t units = measure.count(pieceBegin, pieceEnd);
        if (units <= m_size) {
            merger.add({pieceBegin, pieceEnd, units});
            return;
        }
        merger.flush();
        m_fallback.chunk(measure, sink, pieceBegin, pieceEnd);
    };
    std::size_t pieceBegin = begin;
    for (const std::size_t start : SentenceSegmenter::boundaries(measure.text(), begin, end)) {
        take(pieceBegin, start);
        pieceBegin = start;
    }
    take(pieceBegin, end);
    merger.flush();
}

} // namespace rag
