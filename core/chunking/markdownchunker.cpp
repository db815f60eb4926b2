#include "core/chunking/markdownchunker.h"

#include "core/chunking/markdownoutline.h"
#include "core/chunking/piecemerger.h"

namespace rag {

MarkdownChunker::MarkdownChunker(const ChunkerConfig &config)
    : m_size(static_cast<std::size_t>(config.size))
    , m_overlap(static_cast<std::size_t>(config.overlap))
    , m_fallback(config)
{
}

void MarkdownChunker::chunk(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin,
                            std::size_t end) const
{
    PieceMerger merger(measure, sink, m_size, m_overlap);
    for (const MarkdownSection &section : MarkdownOutline::parse(measure.text(), begin, end)) {
        sink.setHeadingPath(section.headingPath);
        for (std::size_t i = 0; i < section.blockStarts.size(); ++i) {
            const std::size_t blockBegin = section.blockStarts[i];
            const std::size_t blockEnd = i + 1 < section.blockStarts.size() ? section.blockStarts[i + 1]
                                                                            : section.end;
            const std::size_t units = measure.count(blockBegin, blockEnd);
            if (units <= m_size) {
                merger.add({blockBegin, blockEnd, units});
                continue;
            }
            merger.flush();
            m_fallback.chunk(measure, sink, blockBegin, blockEnd);
        }
        merger.flush();
    }
    sink.setHeadingPath({});
}

} // namespace rag
