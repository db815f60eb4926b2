// ragwb evalset: eval sets inside a project — import a QA set (JSONL or CSV,
// document ids and/or character spans) or a BEIR split, list them, and run one
// through a pipeline over the project's documents, recording the run.
// Also home of --metrics and --project parsing shared with sweep and judge.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/cli/pipelineoptions.h"

#include "core/eval/beirreader.h"
#include "core/eval/qasetreader.h"
#include "core/pipeline/evalsetimport.h"
#include "core/pipeline/evaluation.h"
#include "core/store/evalrepository.h"
#include "core/store/project.h"

#include <QDir>

#include <cstdio>

namespace rag::cli {

std::vector<std::string> metricList(const QCommandLineParser &parser, std::vector<std::string> fallback)
{
    if (!parser.isSet(QStringLiteral("metrics")))
        return fallback;
    std::vector<std::string> metrics;
    for (const QString &m : parser.value(QStringLiteral("metrics")).split(QLatin1Char(','), Qt::SkipEmptyParts))
        metrics.push_back(toStd(m.trimmed().toLower()));
    return metrics;
}

Result<std::unique_ptr<Project>> openProjectOption(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("project")))
        return fail(ErrorCode::InvalidArgument, "--project FILE is required", "--project");
    return Project::openExisting(toStd(parser.value(QStringLiteral("project"))));
}

namespace {

int evalsetImport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A QA set (.jsonl or .csv), or a BEIR folder with --beir."));
    parser.addOption({QStringLiteral("project"), QStringLiteral("Project file (its documents resolve spans)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("beir"), QStringLiteral("FILE is a BEIR folder (queries.jsonl, qrels/<split>.tsv).")});
    parser.addOption({QStringLiteral("split"), QStringLiteral("Keep only this split (BEIR: default test)."), QStringLiteral("SPLIT")});
    parser.addOption({QStringLiteral("name"), QStringLiteral("Store under this name (default: the file's base name)."), QStringLiteral("NAME")});
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("evalset import"),
                      QStringLiteral("Store an eval set in a project. Spans are code point offsets into the stored "
                                     "document text (\"title\\n\\nbody\" for records with a title) and are kept as UTF-8 "
                                     "byte offsets."),
                      args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("evalset import"), QStringLiteral("expected one FILE"));
    auto project = openProjectOption(parser);
    if (!project)
        return reportError(project.error());
    const std::string path = toStd(QDir(parser.positionalArguments().first()).absolutePath());
    StoredEvalSet stored;
    if (parser.isSet(QStringLiteral("beir"))) {
        const QString split = parser.isSet(QStringLiteral("split")) ? parser.value(QStringLiteral("split")) : QStringLiteral("test");
        auto set = readBeirEvalSet(path, toStd(split));
        if (!set)
            return reportError(set.error());
        stored = storedFromEvalSet(*set, path);
    } else {
        auto set = readQaSet(path, toStd(parser.value(QStringLiteral("split"))));
        if (!set)
            return reportError(set.error());
        auto resolved = resolveQaSet(**project, *set, path);
        if (!resolved)
            return reportError(resolved.error());
        stored = std::move(*resolved);
    }
    if (parser.isSet(QStringLiteral("name")))
        stored.name = toStd(parser.value(QStringLiteral("name")));
    auto id = EvalRepository((*project)->db()).saveEvalSet(stored);
    if (!id)
        return reportError(id.error());
    std::size_t spans = 0;
    for (const StoredJudgment &j : stored.judgments)
        spans += j.spanStart ? 1 : 0;
    std::printf("eval set %lld: %s%s%s, %zu queries, %zu judgments (%zu spans), hash %s\n", (long long)*id,
                stored.name.c_str(), stored.split.empty() ? "" : "/", stored.split.c_str(), stored.queries.size(),
                stored.judgments.size(), spans, stored.hash.substr(0, 12).c_str());
    return Ok;
}

int evalsetList(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("project"), QStringLiteral("Project file."), QStringLiteral("FILE")});
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("evalset list"), QStringLiteral("List the eval sets of a project."), args, code))
        return code;
    auto project = openProjectOption(parser);
    if (!project)
        return reportError(project.error());
    auto sets = EvalRepository((*project)->db()).evalSets();
    if (!sets)
        return reportError(sets.error());
    for (const StoredEvalSet &s : *sets)
        std::printf("%lld\t%s\t%s\t%s\t%s\n", (long long)s.id, s.name.c_str(), s.split.c_str(), s.hash.substr(0, 12).c_str(),
                    s.source.c_str());
    return Ok;
}

