// ragwb judge: answers every query of a stored eval set through a pipeline (a chat
// model, or extractively offline) and has an LLM judge score faithfulness, answer
// relevance, context precision and context recall; prints each metric's mean over
// the measured queries with measured/total counts, why the others are unmeasured,
// repeat agreement, and token usage and cost. Records an immutable run. Keys come
// from the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY) and are never printed.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/cli/pipelineoptions.h"

#include "core/eval/textfile.h"
#include "core/generate/chatmodelfactory.h"
#include "core/generate/querytransform.h"
#include "core/judging/judgedevaluation.h"
#include "core/tokenize/bpetokenizer.h"

#include <cstdio>
#include <map>

namespace rag::cli {

namespace {

// --fail-under bounds on the judged metrics only.
Result<std::vector<MetricBound>> parseJudgeGates(const QStringList &values)
{
    auto bounds = parseMetricBounds(values, "faithfulness=0.8");
    if (!bounds)
        return bounds;
    for (const MetricBound &b : *bounds) {
        bool known = false;
        for (JudgeMetric m : kJudgeMetrics)
            known = known || b.metric == judgeMetricName(m);
        if (!known)
            return fail(ErrorCode::InvalidArgument,
                        "expected METRIC=VALUE with METRIC one of faithfulness, answer_relevance, context_precision, "
                        "context_recall (e.g. faithfulness=0.8), not '" + b.metric + "'",
                        "--fail-under");
    }
    return bounds;
}

// judge declares its own --base-url and --prices (the judge's and answerer's).
// The transform's model takes --transform-base-url (else --base-url) and the judge's --prices.
constexpr PipelineOptionSet kJudgePipelineOptions{.transform = true, .chatEndpoint = false};

void addOptions(QCommandLineParser &parser)
{
    const auto opt = [&](const char *name, const char *help, const char *value = nullptr, const char *def = nullptr) {
        if (!value)
            parser.addOption({QString::fromLatin1(name), QString::fromLatin1(help)});
        else if (!def)
            parser.addOption({QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value)});
        else
            parser.addOption({QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value),
                              QString::fromLatin1(def)});
    };
    opt("project", "Project file holding the documents and the eval set.", "FILE");
    opt("eval-set", "Stored eval set name.", "NAME");
    opt("split", "Split of the eval set.", "SPLIT");
    opt("answer-with", "PROVIDER:MODEL that answers, or extractive (default).", "SPEC", "extractive");
    opt("judge", "PROVIDER:MODEL that judges (required), e.g. openai:gpt-4o-mini.", "SPEC");
    opt("base-url", "The judge provider's API base URL (and the answerer's unless --answer-base-url).", "URL");
    opt("answer-base-url", "The answering provider's API base URL.", "URL");
    opt("transform-base-url", "The query transform model's API base URL (default: --base-url).", "URL");
    opt("prices", "Price table JSON for cost accounting.", "FILE");
    opt("judge-repeat", "Judge every query N times and report agreement (default 1).", "N", "1");
    opt("judge-attempts", "Asks per judgement when replies are invalid, the first included (default 3).", "N", "3");
    opt("judge-temperature", "Judge sampling temperature (default 0).", "T", "0");
    opt("seed", "Seed of the first repeat; repeat r uses seed + r (default 1).", "N", "1");
    opt("context-chunks", "Retrieved chunks handed to the answerer (1..10, default 5).", "N", "5");
    opt("budget", "Answer prompt token budget (default 3000).", "N", "3000");
    opt("max-tokens", "Answer token limit (default 512).", "N", "512");
    opt("limit", "Judge only the first N queries (by id).", "N", "0");
    opt("threads", "Queries answered and judged at once (default 2).", "N", "2");
    opt("json", "Write the judged results (per query and aggregates) as JSON.", "OUT");
    opt("label", "A label for the run.", "TEXT");
    opt("fail-under", "Exit 3 when METRIC's mean is below VALUE or unmeasured (repeatable), e.g. faithfulness=0.8.",
        "METRIC=VALUE");
    // Without the transform options: JudgedEvalSpec has no query-rewrite hook yet.
    addPipelineOptions(parser, kJudgePipelineOptions);
}

