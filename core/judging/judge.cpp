#include "core/judging/judge.h"

#include "core/judging/judgemetrics.h"

#include <QLoggingCategory>


Q_LOGGING_CATEGORY(lcJudge, "rag.judge", QtWarningMsg)

namespace rag {

namespace {

using Json = nlohmann::json;

std::string_view trimmed(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

// The reason a judgement cannot even be asked for, or empty.
std::string missingInput(JudgeMetric metric, const JudgeInputs &in, int passages)
{
    const bool noAnswer = trimmed(in.answer).empty();
    switch (metric) {
    case JudgeMetric::Faithfulness:
        if (noAnswer)
            return "no answer to judge";
        if (passages == 0)
            return "no retrieved context";
        return {};
    case JudgeMetric::AnswerRelevance:
        return noAnswer ? "no answer to judge" : std::string();
    case JudgeMetric::ContextPrecision:
        return passages == 0 ? "no retrieved context" : std::string();
    case JudgeMetric::ContextRecall:
        if (trimmed(in.reference).empty())
            return "the query has no reference answer";
        if (passages == 0)
            return "no retrieved context";
        return {};
    }
    return "unknown metric";
}

std::vector<bool> flags(const Json &array, const char *field, const char *trueValue = nullptr)
{
    std::vector<bool> out;
    for (const Json &item : array) {
        const Json &v = item.at(field);
        out.push_back(trueValue ? v.get<std::string>() == trueValue : v.get<bool>());
    }
    return out;
}

} // namespace

void UsageTotals::add(const ChatResponse &r)
{
    ++calls;
    if (r.usage.known()) {
        inputTokens += r.usage.inputTokens;
        outputTokens += r.usage.outputTokens;
    } else {
        ++callsWithoutUsage;
    }
    if (r.costUsd)
        costUsd += *r.costUsd;
    else
        ++callsWithoutCost;
}

void UsageTotals::add(const UsageTotals &o)
{
    calls += o.calls;
    inputTokens += o.inputTokens;
    outputTokens += o.outputTokens;
    callsWithoutUsage += o.callsWithoutUsage;
    costUsd += o.costUsd;
    callsWithoutCost += o.callsWithoutCost;
}

nlohmann::ordered_json UsageTotals::toJson() const
{
    return {{"calls", calls}, {"input_tokens", inputTokens}, {"output_tokens", outputTokens},
            {"calls_without_usage", callsWithoutUsage}, {"cost_usd", costUsd}, {"calls_without_cost", callsWithoutCost}};
}

nlohmann::ordered_json Judgement::toJson() const
{
    nlohmann::ordered_json j;
    j["metric"] = judgeMetricName(metric);
    j["score"] = score ? nlohmann::ordered_json(*score) : nlohmann::ordered_json();
    if (!score)
        j["unmeasured"] = unmeasuredReason;
    nlohmann::ordered_json reps = nlohmann::ordered_json::array();
    for (std::size_t r = 0; r < repeats.size(); ++r) {
        if (repeats[r])
            reps.push_back({{"score", *repeats[r]}});
        else
            reps.push_back({{"score", nullptr}, {"unmeasured", repeatReasons[r]}});
    }
    j["repeats"] = std::move(reps);
    j["asks"] = asks;
    j["prompt"] = promptKey;
    j["prompt_hash"] = promptHash;
    if (!detail.is_null())
        j["reply"] = detail;
    return j;
}

Result<nlohmann::json> extractJudgeJson(std::string_view reply)
{
    std::string_view text = trimmed(reply);
    if (const auto fence = text.find("```"); fence != std::string_view::npos) {
        std::string_view inner = text.substr(fence + 3);
        if (inner.starts_with("json") || inner.starts_with("JSON"))
            inner.remove_prefix(4);
        if (const auto close = inner.find("```"); close != std::string_view::npos)
            inner = inner.substr(0, close);
        text = trimmed(inner);
    }
    Json value = Json::parse(text, nullptr, false);
    if (value.is_discarded()) {
        const auto open = text.find('{');
        const auto close = text.rfind('}');
        if (open != std::string_view::npos && close != std::string_view::npos && close > open)
            value = Json::parse(text.substr(open, close - open + 1), nullptr, false);
    }
    if (value.is_discarded())
        return fail(ErrorCode::Parse, "the reply is not a JSON object", "judge reply");
    return value;
}

Result<ReplyScore> scoreJudgeReply(JudgeMetric metric, const nlohmann::json &reply, int passages)
{
    switch (metric) {
    case JudgeMetric::Faithfulness: {
        const auto share = shareTrue(flags(reply.at("claims"), "verdict", "supported"));
        if (!share)
            return ReplyScore{std::nullopt, "the answer states no claims"};
        return ReplyScore{share, {}};
    }
    case JudgeMetric::AnswerRelevance:
        return ReplyScore{ratingToUnit(reply.at("rating").get<int>()), {}};
    case JudgeMetric::ContextPrecision: {
        // One verdict per passage, each passage once; read back in rank order.
        const Json &verdicts = reply.at("verdicts");
        std::vector<int> relevant(std::size_t(passages), -1);
        for (std::size_t i = 0; i < verdicts.size(); ++i) {
            const int n = verdicts[i].at("passage").get<int>();
            if (n < 1 || n > passages)
                return fail(ErrorCode::Parse, "passage " + std::to_string(n) + " does not exist (there are "
                                                  + std::to_string(passages) + ")", "/verdicts/" + std::to_string(i) + "/passage");
            if (relevant[std::size_t(n - 1)] >= 0)
                return fail(ErrorCode::Parse, "passage " + std::to_string(n) + " is judged twice",
                            "/verdicts/" + std::to_string(i) + "/passage");
            relevant[std::size_t(n - 1)] = verdicts[i].at("relevant").get<bool>() ? 1 : 0;
        }
        std::vector<bool> inOrder;
        for (int i = 0; i < passages; ++i) {
            if (relevant[std::size_t(i)] < 0)
                return fail(ErrorCode::Parse, "passage " + std::to_string(i + 1) + " has no verdict", "/verdicts");
            inOrder.push_back(relevant[std::size_t(i)] == 1);
        }
        return ReplyScore{averagePrecision(inOrder), {}};
    }
    case JudgeMetric::ContextRecall: {
        const auto share = shareTrue(flags(reply.at("statements"), "attributed"));
        if (!share)
            return ReplyScore{std::nullopt, "the reference answer states nothing to attribute"};
        return ReplyScore{share, {}};
    }
    }
    return fail(ErrorCode::Internal, "unknown judge metric");
}

Judge::Ask Judge::askOnce(const JudgePrompt &prompt, const JsonSchema &schema, const std::vector<ChatMessage> &first,
                          int passages, std::int64_t seed, const JobContext &ctx, UsageTotals &usage) const
{
    Ask out;
    std::vector<ChatMessage> messages = first;
    const int attempts = std::max(1, m_options.maxAttempts);
    for (int attempt = 1; attempt <= attempts; ++attempt) {
        ChatRequest request;
        request.messages = messages;
        request.temperature = m_options.temperature;
        request.maxTokens = m_options.maxTokens;
        request.seed = seed;
        ++out.asks;
        auto response = m_model.chat(request, [](std::string_view) {}, ctx);
        if (!response) {
            out.reason = "judge call failed: " + response.error().message();
            return out;
        }
        usage.add(*response);
        std::string problem;
        auto parsed = extractJudgeJson(response->text);
        if (!parsed) {
            problem = "the reply is not valid JSON";
        } else if (const auto violations = schema.validate(*parsed); !violations.empty()) {
            for (const SchemaViolation &v : violations)
                problem += (problem.empty() ? "" : "; ") + v.text();
        } else {
            auto scored = scoreJudgeReply(prompt.metric, *parsed, passages);
            if (scored) {
                out.value = scored->value;
                out.reason = scored->reason;
                out.reply = std::move(*parsed);
                return out;
            }
            problem = scored.error().source + ": " + scored.error().detail;
        }
        qCDebug(lcJudge, "%s attempt %d invalid: %s", prompt.key().c_str(), attempt, problem.c_str());
        out.reason = "invalid judge reply after " + std::to_string(attempt) + " asks: " + problem;
        messages.push_back({ChatRole::Assistant, response->text});
        messages.push_back({ChatRole::User, "Your reply does not satisfy the required JSON schema: " + problem
                                                + ". Reply again with only the corrected JSON object."});
    }
    return out;
}

Judgement Judge::judge(JudgeMetric metric, const JudgeInputs &inputs, int passages, const JobContext &ctx,
                       UsageTotals &usage) const
{
    return judge(defaultJudgePrompt(metric), inputs, passages, ctx, usage);
}

Judgement Judge::judge(const JudgePrompt &prompt, const JudgeInputs &inputs, int passages, const JobContext &ctx,
                       UsageTotals &usage) const
{
    Judgement j;
    j.metric = prompt.metric;
    j.promptKey = prompt.key();
    j.promptHash = prompt.textHash();
    const int repeats = std::max(1, m_options.repeats);
    if (const std::string missing = missingInput(prompt.metric, inputs, passages); !missing.empty()) {
        j.unmeasuredReason = missing;
        return j;  // nothing to ask: no repeats either
    }
    auto schema = JsonSchema::compileText(prompt.schemaJson);
    if (!schema) {
        j.unmeasuredReason = "the judge prompt's schema is invalid: " + schema.error().message();
        return j;
    }
    const std::vector<ChatMessage> messages = prompt.render(inputs);
    for (int r = 0; r < repeats; ++r) {
        if (ctx.cancelled()) {
            j.unmeasuredReason = "cancelled";
            break;
        }
        Ask ask = askOnce(prompt, *schema, messages, passages, m_options.seed + r, ctx, usage);
        j.asks += ask.asks;
        j.repeats.push_back(ask.value);
        j.repeatReasons.push_back(ask.value ? std::string() : ask.reason);
        if (ask.value && j.detail.is_null())
            j.detail = std::move(ask.reply);
    }
    j.score = meanOfMeasured(j.repeats);
    if (!j.score && j.unmeasuredReason.empty())
        for (const std::string &reason : j.repeatReasons)
            if (!reason.empty()) {
                j.unmeasuredReason = reason;
                break;
            }
    return j;
}

} // namespace rag
