#pragma once
// SseParser: incremental parser for text/event-stream bodies (the WHATWG
// "server-sent events" format) as OpenAI, Anthropic, Ollama and vLLM stream them.
// Feed it body bytes exactly as they arrive, split anywhere (mid-line, mid-CRLF,
// mid-UTF-8 sequence); it returns the events completed by each chunk. Handles
// event/data/id/retry fields, multi-line data, comments, CRLF/LF/CR line ends and
// a leading BOM. One parser per stream; not thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

struct SseEvent {
    std::string event = "message";  // the "event:" field, "message" when absent
    std::string data;               // "data:" lines joined with '\n'
    std::string id;                 // the last event id seen on the stream (persists across events)
    std::optional<int> retryMs;     // a "retry:" field in this event's block

    bool operator==(const SseEvent &) const = default;
};

class SseParser {
public:
    std::vector<SseEvent> feed(std::string_view bytes);

    // True when the stream ended inside an event block (data received but no blank
    // line yet): per the spec that event is discarded, and for an LLM stream it
    // means the connection was cut mid-event.
    bool hasPartialEvent() const;

    std::size_t commentCount() const { return m_comments; }
    const std::string &lastEventId() const { return m_lastEventId; }
    // The server's latest "retry:" value (reconnection delay), from any block.
    std::optional<int> reconnectMs() const { return m_reconnectMs; }

private:
    void processLine(std::string_view line, std::vector<SseEvent> &out);
    void dispatch(std::vector<SseEvent> &out);

    std::string m_line;          // bytes of the current, unfinished line
    std::string m_data;
    std::string m_eventType;
    std::string m_lastEventId;
    std::optional<int> m_retryMs;
    std::optional<int> m_reconnectMs;
    bool m_blockStarted = false; // a field was seen since the last dispatch
    bool m_skipLf = false;       // the previous chunk ended with CR: a leading LF belongs to it
    bool m_bomChecked = false;
    std::size_t m_comments = 0;
};

} // namespace rag
