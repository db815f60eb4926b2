#include "core/net/sseparser.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace rag {

namespace {

// Position of the next CR or LF at or after `pos`. Two memchr scans (LF, then CR only
// up to that LF) beat find_first_of's per-byte set lookup by several times, and CR is
// rare in practice.
std::size_t findLineEnd(std::string_view bytes, std::size_t pos)
{
    const char *begin = bytes.data() + pos;
    const std::size_t size = bytes.size() - pos;
    const auto *lf = static_cast<const char *>(std::memchr(begin, '\n', size));
    const std::size_t limit = lf ? std::size_t(lf - begin) : size;
    const auto *cr = static_cast<const char *>(std::memchr(begin, '\r', limit));
    if (cr)
        return pos + std::size_t(cr - begin);
    return lf ? pos + limit : std::string_view::npos;
}

} // namespace

std::vector<SseEvent> SseParser::feed(std::string_view bytes)
{
    std::vector<SseEvent> out;
    if (!m_bomChecked) {
        // The BOM may itself arrive split; wait until three bytes are known.
        const std::string_view bom = "\xEF\xBB\xBF";
        const std::string head = m_line + std::string(bytes.substr(0, 3));
        if (head.size() < 3 && bom.starts_with(head)) {
            m_line = head;
            return out;
        }
        m_bomChecked = true;
        if (head.starts_with(bom)) {
            bytes.remove_prefix(3 - m_line.size());
            m_line.clear();
        }
    }
    std::size_t pos = 0;
    if (m_skipLf && !bytes.empty()) {
        if (bytes.front() == '\n')
            pos = 1;
        m_skipLf = false;
    }
    while (pos < bytes.size()) {
        const std::size_t end = findLineEnd(bytes, pos);
        if (end == std::string_view::npos) {
            m_line.append(bytes.substr(pos));
            break;
        }
        if (m_line.empty()) {
            processLine(bytes.substr(pos, end - pos), out);  // the common case: no copy
        } else {
            m_line.append(bytes.substr(pos, end - pos));
            processLine(m_line, out);
            m_line.clear();
        }
        pos = end + 1;
        if (bytes[end] == '\r') {
            if (pos < bytes.size()) {
                if (bytes[pos] == '\n')
                    ++pos;
            } else {
                m_skipLf = true;
            }
        }
    }
    return out;
}

bool SseParser::hasPartialEvent() const
{
    return m_blockStarted || !m_line.empty();
}

void SseParser::processLine(std::string_view line, std::vector<SseEvent> &out)
{
    if (line.empty()) {
        dispatch(out);
        return;
    }
    if (line.front() == ':') {
        ++m_comments;
        return;
    }
    std::string_view field = line;
    std::string_view value;
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        field = line.substr(0, colon);
        value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
    }
    m_blockStarted = true;
    if (field == "data") {
        m_data.append(value);
        m_data.push_back('\n');
    } else if (field == "event") {
        m_eventType.assign(value);
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos)
            m_lastEventId.assign(value);
    } else if (field == "retry") {
        int ms = 0;
        const bool digits = !value.empty() && std::ranges::all_of(value, [](char c) { return c >= '0' && c <= '9'; });
        if (digits && std::from_chars(value.data(), value.data() + value.size(), ms).ec == std::errc()) {
            m_retryMs = ms;
            m_reconnectMs = ms;
        }
    }
    // Unknown fields are ignored, as the spec requires.
}

void SseParser::dispatch(std::vector<SseEvent> &out)
{
    m_blockStarted = false;
    if (m_data.empty()) {
        // A block without data dispatches nothing (its retry field already took
        // effect through reconnectMs()).
        m_eventType.clear();
        m_retryMs.reset();
        return;
    }
    m_data.pop_back();  // the '\n' after the last data line
    SseEvent event;
    event.event = m_eventType.empty() ? std::string("message") : m_eventType;
    event.data = std::move(m_data);
    event.id = m_lastEventId;
    event.retryMs = m_retryMs;
    out.push_back(std::move(event));
    m_data.clear();
    m_eventType.clear();
    m_retryMs.reset();
}

} // namespace rag
