// ragwb sweep: a grid of pipelines on a stored eval set, one run per point,
// every cached stage reused. ragwb runs: list, export and import the immutable
// runs of a project, and compare two of them.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/cli/pipelineoptions.h"

#include "core/eval/comparison.h"
#include "core/eval/reportwriters.h"
#include "core/eval/textfile.h"
#include "core/pipeline/evalsetimport.h"
#include "core/pipeline/runcomparison.h"
#include "core/pipeline/runtransfer.h"
#include "core/pipeline/sweep.h"
#include "core/store/project.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace rag::cli {

namespace {

template <typename T, typename Parse>
Result<std::vector<T>> listOption(const QCommandLineParser &parser, const char *name, Parse parse)
{
    std::vector<T> out;
    for (const QString &item : parser.value(QString::fromLatin1(name)).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = true;
        T value = parse(item.trimmed(), ok);
        if (!ok)
            return fail(ErrorCode::InvalidArgument, "bad value '" + toStd(item) + "'", std::string("--") + name);
        out.push_back(std::move(value));
    }
    return out;
}

Result<SweepGrid> gridFrom(const QCommandLineParser &parser)
{
    SweepGrid grid;
    auto toInt64 = [](const QString &s, bool &ok) { return s.toLongLong(&ok); };
    auto toInt = [](const QString &s, bool &ok) { return s.toInt(&ok); };
    auto toDouble = [](const QString &s, bool &ok) { return s.toDouble(&ok); };
    auto toText = [](const QString &s, bool &ok) { ok = !s.isEmpty(); return toStd(s); };
    auto toLane = [](const QString &s, bool &ok) {
        auto lane = parseLane(toStd(s));
        ok = lane.has_value();
        return lane.value_or(Lane::Keyword);
    };
    auto sizes = listOption<std::int64_t>(parser, "chunk-sizes", toInt64);
    auto overlaps = listOption<std::int64_t>(parser, "chunk-overlaps", toInt64);
    auto strategies = listOption<std::string>(parser, "strategies", toText);
    auto lanes = listOption<Lane>(parser, "lanes", toLane);
    auto rrfKs = listOption<int>(parser, "rrf-ks", toInt);
    auto alphas = listOption<double>(parser, "alphas", toDouble);
    auto topKs = listOption<int>(parser, "top-ks", toInt);
    for (const Error *e : {sizes ? nullptr : &sizes.error(), overlaps ? nullptr : &overlaps.error(),
                           strategies ? nullptr : &strategies.error(), lanes ? nullptr : &lanes.error(),
                           rrfKs ? nullptr : &rrfKs.error(), alphas ? nullptr : &alphas.error(),
                           topKs ? nullptr : &topKs.error()})
        if (e)
            return std::unexpected(*e);
    grid = SweepGrid{*sizes, *overlaps, *strategies, *lanes, *rrfKs, *alphas, *topKs};
    return grid;
}

Result<void> writeSweepJson(const std::string &path, const StoredEvalSet &set, const SweepPlan &plan,
                            const std::vector<SweepRun> &runs)
{
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    for (const SweepRun &r : runs)
        points.push_back({{"run_id", r.runId}, {"label", r.point.label},
                          {"config", nlohmann::ordered_json::parse(r.point.pipeline.toJson())},
                          {"metrics", r.metrics}, {"timings_ms", r.timingsMs}});
    const nlohmann::ordered_json out = {{"eval_set", {{"name", set.name}, {"hash", set.hash}}},
                                        {"skipped", plan.skipped}, {"points", std::move(points)}};
    return evalio::writeTextFile(path, out.dump(2) + "\n");
}

} // namespace

int runSweepCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("project"), QStringLiteral("Project file holding the documents."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("eval-set"), QStringLiteral("Stored eval set name (see ragwb evalset)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("split"), QStringLiteral("Split of the eval set."), QStringLiteral("SPLIT")});
    parser.addOption({QStringLiteral("metrics"), QStringLiteral("Comma-separated metrics."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("label"), QStringLiteral("Label prefix of the runs (default sweep)."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Write every point (config, run id, metrics, timings) as JSON."), QStringLiteral("OUT")});
    parser.addOption({QStringLiteral("no-chunk-metrics"), QStringLiteral("Skip the chunk-level metrics.")});
    parser.addOption({QStringLiteral("chunk-sizes"), QStringLiteral("Grid: chunk sizes, e.g. 500,1000,2000."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("chunk-overlaps"), QStringLiteral("Grid: chunk overlaps."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("strategies"), QStringLiteral("Grid: chunk strategies."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("lanes"), QStringLiteral("Grid: bm25, dense, hybrid."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("rrf-ks"), QStringLiteral("Grid: RRF constants."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("alphas"), QStringLiteral("Grid: dense weights of weighted fusion."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("top-ks"), QStringLiteral("Grid: results kept per query."), QStringLiteral("LIST")});
    addPipelineOptions(parser);
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("sweep"),
                      QStringLiteral("Run a grid of pipelines on a stored eval set: one recorded run per point, cached "
                                     "chunk sets, indexes and embeddings reused. Unset grid options keep the base value."),
                      args, code))
        return code;
    if (!parser.isSet(QStringLiteral("eval-set")))
        return usageError(QStringLiteral("sweep"), QStringLiteral("--eval-set NAME is required"));
    // The base keeps a given --embedder on bm25: --lanes may turn it into dense or hybrid points.
    auto base = pipelineFromOptions(parser, KeywordEmbedder::KeepIfGiven);
    if (!base)
        return usageError(QStringLiteral("sweep"), QString::fromStdString(base.error().message()));
    // One transform (and model) for every point; each point's run counts its own calls.
    auto expander = queryExpanderFromOptions(parser, base->transform);
    if (!expander)
        return reportError(expander.error());
    auto grid = gridFrom(parser);
    if (!grid)
        return usageError(QStringLiteral("sweep"), QString::fromStdString(grid.error().message()));
    auto plan = planSweep(*base, *grid);
    if (!plan)
        return usageError(QStringLiteral("sweep"), QString::fromStdString(plan.error().message()));
    for (const std::string &skipped : plan->skipped)
        std::fprintf(stderr, "ragwb sweep: skipped %s\n", skipped.c_str());
    auto project = openProjectOption(parser);
    if (!project)
        return reportError(project.error());
    auto set = findEvalSet(**project, toStd(parser.value(QStringLiteral("eval-set"))), toStd(parser.value(QStringLiteral("split"))));
    if (!set)
        return reportError(set.error());
    StoredEvalSpec common;
    common.expandQuery = std::move(*expander);
    common.depth = parser.value(QStringLiteral("depth")).toInt();
    common.metrics = metricList(parser, common.metrics);
    common.chunkMetrics = !parser.isSet(QStringLiteral("no-chunk-metrics"));
    common.label = toStd(parser.value(QStringLiteral("label")));
    const std::string first = common.metrics.front();
    std::printf("%zu points on %s (%zu queries)\n", plan->points.size(), set->name.c_str(), set->queries.size());
    auto runs = runSweep(**project, *set, *plan, common, stderrProgress(parser.isSet(QStringLiteral("quiet"))),
                         [&](const SweepRun &r) {
                             std::printf("run %lld  %-40s %s %.4f\n", (long long)r.runId, r.point.label.c_str(),
                                         first.c_str(), r.metrics.count(first) ? r.metrics.at(first) : 0.0);
                             std::fflush(stdout);
                         });
    if (!runs)
        return reportError(runs.error());
    if (parser.isSet(QStringLiteral("json")))
        if (auto ok = writeSweepJson(toStd(parser.value(QStringLiteral("json"))), *set, *plan, *runs); !ok)
            return reportError(ok.error());
    return Ok;
}

namespace {

int runsList(const QCommandLineParser &parser)
{
    auto project = openProjectOption(parser);
    if (!project)
        return reportError(project.error());
    auto runs = listRuns(**project);
    if (!runs)
        return reportError(runs.error());
    for (const RunSummary &r : *runs) {
        std::printf("%lld\t%s\t%s\t%s", (long long)r.id, r.createdAt.c_str(), r.evalSetHash.substr(0, 12).c_str(),
                    r.label.c_str());
        for (const auto &[name, value] : r.metrics)
            std::printf("\t%s=%.4f", name.c_str(), value);
        std::printf("\n");
    }
    return Ok;
}

std::vector<std::int64_t> idList(const QString &text)
{
    std::vector<std::int64_t> ids;
    for (const QString &s : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        ids.push_back(s.trimmed().toLongLong());
    return ids;
}

} // namespace

int runRunsCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list | export OUT.json | import IN.json | report ID OUT.json"));
    parser.addOption({QStringLiteral("project"), QStringLiteral("Project file."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("ids"), QStringLiteral("Runs to export, e.g. 3,4 (default all)."), QStringLiteral("LIST")});
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("runs"),
                      QStringLiteral("List, export or import a project's immutable runs, or write one run's report "
                                     "(for ragwb compare)."),
                      args, code))
        return code;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    if (action == QLatin1String("list") && pos.size() == 1)
        return runsList(parser);
    auto project = openProjectOption(parser);
    if (!project)
        return reportError(project.error());
    if (action == QLatin1String("export") && pos.size() == 2) {
        if (auto ok = exportRuns(**project, idList(parser.value(QStringLiteral("ids"))), toStd(pos[1])); !ok)
            return reportError(ok.error());
        return Ok;
    }
    if (action == QLatin1String("import") && pos.size() == 2) {
        auto summary = importRuns(**project, toStd(pos[1]));
        if (!summary)
            return reportError(summary.error());
        std::printf("imported %zu runs, %d already present\n", summary->imported.size(), summary->alreadyPresent);
        return Ok;
    }
    if (action == QLatin1String("report") && pos.size() == 3) {
        auto report = runReport(**project, pos[1].toLongLong());
        if (!report)
            return reportError(report.error());
        if (auto ok = report->save(toStd(pos[2])); !ok)
            return reportError(ok.error());
        return Ok;
    }
    return usageError(QStringLiteral("runs"), QStringLiteral("expected list, export OUT, import IN or report ID OUT"));
}

} // namespace rag::cli
