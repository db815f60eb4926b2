#include "core/net/chatstreamdecoder.h"

#include "core/net/providererror.h"

#include <nlohmann/json.hpp>

namespace rag {

namespace {

using nlohmann::json;

std::string stringAt(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t intAt(const json &object, const char *key, std::int64_t fallback)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}

} // namespace

ChatStreamDecoder::ChatStreamDecoder(ChatDialect dialect, std::string source)
    : m_dialect(dialect)
    , m_source(std::move(source))
{
}

Result<std::string> ChatStreamDecoder::decode(const SseEvent &event)
{
    return m_dialect == ChatDialect::OpenAi ? decodeOpenAi(event) : decodeAnthropic(event);
}

Result<std::string> ChatStreamDecoder::decodeOpenAi(const SseEvent &event)
{
    if (event.data == "[DONE]") {
        m_finished = true;
        return std::string();
    }
    const json chunk = json::parse(event.data, nullptr, false);
    if (chunk.is_discarded() || !chunk.is_object())
        return fail(ErrorCode::Parse, "a stream chunk is not a JSON object", m_source);
    if (chunk.contains("error")) {
        const auto message = extractProviderMessage(event.data);
        return fail(ErrorCode::Provider, "error in stream: " + message.value_or("(no message)"), m_source);
    }
    if (m_summary.model.empty())
        m_summary.model = stringAt(chunk, "model");
    if (const auto usage = chunk.find("usage"); usage != chunk.end() && usage->is_object()) {
        m_summary.inputTokens = intAt(*usage, "prompt_tokens", m_summary.inputTokens);
        m_summary.outputTokens = intAt(*usage, "completion_tokens", m_summary.outputTokens);
    }
    std::string text;
    const auto choices = chunk.find("choices");
    if (choices == chunk.end() || !choices->is_array())
        return text;
    for (const json &choice : *choices) {
        if (!choice.is_object() || intAt(choice, "index", 0) != 0)
            continue;  // only the first choice is assembled (n = 1)
        if (const auto delta = choice.find("delta"); delta != choice.end() && delta->is_object())
            text += stringAt(*delta, "content");
        if (const std::string reason = stringAt(choice, "finish_reason"); !reason.empty()) {
            m_summary.finishReason = reason;
            m_finished = true;
        }
    }
    m_summary.text += text;
    return text;
}

Result<std::string> ChatStreamDecoder::decodeAnthropic(const SseEvent &event)
{
    const json payload = json::parse(event.data, nullptr, false);
    if (payload.is_discarded() || !payload.is_object())
        return fail(ErrorCode::Parse, "the '" + event.event + "' event is not a JSON object", m_source);
    const std::string type = payload.contains("type") ? stringAt(payload, "type") : event.event;
    std::string text;
    if (type == "error") {
        const auto message = extractProviderMessage(event.data);
        return fail(ErrorCode::Provider, "error in stream: " + message.value_or("(no message)"), m_source);
    }
    if (type == "message_start" && payload.contains("message")) {
        const json &message = payload["message"];
        m_summary.model = stringAt(message, "model");
        if (message.contains("usage")) {
            m_summary.inputTokens = intAt(message["usage"], "input_tokens", m_summary.inputTokens);
            m_summary.outputTokens = intAt(message["usage"], "output_tokens", m_summary.outputTokens);
        }
    } else if (type == "content_block_start" && payload.contains("content_block")) {
        text = stringAt(payload["content_block"], "text");
    } else if (type == "content_block_delta" && payload.contains("delta")) {
        // text_delta carries answer text; tool-input and thinking deltas are not answer text.
        if (stringAt(payload["delta"], "type") == "text_delta")
            text = stringAt(payload["delta"], "text");
    } else if (type == "message_delta") {
        if (payload.contains("delta"))
            m_summary.finishReason = stringAt(payload["delta"], "stop_reason");
        if (payload.contains("usage"))
            m_summary.outputTokens = intAt(payload["usage"], "output_tokens", m_summary.outputTokens);
    } else if (type == "message_stop") {
        m_finished = true;
    }
    m_summary.text += text;
    return text;
}

Result<ChatStreamSummary> ChatStreamDecoder::finish() const
{
    if (!m_finished) {
        return fail(ErrorCode::Network,
                    "the stream ended before the model finished (" + std::to_string(m_summary.text.size())
                        + " bytes of text received)", m_source);
    }
    return m_summary;
}

} // namespace rag
