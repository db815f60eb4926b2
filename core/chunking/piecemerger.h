#pragma once
// PieceMerger: packs adjacent pieces of text into chunks of at most `size` units,
// carrying trailing pieces of up to `overlap` units into the next chunk.
//
// This is LangChain's TextSplitter.mergeSplits done on offsets: pieces are
// contiguous byte ranges, a chunk is the span from its first to its last piece,
// so nothing is concatenated or copied. The recursive, sentence and markdown
// chunkers all feed it. With a non-additive measure (tokens) it re-measures each
// emitted chunk and each carried overlap and falls back to a tighter packing in
// the rare case where the sum of the pieces under-counts the joined text.
// Owned by one chunking call; borrows the measure and the sink.
#include "core/chunking/chunksink.h"
#include "core/chunking/unitmeasure.h"

#include <cstddef>
#include <vector>

namespace rag {

struct Piece {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t units = 0; // measure.count(begin, end); at most `size`
};

class PieceMerger {
public:
    PieceMerger(const UnitMeasure &measure, ChunkSink &sink, std::size_t size, std::size_t overlap);

    void add(const Piece &piece)
    {
        // Inline fast path, run once per word: the piece fits the pending chunk.
        if (m_total + piece.units <= m_size && !windowEmpty()) {
            m_window.push_back(piece);
            m_total += piece.units;
            return;
        }
        addSlow(piece);
    }
    // Emits what is pending and forgets it: the next piece starts a new chunk
    // with no overlap (LangChain merges each run of small pieces separately).
    void flush();

private:
    bool windowEmpty() const { return m_head == m_window.size(); }
    void addSlow(const Piece &piece);
    void popFront()
    {
        m_total -= m_window[m_head].units;
        ++m_head;
    }
    Span emitWindow();
    void emitGreedy();
    void limitMeasuredOverlap(const Span &emitted);

    const UnitMeasure &m_measure;
    ChunkSink &m_sink;
    std::size_t m_size;
    std::size_t m_overlap;
    std::vector<Piece> m_window; // pieces [m_head, end) form the pending chunk
    std::size_t m_head = 0;
    std::size_t m_total = 0;     // sum of the pending pieces' units
};

} // namespace rag
