#include "core/chunking/piecemerger.h"

namespace rag {

PieceMerger::PieceMerger(const UnitMeasure &measure, ChunkSink &sink, std::size_t size, std::size_t overlap)
    : m_measure(measure)
    , m_sink(sink)
    , m_size(size)
    , m_overlap(overlap)
{
    m_window.reserve(256);
}

void PieceMerger::addSlow(const Piece &piece)
{
    if (m_total + piece.units > m_size && !windowEmpty()) {
        const Span emitted = emitWindow();
        // Keep the trailing pieces as overlap: at most m_overlap units, and few
        // enough that the incoming piece still fits.
        while (!windowEmpty() && (m_total > m_overlap || m_total + piece.units > m_size))
            popFront();
        if (!m_measure.additive())
            limitMeasuredOverlap(emitted);
    }
    if (windowEmpty()) {
        m_window.clear();
        m_head = 0;
    } else if (m_head > 4096 && m_head * 2 > m_window.size()) {
        // One long run of small pieces (a document without blank lines): drop the
        // consumed prefix so the window does not grow with the document.
        m_window.erase(m_window.begin(), m_window.begin() + std::ptrdiff_t(m_head));
        m_head = 0;
    }
    m_window.push_back(piece);
    m_total += piece.units;
}

void PieceMerger::flush()
{
    if (!windowEmpty())
        emitWindow();
    m_window.clear();
    m_head = 0;
    m_total = 0;
}

Span PieceMerger::emitWindow()
{
    const std::size_t begin = m_window[m_head].begin;
    const std::size_t end = m_window.back().end;
    if (m_measure.additive())
        return m_sink.emit(begin, end);
    const Span span = m_sink.trimmed(begin, end);
    if (span.empty() || m_measure.count(span.begin, span.end) <= m_size)
        return m_sink.emit(begin, end);
    // The joined text has more tokens than its pieces together: re-pack this
    // window on measured spans and carry nothing over, so that no chunk exceeds
    // the size and chunk starts keep increasing.
    emitGreedy();
    m_head = m_window.size();
    m_total = 0;
    return {};
}

void PieceMerger::emitGreedy()
{
    std::size_t first = m_head;
    while (first < m_window.size()) {
        std::size_t last = first;
        for (std::size_t k = first + 1; k < m_window.size(); ++k) {
            const Span span = m_sink.trimmed(m_window[first].begin, m_window[k].end);
            if (!span.empty() && m_measure.count(span.begin, span.end) > m_size)
                break;
            last = k;
        }
        m_sink.emit(m_window[first].begin, m_window[last].end);
        first = last + 1;
    }
}

void PieceMerger::limitMeasuredOverlap(const Span &emitted)
{
    // The next chunk starts at the first carried piece (trimmed); the region it
    // shares with the chunk just emitted must measure at most m_overlap.
    if (emitted.empty())
        return;
    while (!windowEmpty()) {
        const Span shared = m_sink.trimmed(m_window[m_head].begin, emitted.end);
        if (shared.empty() || shared.begin >= emitted.end
            || m_measure.count(shared.begin, emitted.end) <= m_overlap)
            return;
        popFront();
    }
}

} // namespace rag