int evalsetRun(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("project"), QStringLiteral("Project file holding the documents."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("eval-set"), QStringLiteral("Stored eval set name."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("qa"), QStringLiteral("Import this QA file (.jsonl/.csv) first and run it."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("split"), QStringLiteral("Split of the eval set."), QStringLiteral("SPLIT")});
    parser.addOption({QStringLiteral("metrics"), QStringLiteral("Comma-separated metrics."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("no-chunk-metrics"), QStringLiteral("Skip the chunk-level (chunk_*) metrics.")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Write the report as JSON."), QStringLiteral("OUT")});
    parser.addOption({QStringLiteral("label"), QStringLiteral("A label for the run."), QStringLiteral("TEXT")});
    addPipelineOptions(parser);
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("evalset run"),
                      QStringLiteral("Evaluate a pipeline on a stored eval set over the project's documents; records a run."),
                      args, code))
        return code;
    if (parser.isSet(QStringLiteral("eval-set")) == parser.isSet(QStringLiteral("qa")))
        return usageError(QStringLiteral("evalset run"), QStringLiteral("give exactly one of --eval-set NAME or --qa FILE"));
    auto pipeline = pipelineFromOptions(parser, KeywordEmbedder::Drop);
    if (!pipeline)
        return usageError(QStringLiteral("evalset run"), QString::fromStdString(pipeline.error().message()));
    auto expander = queryExpanderFromOptions(parser, pipeline->transform);
    if (!expander)
        return reportError(expander.error());
    auto project = openProjectOption(parser);
    if (!project)
        return reportError(project.error());
    StoredEvalSpec spec;
    spec.split = toStd(parser.value(QStringLiteral("split")));
    if (parser.isSet(QStringLiteral("qa"))) {
        const std::string path = toStd(QDir(parser.value(QStringLiteral("qa"))).absolutePath());
        auto set = readQaSet(path, spec.split);
        if (!set)
            return reportError(set.error());
        if (auto id = importQaSet(**project, *set, path); !id)
            return reportError(id.error());
        spec.evalSet = set->name;
    } else {
        spec.evalSet = toStd(parser.value(QStringLiteral("eval-set")));
    }
    spec.pipeline = *pipeline;
    spec.expandQuery = std::move(*expander);
    spec.depth = parser.value(QStringLiteral("depth")).toInt();
    spec.metrics = metricList(parser, spec.metrics);
    spec.chunkMetrics = !parser.isSet(QStringLiteral("no-chunk-metrics"));
    spec.label = toStd(parser.value(QStringLiteral("label")));
    auto outcome = evaluateStored(**project, spec, stderrProgress(parser.isSet(QStringLiteral("quiet"))));
    if (!outcome)
        return reportError(outcome.error());
    if (parser.isSet(QStringLiteral("json")))
        if (auto ok = outcome->report.save(toStd(parser.value(QStringLiteral("json")))); !ok)
            return reportError(ok.error());
    const EvalReport &report = outcome->report;
    std::printf("run %lld: %s, %zu queries, %s\n", (long long)outcome->runId, report.evalSet.name.c_str(), report.queries,
                laneName(spec.pipeline.lane));
    for (const std::string &name : report.metricNames)
        std::printf("  %-18s %.4f\n", name.c_str(), report.metrics.at(name));
    return Ok;
}

} // namespace

int runEvalSetCommand(const QStringList &args)
{
    const QString sub = args.size() > 1 ? args[1] : QString();
    QStringList rest = args.mid(1);
    if (!rest.isEmpty())
        rest[0] = QStringLiteral("ragwb evalset ") + sub;
    if (sub == QLatin1String("import"))
        return evalsetImport(rest);
    if (sub == QLatin1String("list"))
        return evalsetList(rest);
    if (sub == QLatin1String("run"))
        return evalsetRun(rest);
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        std::printf("usage: ragwb evalset import|list|run [options]   ('ragwb evalset <sub> --help' for options)\n");
        return Ok;
    }
    return usageError(QStringLiteral("evalset"), QStringLiteral("expected import, list or run"));
}

} // namespace rag::cli
