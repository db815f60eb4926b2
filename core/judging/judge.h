#pragma once
// Judge: scores one answered question on one LLM-judged metric with a chat model.
// Each ask renders the metric's versioned prompt, parses the reply (```json fences
// stripped), validates it against the prompt's JSON schema and the metric's own
// rules (one verdict per passage, ...), and on a violation re-asks — the invalid
// reply and the validator's error appended as a follow-up — up to maxAttempts
// asks in all. A reply still invalid, a provider error or a missing input leaves
// the score unmeasured with the reason. Repeat-N asks N times with seed + r.
// Holds a reference to the model (owned by the caller); const and stateless, so
// one Judge may serve several threads when the model may.
#include "core/generate/chatmodel.h"
#include "core/judging/jsonschema.h"
#include "core/judging/judgeprompt.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rag {

struct JudgeOptions {
    int maxAttempts = 3;  // asks per judgement, the first included (so up to 2 re-asks)
    int repeats = 1;      // judgements per item and metric (repeat-N)
    double temperature = 0.0;
    int maxTokens = 1024;
    std::int64_t seed = 1;  // repeat r asks with seed + r (providers without seeds ignore it)
};

// Token usage and cost over many chat calls.
struct UsageTotals {
    std::int64_t calls = 0;
    std::int64_t inputTokens = 0;   // over the calls that reported usage
    std::int64_t outputTokens = 0;
    std::int64_t callsWithoutUsage = 0;
    double costUsd = 0.0;           // over the calls with a known price
    std::int64_t callsWithoutCost = 0;

    void add(const ChatResponse &response);
    void add(const UsageTotals &other);
    nlohmann::ordered_json toJson() const;
};

// One metric on one item, over all its repeats.
struct Judgement {
    JudgeMetric metric = JudgeMetric::Faithfulness;
    std::optional<double> score;       // mean of the measured repeats
    std::string unmeasuredReason;      // why, when !score (the first repeat's reason)
    std::vector<std::optional<double>> repeats;
    std::vector<std::string> repeatReasons;  // "" for measured repeats
    int asks = 0;                      // chat calls over all repeats, re-asks included
    std::string promptKey;             // "faithfulness@v1"
    std::string promptHash;
    nlohmann::json detail;             // the first measured repeat's validated reply

    nlohmann::ordered_json toJson() const;
};

// The metric's score from a reply that passed the schema: an error (the reply
// breaks a rule the schema cannot express, worth a re-ask), a value, or no value
// with the reason (e.g. an answer without claims).
struct ReplyScore {
    std::optional<double> value;
    std::string reason;
};
Result<ReplyScore> scoreJudgeReply(JudgeMetric metric, const nlohmann::json &reply, int passages);

// The JSON object in a judge reply: ```json fences stripped; when the text is not
// JSON as a whole, the span from its first '{' to its last '}'. Parse error otherwise.
Result<nlohmann::json> extractJudgeJson(std::string_view reply);

class Judge {
public:
    Judge(const ChatModel &model, JudgeOptions options) : m_model(model), m_options(options) {}

    // `passages` is the number of numbered passages in inputs.context.
    Judgement judge(JudgeMetric metric, const JudgeInputs &inputs, int passages, const JobContext &ctx,
                    UsageTotals &usage) const;
    Judgement judge(const JudgePrompt &prompt, const JudgeInputs &inputs, int passages, const JobContext &ctx,
                    UsageTotals &usage) const;

    const JudgeOptions &options() const { return m_options; }
    std::string modelName() const { return m_model.name(); }

private:
    struct Ask {
        std::optional<double> value;
        std::string reason;
        nlohmann::json reply;
        int asks = 0;
    };
    Ask askOnce(const JudgePrompt &prompt, const JsonSchema &schema, const std::vector<ChatMessage> &messages,
                int passages, std::int64_t seed, const JobContext &ctx, UsageTotals &usage) const;

    const ChatModel &m_model;
    JudgeOptions m_options;
};

} // namespace rag
