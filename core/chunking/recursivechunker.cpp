#include "core/chunking/recursivechunker.h"

#include "core/chunking/piecemerger.h"

#include <deque>

namespace rag {

// Per-call state: one merger per recursion depth, because a level keeps packing
// its small pieces around the chunks its oversized pieces produce one level down.
struct RecursiveChunker::Run {
    const UnitMeasure &measure;
    ChunkSink &sink;
    std::size_t size;
    std::size_t overlap;
    std::deque<PieceMerger> mergers; // deque: references stay valid as it grows

    PieceMerger &merger(std::size_t depth)
    {
        while (mergers.size() <= depth)
            mergers.emplace_back(measure, sink, size, overlap);
        return mergers[depth];
    }
};

RecursiveChunker::RecursiveChunker(const ChunkerConfig &config)
    : m_size(static_cast<std::size_t>(config.size))
    , m_overlap(static_cast<std::size_t>(config.overlap))
    , m_separators(config.separators)
{
}

void RecursiveChunker::chunk(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin,
                             std::size_t end) const
{
    if (begin >= end)
        return;
    Run run{measure, sink, m_size, m_overlap, {}};
    splitRange(run, begin, end, 0, 0);
}

void RecursiveChunker::splitRange(Run &run, std::size_t begin, std::size_t end,
                                  std::size_t firstSeparator, std::size_t depth) const
{
    // The first separator that is "" or occurs in the range wins. When none does,
    // fall through to the code point split (LangChain would emit the whole range).
    const std::string_view text = run.measure.text();
    const std::string_view range = text.substr(begin, end - begin);
    for (std::size_t i = firstSeparator; i < m_separators.size(); ++i) {
        const std::string &separator = m_separators[i];
        if (separator.empty())
            break;
        if (range.find(separator) != std::string_view::npos) {
            if (run.measure.additive())
                splitOn<true>(run, begin, end, i, depth);
            else
                splitOn<false>(run, begin, end, i, depth);
            return;
        }
    }
    if (run.measure.additive())
        splitCodePoints<true>(run, begin, end, depth);
    else
        splitCodePoints<false>(run, begin, end, depth);
}

template <bool Characters>
void RecursiveChunker::splitOn(Run &run, std::size_t begin, std::size_t end, std::size_t separator,
                               std::size_t depth) const
{
    PieceMerger &merger = run.merger(depth);
    const std::string_view text = run.measure.text();
    const auto handle = [&](std::size_t pieceBegin, std::size_t pieceEnd, std::size_t units) {
        if constexpr (!Characters)
            units = run.measure.count(pieceBegin, pieceEnd);
        if (units < m_size) {
            merger.add({pieceBegin, pieceEnd, units});
            return;
        }
        merger.flush();
        splitRange(run, pieceBegin, pieceEnd, separator + 1, depth + 1);
    };

    const std::string &sep = m_separators[separator];
    std::size_t pieceBegin = begin;
    if (sep.size() == 1 && Characters) {
        // Hot path (" " and "\n"): find the separator and count code points in
        // one pass over the bytes.
        utf8::splitOnByte(text, begin, end, sep[0], handle);
    } else {
        // Split before every occurrence after the range start, overlapping ones
        // included: that is what LangChain's split(/(?=sep)/) does.
        const std::string_view range = text.substr(0, end);
        std::size_t at = range.find(sep, begin + 1);
        while (at != std::string_view::npos) {
            handle(pieceBegin, at, Characters ? utf8::countCodePoints(text, pieceBegin, at) : 0);
            pieceBegin = at;
            at = range.find(sep, at + 1);
        }
        handle(pieceBegin, end, Characters ? utf8::countCodePoints(text, pieceBegin, end) : 0);
    }
    merger.flush();
}

template <bool Characters>
void RecursiveChunker::splitCodePoints(Run &run, std::size_t begin, std::size_t end,
                                       std::size_t depth) const
{
    // The last resort: every code point is a piece and nothing is left to recurse
    // into, so a code point that alone reaches the size becomes its own chunk.
    PieceMerger &merger = run.merger(depth);
    const std::string_view text = run.measure.text();
    std::size_t at = begin;
    while (at < end) {
        const std::size_t next = utf8::nextBoundary(text, at);
        const std::size_t units = Characters ? 1 : run.measure.count(at, next);
        if (units < m_size) {
            merger.add({at, next, units});
        } else {
            merger.flush();
            run.sink.emit(at, next);
        }
        at = next;
    }
    merger.flush();
}

} // namespace rag
