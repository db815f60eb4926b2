#include "core/generate/ollamastreamdecoder.h"

#include <nlohmann/json.hpp>

namespace rag {

Result<std::string> OllamaStreamDecoder::feed(std::string_view bytes)
{
    m_pending.append(bytes);
    std::string text;
    std::size_t start = 0;
    for (std::size_t end; (end = m_pending.find('\n', start)) != std::string::npos; start = end + 1) {
        auto delta = decodeLine(std::string_view(m_pending).substr(start, end - start));
        if (!delta)
            return delta;
        text += *delta;
    }
    m_pending.erase(0, start);
    return text;
}

Result<std::string> OllamaStreamDecoder::decodeLine(std::string_view line)
{
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.remove_suffix(1);
    if (line.empty())
        return std::string();
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return fail(ErrorCode::Parse, "a stream line is not a JSON object (" + std::to_string(line.size()) + " bytes)",
                    m_source);
    if (const auto error = json.find("error"); error != json.end())
        return fail(ErrorCode::Provider, error->is_string() ? error->get<std::string>() : error->dump(), m_source);
    if (json.contains("model") && json["model"].is_string())
        m_summary.model = json["model"].get<std::string>();
    std::string delta;
    if (const auto message = json.find("message"); message != json.end() && message->is_object()) {
        const auto content = message->find("content");
        if (content != message->end() && content->is_string())
            delta = content->get<std::string>();
    }
    m_summary.text += delta;
    if (json.value("done", false)) {
        m_finished = true;
        m_summary.finishReason = json.value("done_reason", std::string("stop"));
        if (json.contains("prompt_eval_count") && json["prompt_eval_count"].is_number_integer())
            m_summary.inputTokens = json["prompt_eval_count"].get<std::int64_t>();
        if (json.contains("eval_count") && json["eval_count"].is_number_integer())
            m_summary.outputTokens = json["eval_count"].get<std::int64_t>();
    }
    return delta;
}

Result<ChatStreamSummary> OllamaStreamDecoder::finish()
{
    if (!m_pending.empty()) {
        auto last = decodeLine(m_pending);  // a final line without its newline
        m_pending.clear();
        if (!last)
            return std::unexpected(last.error());
    }
    if (!m_finished)
        return fail(ErrorCode::Network, "the stream ended before the model said it was done", m_source);
    return m_summary;
}

} // namespace rag
