#pragma once
// ChatStreamDecoder: turns the server-sent events of a streamed chat completion into
// text, for the two wire dialects in use: OpenAI chat.completion.chunk streams (also
// spoken by vLLM, llama.cpp server, LM Studio and Ollama's /v1) and Anthropic
// Messages events. Tells a finished stream from one that was cut off, and turns an
// error event sent mid-stream into a Provider error. One decoder per stream, used on
// the thread that runs the stream.
#include "core/common/result.h"
#include "core/net/sseparser.h"

#include <cstdint>
#include <string>

namespace rag {

enum class ChatDialect { OpenAi, Anthropic };

struct ChatStreamSummary {
    std::string text;          // every delta, concatenated
    std::string finishReason;  // "stop", "length", "end_turn", "max_tokens", ...
    std::string model;
    std::int64_t inputTokens = -1;   // -1 when the stream did not report usage
    std::int64_t outputTokens = -1;
};

class ChatStreamDecoder {
public:
    ChatStreamDecoder(ChatDialect dialect, std::string source);

    // The text this event adds (often empty). Parse for an event whose JSON is broken,
    // Provider for an error event.
    Result<std::string> decode(const SseEvent &event);

    // True once the stream said it is complete ([DONE], a finish_reason, message_stop).
    bool finished() const { return m_finished; }

    // Call after the transfer ended: the summary, or a Network error when the stream
    // stopped before saying it was complete.
    Result<ChatStreamSummary> finish() const;

    const ChatStreamSummary &summary() const { return m_summary; }

private:
    Result<std::string> decodeOpenAi(const SseEvent &event);
    Result<std::string> decodeAnthropic(const SseEvent &event);

    ChatDialect m_dialect;
    std::string m_source;
    ChatStreamSummary m_summary;
    bool m_finished = false;
};

} // namespace rag
