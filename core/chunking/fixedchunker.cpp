#include "core/chunking/fixedchunker.h"

#include <algorithm>

namespace rag {

FixedChunker::FixedChunker(const ChunkerConfig &config)
    : m_size(static_cast<std::size_t>(config.size))
    , m_overlap(static_cast<std::size_t>(config.overlap))
{
}

void FixedChunker::chunk(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin,
                         std::size_t end) const
{
    if (begin >= end)
        return;
    if (measure.additive())
        chunkCharacters(measure, sink, begin, end);
    else
        chunkTokens(measure, sink, begin, end);
}

void FixedChunker::chunkCharacters(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin,
                                   std::size_t end) const
{
    const std::string_view text = measure.text();
    const std::size_t step = m_size - m_overlap;
    std::size_t start = begin;
    while (start < end) {
        const std::size_t stop = utf8::advance(text, start, m_size, end);
        sink.emitExact(start, stop);
        if (stop >= end)
            break;
        start = utf8::advance(text, start, step, end);
    }
}

void FixedChunker::chunkTokens(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin,
                               std::size_t end) const
{
    double bytesPerToken = 4.0; // first guess for English; refined from each window
    std::size_t start = begin;
    while (start < end) {
        const std::size_t stop = tokenWindowEnd(measure, start, end, bytesPerToken);
        sink.emitExact(start, stop);
        if (stop >= end)
            break;
        bytesPerToken = std::max(1.0, double(stop - start) / double(m_size));
        start = nextTokenWindowStart(measure, start, stop);
    }
}

std::size_t FixedChunker::tokenWindowEnd(const UnitMeasure &measure, std::size_t start, std::size_t end,
                                         double bytesPerToken) const
{
    // Largest boundary b with count(start, b) <= size: gallop from an estimate,
    // then bisect. Token counts of prefixes are monotone in practice; where BPE
    // makes them dip, the bisection still only ever returns a span that fits.
    const std::string_view text = measure.text();
    const auto fits = [&](std::size_t stop) { return measure.count(start, stop) <= m_size; };
    std::size_t good = utf8::nextBoundary(text, start);
    if (good >= end || !fits(good))
        return std::min(good, end); // one code point is the smallest window there is
    std::size_t step = std::max<std::size_t>(16, std::size_t(bytesPerToken * double(m_size)));
    std::size_t bad = end;
    while (true) {
        const std::size_t probe = utf8::boundaryAtOrBefore(text, std::min(end, start + step));
        if (probe <= good) {
            step *= 2;
            continue;
        }
        if (!fits(probe)) {
            bad = probe;
            break;
        }
        good = probe;
        if (probe >= end)
            return end;
        step *= 2;
    }
    while (true) {
        std::size_t mid = utf8::boundaryAtOrBefore(text, good + (bad - good) / 2);
        if (mid <= good)
            mid = utf8::nextBoundary(text, good);
        if (mid >= bad)
            return good;
        (fits(mid) ? good : bad) = mid;
    }
}

std::size_t FixedChunker::nextTokenWindowStart(const UnitMeasure &measure, std::size_t start,
                                               std::size_t windowEnd) const
{
    // Smallest boundary b > start with count(b, windowEnd) <= overlap.
    if (m_overlap == 0)
        return windowEnd;
    const std::string_view text = measure.text();
    const auto fits = [&](std::size_t from) { return measure.count(from, windowEnd) <= m_overlap; };
    std::size_t bad = start;
    std::size_t good = windowEnd;
    while (true) {
        std::size_t mid = utf8::boundaryAtOrBefore(text, bad + (good - bad) / 2);
        if (mid <= bad)
            mid = utf8::nextBoundary(text, bad);
        if (mid >= good)
            return good;
        (fits(mid) ? good : bad) = mid;
    }
}

} // namespace rag
