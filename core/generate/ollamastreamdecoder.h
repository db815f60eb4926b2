#pragma once
// OllamaStreamDecoder: turns Ollama's /api/chat newline-delimited JSON stream into
// text deltas and a summary (done_reason, prompt_eval_count / eval_count as token
// usage). Bytes may arrive split anywhere, even inside a UTF-8 sequence or a line;
// an {"error": ...} line becomes a Provider error. One decoder per stream, used on
// the thread that runs it.
#include "core/common/result.h"
#include "core/net/chatstreamdecoder.h"

#include <string>
#include <string_view>

namespace rag {

class OllamaStreamDecoder {
public:
    explicit OllamaStreamDecoder(std::string source) : m_source(std::move(source)) {}

    // The text the complete lines in `bytes` add (buffered across calls).
    Result<std::string> feed(std::string_view bytes);
    bool finished() const { return m_finished; }
    // After the transfer: the summary, or Network when "done": true never came.
    Result<ChatStreamSummary> finish();

private:
    Result<std::string> decodeLine(std::string_view line);

    std::string m_source;
    std::string m_pending;
    ChatStreamSummary m_summary;
    bool m_finished = false;
};

} // namespace rag