// "3 invalid judge reply, 1 the query has no reference answer": reasons up to their first ':'.
std::string unmeasuredReasons(const JudgedOutcome &outcome, JudgeMetric metric)
{
    std::map<std::string, int> counts;
    for (const JudgedQuery &q : outcome.queries) {
        const Judgement &j = q.judgement(metric);
        if (!j.score)
            ++counts[j.unmeasuredReason.substr(0, j.unmeasuredReason.find(':'))];
    }
    std::string out;
    for (const auto &[reason, n] : counts)
        out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
    return out;
}

void printUsage(const char *what, const UsageTotals &u)
{
    std::printf("  %-7s %lld calls, %lld in / %lld out tokens", what, (long long)u.calls, (long long)u.inputTokens,
                (long long)u.outputTokens);
    if (u.callsWithoutUsage > 0)
        std::printf(" (%lld calls without usage)", (long long)u.callsWithoutUsage);
    if (u.calls > u.callsWithoutCost)
        std::printf(", $%.6f", u.costUsd);
    if (u.callsWithoutCost > 0 && u.calls > 0)
        std::printf(" (%lld calls unpriced)", (long long)u.callsWithoutCost);
    std::printf("\n");
}

void printOutcome(const JudgedOutcome &outcome, const JudgedEvalSpec &spec, const std::string &setName)
{
    std::printf("run %lld: %s, %zu queries, %s, answers by %s, judged by %s (repeat %d)\n", (long long)outcome.runId,
                setName.c_str(), outcome.queries.size(), laneName(spec.pipeline.lane), outcome.answerModel.c_str(),
                outcome.judgeModel.c_str(), spec.judge.repeats);
    for (const JudgedMetricSummary &m : outcome.metrics) {
        const std::size_t total = m.scores.measured + m.scores.unmeasured;
        if (m.scores.mean)
            std::printf("  %-18s %.4f  measured %zu/%zu", judgeMetricName(m.metric), *m.scores.mean, m.scores.measured,
                        total);
        else
            std::printf("  %-18s   n/a   measured 0/%zu", judgeMetricName(m.metric), total);
        if (m.agreement.items > 0)
            std::printf("  agreement over %zu: MAD %.4f, within %.1f %.0f%%", m.agreement.items,
                        *m.agreement.meanAbsoluteDeviation, m.agreement.tolerance,
                        100.0 * *m.agreement.withinToleranceShare);
        if (m.scores.unmeasured > 0)
            std::printf("  (unmeasured: %s)", unmeasuredReasons(outcome, m.metric).c_str());
        std::printf("\n");
    }
    std::printf("usage:\n");
    printUsage("answer", outcome.answerUsage);
    printUsage("judge", outcome.judgeUsage);
}

} // namespace

