#pragma once
// JudgePrompt: a named, versioned prompt for one LLM-judged metric, with the JSON
// schema its reply must satisfy. As with PromptTemplate, every score records the
// prompt's key ("faithfulness@v1") and the hash of its text (system, user and
// schema), so a reworded prompt is never mistaken for the old one. The system
// message starts with "judge-prompt: <key>" so logs, and scripted test servers,
// can tell the prompts apart. Built-ins are immutable values; thread-safe.
#include "core/common/result.h"
#include "core/generate/chatmodel.h"

#include <string>
#include <string_view>
#include <vector>

namespace rag {

enum class JudgeMetric { Faithfulness, AnswerRelevance, ContextPrecision, ContextRecall };

inline constexpr JudgeMetric kJudgeMetrics[] = {JudgeMetric::Faithfulness, JudgeMetric::AnswerRelevance,
                                                JudgeMetric::ContextPrecision, JudgeMetric::ContextRecall};

// "faithfulness", "answer_relevance", "context_precision", "context_recall".
const char *judgeMetricName(JudgeMetric metric);
// The prompt id for a metric: "faithfulness", "answer-relevance", ...
const char *judgePromptId(JudgeMetric metric);

// The inputs a judge prompt is filled with. `context` is the numbered passages as
// the answer saw them ("[1] ...").
struct JudgeInputs {
    std::string question;
    std::string answer;
    std::string context;
    std::string reference;  // the reference answer (context recall)
};

struct JudgePrompt {
    std::string id;
    int version = 1;
    JudgeMetric metric = JudgeMetric::Faithfulness;
    std::string system;
    std::string user;        // {question} {answer} {context} {reference}
    std::string schemaJson;  // the reply's JSON schema (jsonschema.h subset)

    std::string key() const { return id + "@v" + std::to_string(version); }
    // sha256 over key, system, user and schema: changes whenever any wording does.
    std::string textHash() const;
    // Fills every placeholder in one pass, so text inside an input that looks like
    // a placeholder is left as it is.
    std::vector<ChatMessage> render(const JudgeInputs &inputs) const;
};

const std::vector<JudgePrompt> &builtinJudgePrompts();

// "faithfulness@v1", or "faithfulness" for its newest version.
Result<JudgePrompt> findJudgePrompt(std::string_view key);
// The newest built-in prompt of a metric.
const JudgePrompt &defaultJudgePrompt(JudgeMetric metric);

} // namespace rag
