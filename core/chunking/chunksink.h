#pragma once
// ChunkSink: where every chunker delivers its spans.
//
// It applies the rules all strategies share: leading and trailing whitespace (in
// JavaScript's String.trim() sense) is cut off by moving the offsets; a span that
// is only whitespace is dropped; and no chunk lies inside its neighbour: a span
// that ends within the previous chunk is dropped, and one that starts where the
// previous chunk starts replaces it. LangChain's merge produces both kinds of
// redundant chunk (a carried tail flushed on its own; a window whose leading
// whitespace piece trims away), and they would only duplicate retrieval hits.
// It also stamps the current heading path. Owned by one chunking call on one
// thread; borrows the output vector.
#include "core/chunking/chunk.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool empty() const { return begin >= end; }
};

class ChunkSink {
public:
    ChunkSink(std::string_view text, std::vector<Chunk> &out);

    std::string_view text() const { return m_text; }
    void setHeadingPath(std::string path) { m_headingPath = std::move(path); }

    // [begin, end) without its leading and trailing whitespace (empty if nothing is left).
    Span trimmed(std::size_t begin, std::size_t end) const;

    // Appends trimmed(begin, end) unless it is empty or adds no text after the
    // previous chunk; returns the appended span (empty when nothing was appended).
    // A span with the previous chunk's start replaces that chunk.
    Span emit(std::size_t begin, std::size_t end);

    // Appends [begin, end) untouched unless it is whitespace only (fixed windows
    // keep their exact extent so that overlaps stay exact).
    void emitExact(std::size_t begin, std::size_t end);

    std::size_t count() const { return m_out.size(); }

private:
    void append(std::size_t begin, std::size_t end);

    std::string_view m_text;
    std::vector<Chunk> &m_out;
    std::string m_headingPath;
    std::size_t m_lastEnd = 0; // end of the last appended chunk
};

} // namespace rag