int runJudge(const QStringList &args)
{
    QCommandLineParser parser;
    addOptions(parser);
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("judge"),
                      QStringLiteral("Answer a stored eval set's queries and score them with an LLM judge; records a run."),
                      args, code))
        return code;
    if (!parser.isSet(QStringLiteral("eval-set")) || !parser.isSet(QStringLiteral("judge")))
        return usageError(QStringLiteral("judge"), QStringLiteral("--eval-set NAME and --judge PROVIDER:MODEL are required"));
    auto gates = parseJudgeGates(parser.values(QStringLiteral("fail-under")));
    if (!gates)
        return usageError(QStringLiteral("judge"), QString::fromStdString(gates.error().message()));
    auto pipeline = pipelineFromOptions(parser, KeywordEmbedder::Drop, kJudgePipelineOptions);
    if (!pipeline)
        return usageError(QStringLiteral("judge"), QString::fromStdString(pipeline.error().message()));
    JudgedEvalSpec spec;
    spec.evalSet = toStd(parser.value(QStringLiteral("eval-set")));
    spec.split = toStd(parser.value(QStringLiteral("split")));
    spec.pipeline = *pipeline;
    spec.depth = parser.value(QStringLiteral("depth")).toInt();
    spec.contextChunks = parser.value(QStringLiteral("context-chunks")).toInt();
    spec.limit = parser.value(QStringLiteral("limit")).toULongLong();
    spec.threads = parser.value(QStringLiteral("threads")).toInt();
    spec.label = toStd(parser.value(QStringLiteral("label")));
    spec.answer.contextBudgetTokens = parser.value(QStringLiteral("budget")).toULongLong();
    spec.answer.maxTokens = parser.value(QStringLiteral("max-tokens")).toInt();
    spec.judge.repeats = parser.value(QStringLiteral("judge-repeat")).toInt();
    spec.judge.maxAttempts = parser.value(QStringLiteral("judge-attempts")).toInt();
    auto temperature = doubleOption(parser, QStringLiteral("judge-temperature"));
    if (!temperature)
        return usageError(QStringLiteral("judge"), QString::fromStdString(temperature.error().message()));
    spec.judge.temperature = *temperature;
    spec.judge.seed = parser.value(QStringLiteral("seed")).toLongLong();
    if (spec.judge.repeats < 1 || spec.judge.maxAttempts < 1 || spec.threads < 1 || spec.contextChunks < 1
        || spec.contextChunks > 10)
        return usageError(QStringLiteral("judge"), QStringLiteral("--judge-repeat, --judge-attempts and --threads must be "
                                                                  "at least 1, --context-chunks 1..10"));

    const std::string answerSpec = toStd(parser.value(QStringLiteral("answer-with")));
    auto answerer = chatModelFromOptions(parser, answerSpec,
                                         parser.isSet(QStringLiteral("answer-base-url")) ? QStringLiteral("answer-base-url")
                                                                                         : QStringLiteral("base-url"));
    if (!answerer)
        return reportError(answerer.error());
    auto judge = chatModelFromOptions(parser, toStd(parser.value(QStringLiteral("judge"))));
    if (!judge)
        return reportError(judge.error());
    if (spec.pipeline.transform.active()) {
        auto rewriter = chatModelFromOptions(parser, spec.pipeline.transform.chat,
                                             parser.isSet(QStringLiteral("transform-base-url"))
                                                 ? QStringLiteral("transform-base-url")
                                                 : QStringLiteral("base-url"));
        if (!rewriter)
            return reportError(rewriter.error());
        spec.expandQuery = makeQueryExpander(spec.pipeline.transform, std::move(*rewriter));
    }
    auto tokenizer = BpeTokenizer::load("cl100k_base");
    if (!tokenizer)
        return reportError(tokenizer.error());
    auto project = openProjectOption(parser);
    if (!project)
        return reportError(project.error());

    auto outcome = runJudgedEvaluation(**project, spec, answerSpec == "extractive" ? nullptr : answerer->get(), **judge,
                                       **tokenizer, stderrProgress(parser.isSet(QStringLiteral("quiet"))));
    if (!outcome)
        return reportError(outcome.error());
    if (parser.isSet(QStringLiteral("json"))) {
        nlohmann::ordered_json json = outcome->toJson();
        json["run_id"] = outcome->runId;
        json["retrieval_metrics"] = outcome->retrieval.metrics;
        if (auto ok = evalio::writeTextFile(toStd(parser.value(QStringLiteral("json"))), json.dump(2) + "\n"); !ok)
            return reportError(ok.error());
    }
    printOutcome(*outcome, spec, spec.evalSet);
    int exit = Ok;
    for (const MetricBound &g : *gates) {
        for (JudgeMetric m : kJudgeMetrics) {
            if (g.metric != judgeMetricName(m))
                continue;
            const auto &mean = outcome->summary(m).scores.mean;
            if (!mean || *mean < g.bound) {
                std::fprintf(stderr, "ragwb judge: %s %s is below %.4f\n", g.metric.c_str(),
                             mean ? QByteArray::number(*mean, 'f', 4).constData() : "(unmeasured)", g.bound);
                exit = BelowThreshold;
            }
        }
    }
    return exit;
}

} // namespace rag::cli
