// ragwb eval: a pipeline measured on a BEIR folder, with a CI gate.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/cli/pipelineoptions.h"

#include "core/eval/trecformat.h"
#include "core/pipeline/evaluation.h"
#include "core/store/project.h"

#include <QDir>
#include <QTemporaryDir>

#include <cstdio>

namespace rag::cli {

namespace {

void addOptions(QCommandLineParser &parser)
{
    auto opt = [&](const char *name, const char *help, const char *value = nullptr, const char *def = nullptr) {
        if (value)
            parser.addOption({QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value),
                              def ? QString::fromLatin1(def) : QString()});
        else
            parser.addOption({QString::fromLatin1(name), QString::fromLatin1(help)});
    };
    opt("beir", "BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv).", "DIR");
    opt("cranfield", "Cranfield folder (cran.all.1400, cran.qry, cranqrel) instead of --beir.", "DIR");
    opt("relevance", "Cranfield relevance convention: binary-all, binary or graded (default binary).", "C", "binary");
    opt("split", "Qrels split (default test).", "SPLIT", "test");
    opt("project", "Keep the corpus, chunks, indexes and run in this project file (default: a temporary project).", "FILE");
    addPipelineOptions(parser);
    opt("metrics", "Comma-separated metrics (default ndcg@10,recall@100,mrr,map,p@10,hit@10,recall@10,ndcg@100).", "LIST");
    opt("json", "Write the report as JSON.", "OUT");
    opt("trec-run", "Write the run as a TREC run file.", "OUT");
    opt("label", "A label for the run.", "TEXT");
    opt("fail-under", "Exit 3 when METRIC is below VALUE (repeatable), e.g. ndcg@10=0.60.", "METRIC=VALUE");
}

} // namespace

int runEval(const QStringList &args)
{
    QCommandLineParser parser;
    addOptions(parser);
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("eval"), QStringLiteral("Evaluate a retrieval pipeline on a BEIR folder or the Cranfield collection."), args, code))
        return code;
    const bool cranfield = parser.isSet(QStringLiteral("cranfield"));
    if (parser.isSet(QStringLiteral("beir")) == cranfield)
        return usageError(QStringLiteral("eval"), QStringLiteral("give exactly one of --beir DIR or --cranfield DIR"));
    auto gates = parseMetricBounds(parser.values(QStringLiteral("fail-under")), "ndcg@10=0.60");
    if (!gates)
        return usageError(QStringLiteral("eval"), QString::fromStdString(gates.error().message()));
    auto pipeline = pipelineFromOptions(parser, KeywordEmbedder::Drop);
    if (!pipeline)
        return usageError(QStringLiteral("eval"), QString::fromStdString(pipeline.error().message()));

    BeirEvalSpec spec;
    spec.folder = toStd(QDir(parser.value(cranfield ? QStringLiteral("cranfield") : QStringLiteral("beir"))).absolutePath());
    spec.split = toStd(parser.value(QStringLiteral("split")));
    spec.pipeline = *pipeline;
    spec.depth = parser.value(QStringLiteral("depth")).toInt();
    spec.label = toStd(parser.value(QStringLiteral("label")));
    if (parser.isSet(QStringLiteral("metrics"))) {
        spec.metrics.clear();
        for (const QString &m : parser.value(QStringLiteral("metrics")).split(QLatin1Char(','), Qt::SkipEmptyParts))
            spec.metrics.push_back(toStd(m.trimmed().toLower()));
    }
    for (const MetricBound &g : *gates)
        if (std::find(spec.metrics.begin(), spec.metrics.end(), g.metric) == spec.metrics.end())
            spec.metrics.push_back(g.metric);
    auto expander = queryExpanderFromOptions(parser, spec.pipeline.transform);
    if (!expander)
        return reportError(expander.error());
    spec.expandQuery = std::move(*expander);

    QTemporaryDir scratch;
    const std::string projectPath = parser.isSet(QStringLiteral("project"))
        ? toStd(parser.value(QStringLiteral("project")))
        : toStd(scratch.filePath(QStringLiteral("eval.ragwb")));
    auto project = Project::open(projectPath);
    if (!project)
        return reportError(project.error());
    const JobContext ctx = stderrProgress(parser.isSet(QStringLiteral("quiet")));
    auto outcome = cranfield ? evaluateCranfield(**project, spec, toStd(parser.value(QStringLiteral("relevance"))), ctx)
                             : evaluateBeir(**project, spec, ctx);
    if (!outcome)
        return reportError(outcome.error());
    const EvalReport &report = outcome->report;

    if (parser.isSet(QStringLiteral("json")))
        if (auto ok = report.save(toStd(parser.value(QStringLiteral("json")))); !ok)
            return reportError(ok.error());
    if (parser.isSet(QStringLiteral("trec-run")))
        if (auto ok = writeTrecRun(toStd(parser.value(QStringLiteral("trec-run"))), outcome->run,
                                   std::string("ragwb-") + laneName(spec.pipeline.lane));
            !ok)
            return reportError(ok.error());

    std::printf("%s %s, %zu queries, %s\n", report.evalSet.name.c_str(), report.evalSet.split.c_str(), report.queries,
                laneName(spec.pipeline.lane));
    for (const std::string &name : report.metricNames)
        std::printf("  %-12s %.4f\n", name.c_str(), report.metrics.at(name));
    if (report.config.contains("transform_usage")) {
        const auto &u = report.config["transform_usage"];
        const std::string cost = u["cost_usd"].is_null() ? std::string("cost unknown (--prices)")
                                                         : "$" + std::to_string(u["cost_usd"].get<double>());
        std::fprintf(stderr, "transform %s: %d model calls for %d distinct queries (%d reused), %lld in / %lld out tokens, "
                             "%s, %d fallbacks, %.0f ms\n",
                     transformKindName(spec.pipeline.transform.kind), u["model_calls"].get<int>(),
                     u["expanded_queries"].get<int>(), u["reused"].get<int>(), u["input_tokens"].get<long long>(),
                     u["output_tokens"].get<long long>(), cost.c_str(), u["fallbacks"].get<int>(),
                     report.timingsMs.at("transform_total"));
    }

    int exit = Ok;
    for (const MetricBound &g : *gates) {
        const auto it = report.metrics.find(g.metric);
        if (it == report.metrics.end())
            return usageError(QStringLiteral("eval"), QStringLiteral("unknown metric in --fail-under: %1").arg(QString::fromStdString(g.metric)));
        if (it->second < g.bound) {
            std::fprintf(stderr, "ragwb: %s = %.4f is below %.4f\n", g.metric.c_str(), it->second, g.bound);
            exit = BelowThreshold;
        }
    }
    return exit;
}

} // namespace rag::cli
