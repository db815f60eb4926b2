#include "core/judging/judgeprompt.h"

#include "core/common/hashing.h"

#include "core/generate/prompttemplate.h"

namespace rag {

namespace {

// Shared by every judge prompt: what the reply must look like.
constexpr const char *kReplyRules =
    " Reply with one JSON object only, no prose and no code fences, exactly matching this JSON schema:\n";

std::vector<JudgePrompt> makeBuiltins()
{
    std::vector<JudgePrompt> all;
    all.push_back(JudgePrompt{
        "faithfulness", 1, JudgeMetric::Faithfulness,
        "judge-prompt: faithfulness@v1\n"
        "You check whether an answer is supported by the context it was given. Split the answer into its "
        "atomic factual claims (one per sentence or clause; ignore citation markers such as [1]). For each "
        "claim decide whether the context passages state or directly imply it: \"supported\" or "
        "\"unsupported\". Judge against the context only, not against what you know.",
        "<context>\n{context}</context>\n\n<question>\n{question}\n</question>\n\n<answer>\n{answer}\n</answer>\n\n"
        "List every claim of the answer with its verdict.",
        R"({"type": "object", "required": ["claims"], "additionalProperties": false, "properties": {
  "claims": {"type": "array", "items": {"type": "object", "required": ["claim", "verdict"],
    "additionalProperties": false, "properties": {
      "claim": {"type": "string"}, "verdict": {"type": "string", "enum": ["supported", "unsupported"]},
      "reason": {"type": "string"}}}}}})"});
    all.push_back(JudgePrompt{
        "answer-relevance", 1, JudgeMetric::AnswerRelevance,
        "judge-prompt: answer-relevance@v1\n"
        "You rate how directly an answer addresses the question it was asked, on a 1 to 5 scale: 5 answers "
        "exactly what was asked, 3 is partly on topic or padded with unrelated material, 1 does not address "
        "the question at all. Whether the answer is true does not matter here, only whether it answers.",
        "<question>\n{question}\n</question>\n\n<answer>\n{answer}\n</answer>\n\nRate the answer.",
        R"({"type": "object", "required": ["rating"], "additionalProperties": false, "properties": {
  "rating": {"type": "integer", "minimum": 1, "maximum": 5}, "reason": {"type": "string"}}})"});
    all.push_back(JudgePrompt{
        "context-precision", 1, JudgeMetric::ContextPrecision,
        "judge-prompt: context-precision@v1\n"
        "You judge retrieved passages for a search question. For every numbered passage, in order, decide "
        "whether it is relevant: it contains information that helps answer the question. Give one verdict per "
        "passage, naming the passage by its number.",
        "<question>\n{question}\n</question>\n\n<context>\n{context}</context>\n\nJudge every passage.",
        R"({"type": "object", "required": ["verdicts"], "additionalProperties": false, "properties": {
  "verdicts": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["passage", "relevant"],
    "additionalProperties": false, "properties": {
      "passage": {"type": "integer", "minimum": 1}, "relevant": {"type": "boolean"},
      "reason": {"type": "string"}}}}}})"});
    all.push_back(JudgePrompt{
        "context-recall", 1, JudgeMetric::ContextRecall,
        "judge-prompt: context-recall@v1\n"
        "You check how much of a reference answer the retrieved context covers. Split the reference answer "
        "into its statements (one per sentence or clause). For each statement decide whether it can be "
        "attributed to the context passages: true when the passages state or directly imply it.",
        "<question>\n{question}\n</question>\n\n<context>\n{context}</context>\n\n<reference>\n{reference}\n"
        "</reference>\n\nList every statement of the reference answer with its attribution.",
        R"({"type": "object", "required": ["statements"], "additionalProperties": false, "properties": {
  "statements": {"type": "array", "items": {"type": "object", "required": ["statement", "attributed"],
    "additionalProperties": false, "properties": {
      "statement": {"type": "string"}, "attributed": {"type": "boolean"}, "reason": {"type": "string"}}}}}})"});
    for (JudgePrompt &p : all)
        p.system += std::string(kReplyRules) + p.schemaJson;
    return all;
}

} // namespace

const char *judgeMetricName(JudgeMetric metric)
{
    switch (metric) {
    case JudgeMetric::Faithfulness: return "faithfulness";
    case JudgeMetric::AnswerRelevance: return "answer_relevance";
    case JudgeMetric::ContextPrecision: return "context_precision";
    case JudgeMetric::ContextRecall: return "context_recall";
    }
    return "?";
}

const char *judgePromptId(JudgeMetric metric)
{
    switch (metric) {
    case JudgeMetric::Faithfulness: return "faithfulness";
    case JudgeMetric::AnswerRelevance: return "answer-relevance";
    case JudgeMetric::ContextPrecision: return "context-precision";
    case JudgeMetric::ContextRecall: return "context-recall";
    }
    return "?";
}

std::string JudgePrompt::textHash() const
{
    return sha256Hex(key() + "\n" + system + "\n\x1f\n" + user + "\n\x1f\n" + schemaJson);
}

std::vector<ChatMessage> JudgePrompt::render(const JudgeInputs &inputs) const
{
    const PromptSlot slots[] = {
        {"{question}", inputs.question},
        {"{answer}", inputs.answer},
        {"{context}", inputs.context},
        {"{reference}", inputs.reference},
    };
    // The system text holds the schema, whose braces are not placeholders.
    return {ChatMessage{ChatRole::System, system}, ChatMessage{ChatRole::User, fillPlaceholders(user, slots)}};
}

const std::vector<JudgePrompt> &builtinJudgePrompts()
{
    static const std::vector<JudgePrompt> all = makeBuiltins();
    return all;
}

Result<JudgePrompt> findJudgePrompt(std::string_view key)
{
    auto parsed = parseVersionedKey(key);
    if (!parsed)
        return std::unexpected(parsed.error());
    const JudgePrompt *best = nullptr;
    for (const JudgePrompt &p : builtinJudgePrompts())
        if (p.id == parsed->id
            && (parsed->version == 0 ? (!best || p.version > best->version) : p.version == parsed->version))
            best = &p;
    if (!best)
        return fail(ErrorCode::NotFound, "no such judge prompt", std::string(key));
    return *best;
}

const JudgePrompt &defaultJudgePrompt(JudgeMetric metric)
{
    const JudgePrompt *best = nullptr;
    for (const JudgePrompt &p : builtinJudgePrompts())
        if (p.metric == metric && (!best || p.version > best->version))
            best = &p;
    return *best;  // every metric has a built-in prompt
}

} // namespace rag
