#include "core/chunking/chunksink.h"

#include "core/chunking/utf8text.h"

namespace rag {

ChunkSink::ChunkSink(std::string_view text, std::vector<Chunk> &out)
    : m_text(text)
    , m_out(out)
{
}

Span ChunkSink::trimmed(std::size_t begin, std::size_t end) const
{
    const std::size_t first = utf8::skipWhitespaceForward(m_text, begin, end);
    if (first == end)
        return {end, end};
    return {first, utf8::skipWhitespaceBackward(m_text, first, end)};
}

Span ChunkSink::emit(std::size_t begin, std::size_t end)
{
    const Span span = trimmed(begin, end);
    if (span.empty() || span.end <= m_lastEnd)
        return {};
    append(span.begin, span.end);
    return span;
}

void ChunkSink::emitExact(std::size_t begin, std::size_t end)
{
    if (utf8::skipWhitespaceForward(m_text, begin, end) != end)
        append(begin, end);
}

void ChunkSink::append(std::size_t begin, std::size_t end)
{
    if (!m_out.empty() && std::int64_t(begin) <= m_out.back().start) {
        m_out.back().end = static_cast<std::int64_t>(end);
        m_out.back().headingPath = m_headingPath;
        m_lastEnd = end;
        return;
    }
    Chunk chunk;
    chunk.start = static_cast<std::int64_t>(begin);
    chunk.end = static_cast<std::int64_t>(end);
    chunk.headingPath = m_headingPath;
    chunk.index = static_cast<int>(m_out.size());
    m_out.push_back(std::move(chunk));
    m_lastEnd = end;
}

} // namespace rag
