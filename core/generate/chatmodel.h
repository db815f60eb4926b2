#pragma once
// ChatModel: one chat-completion backend (a remote provider, a fallback chain of
// them, or the offline extractive answerer). chat() blocks on the calling job thread,
// hands every text delta to the sink the moment it arrives, and returns the whole
// answer with the provider's token usage. Cancellation through the JobContext ends
// the call with ErrorCode::Cancelled. Implementations are used from one thread at a
// time per call but hold no per-call state, so one instance may serve several jobs.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

enum class ChatRole { System, User, Assistant };

const char *chatRoleName(ChatRole role);  // "system", "user", "assistant"

struct ChatMessage {
    ChatRole role = ChatRole::User;
    std::string content;
};

struct ChatRequest {
    std::vector<ChatMessage> messages;
    double temperature = 0.0;
    int maxTokens = 512;
    std::optional<std::int64_t> seed;
};

struct TokenUsage {
    std::int64_t inputTokens = -1;   // -1: the provider did not report it
    std::int64_t outputTokens = -1;
    bool known() const { return inputTokens >= 0 && outputTokens >= 0; }
};

struct ChatResponse {
    std::string text;
    std::string model;         // as the provider named it (falls back to the requested one)
    std::string provider;      // "openai", "anthropic", "ollama", "extractive", ...
    std::string finishReason;  // "stop", "length", "end_turn", ...
    TokenUsage usage;
    std::optional<double> costUsd;  // when the price table knows the model and usage is known
    double firstDeltaMs = -1;       // time to the first text delta
    double totalMs = 0;
    // Models a fallback chain skipped before this one answered: "name: reason".
    std::vector<std::string> skipped;
};

class ChatModel {
public:
    // Receives each text delta, in order; concatenated they equal ChatResponse::text.
    using DeltaSink = std::function<void(std::string_view delta)>;

    virtual ~ChatModel() = default;
    // "provider:model", for messages, manifests and run records.
    virtual std::string name() const = 0;
    virtual Result<ChatResponse> chat(const ChatRequest &request, const DeltaSink &onDelta,
                                      const JobContext &ctx) const = 0;
};

} // namespace rag
