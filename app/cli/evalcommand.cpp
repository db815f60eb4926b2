// ragwb eval: a pipeline measured on a BEIR folder, with a CI gate.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"

#include "core/chunking/chunkerconfig.h"
#include "core/eval/trecformat.h"
#include "core/generate/chatmodelfactory.h"
#include "core/generate/querytransform.h"
#include "core/net/envsecretstore.h"
#include "core/pipeline/evaluation.h"
#include "core/store/project.h"

#include <QDir>
#include <QTemporaryDir>

#include <cstdio>

namespace rag::cli {

namespace {

Result<PipelineConfig> pipelineFrom(const QCommandLineParser &parser)
{
    PipelineConfig config;
    auto lane = parseLane(toStd(parser.value(QStringLiteral("retriever"))));
    if (!lane)
        return std::unexpected(lane.error());
    config.lane = *lane;
    if (config.lane != Lane::Keyword)
        config.embedder = toStd(parser.value(QStringLiteral("embedder")));
    config.vectorIndex = toStd(parser.value(QStringLiteral("index")));
    config.hnswM = parser.value(QStringLiteral("M")).toInt();
    config.hnswEfConstruction = parser.value(QStringLiteral("ef-construction")).toInt();
    config.hnswEfSearch = parser.value(QStringLiteral("ef-search")).toInt();
    config.fusion = toStd(parser.value(QStringLiteral("fusion")));
    config.rrfK = parser.value(QStringLiteral("rrf-k")).toInt();
    config.alpha = parser.value(QStringLiteral("alpha")).toDouble();
    config.candidates = parser.value(QStringLiteral("candidates")).toInt();
    auto transform = parseTransformKind(toStd(parser.value(QStringLiteral("transform"))));
    if (!transform)
        return std::unexpected(transform.error());
    config.transform.kind = *transform;
    config.transform.chat = toStd(parser.value(QStringLiteral("chat")));
    config.transform.variants = parser.value(QStringLiteral("variants")).toInt();
    config.transform.temperature = parser.value(QStringLiteral("transform-temperature")).toDouble();
    config.transform.hydeInKeyword = parser.isSet(QStringLiteral("hyde-keyword"));
    config.transform.fallbackOnError = parser.isSet(QStringLiteral("transform-fallback"));

    ChunkerConfig chunker;
    const auto strategy = chunkStrategyFromName(toStd(parser.value(QStringLiteral("chunk-strategy"))));
    if (!strategy)
        return fail(ErrorCode::InvalidArgument, "unknown chunk strategy", "--chunk-strategy");
    std::string unitName = toStd(parser.value(QStringLiteral("chunk-unit")));
    if (unitName == "chars")
        unitName = "characters";
    const auto unit = chunkUnitFromName(unitName);
    if (!unit)
        return fail(ErrorCode::InvalidArgument, "unknown chunk unit (characters or tokens)", "--chunk-unit");
    chunker.strategy = *strategy;
    chunker.unit = *unit;
    chunker.size = parser.value(QStringLiteral("chunk-size")).toLongLong();
    chunker.overlap = parser.value(QStringLiteral("chunk-overlap")).toLongLong();
    if (auto ok = chunker.validate(); !ok)
        return std::unexpected(ok.error());
    config.chunkerJson = chunker.canonicalJson();
    if (auto ok = config.validate(); !ok)
        return std::unexpected(ok.error());
    return config;
}

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
    opt("retriever", "bm25, dense or hybrid (default bm25).", "R", "bm25");
    opt("embedder", "use-lite or lexical, for dense and hybrid (default use-lite).", "E", "use-lite");
    opt("index", "Vector index: hnsw or flat (default hnsw).", "K", "hnsw");
    opt("M", "HNSW graph degree (default 16).", "N", "16");
    opt("ef-construction", "HNSW build beam (default 200).", "N", "200");
    opt("ef-search", "HNSW query beam (default 128).", "N", "128");
    opt("fusion", "Hybrid fusion: rrf or weighted (default rrf).", "F", "rrf");
    opt("rrf-k", "RRF constant (default 60).", "N", "60");
    opt("alpha", "Dense weight in weighted fusion (default 0.5).", "A", "0.5");
    opt("candidates", "Chunks each leg retrieves before fusion (default 1000).", "N", "1000");
    opt("transform", "Query transform: none, hyde or multi-query (default none); recorded in the run's config.", "T", "none");
    opt("chat", "PROVIDER:MODEL that writes the transform's passages or phrasings.", "SPEC");
    opt("base-url", "The chat provider's API base URL.", "URL");
    opt("prices", "Price table JSON for the transform's cost.", "FILE");
    opt("variants", "HyDE passages or extra phrasings per query (default 3).", "N", "3");
    opt("transform-temperature", "Sampling temperature of the transform (default 0.7).", "T", "0.7");
    opt("hyde-keyword", "HyDE: BM25 searches the passages too (default: the query only).");
    opt("transform-fallback", "Search the plain query when the transform's model fails (counted) instead of failing.");
    opt("chunk-strategy", "fixed, recursive, sentence or markdown (default recursive).", "S", "recursive");
    opt("chunk-size", "Chunk size (default 2000).", "N", "2000");
    opt("chunk-overlap", "Chunk overlap (default 200).", "N", "200");
    opt("chunk-unit", "characters or tokens (default characters).", "U", "characters");
    opt("depth", "Documents per query in the run (default 1000).", "N", "1000");
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
    auto pipeline = pipelineFrom(parser);
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
    if (spec.pipeline.transform.active()) {
        ChatModelSettings settings;
        settings.baseUrl = toStd(parser.value(QStringLiteral("base-url")));
        if (parser.isSet(QStringLiteral("prices"))) {
            auto prices = PriceTable::load(toStd(parser.value(QStringLiteral("prices"))));
            if (!prices)
                return reportError(prices.error());
            settings.prices = std::make_shared<PriceTable>(std::move(*prices));
        }
        auto chat = makeChatModel(spec.pipeline.transform.chat, settings, EnvSecretStore(), std::make_shared<HttpClient>());
        if (!chat)
            return reportError(chat.error());
        spec.expandQuery = makeQueryExpander(spec.pipeline.transform, std::move(*chat));
    }

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
