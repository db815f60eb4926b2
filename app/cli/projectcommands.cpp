// ragwb init | ingest | chunk | index | info: building up a project file.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"

#include "core/chunking/chunkerconfig.h"
#include "core/pipeline/chunkbuild.h"
#include "core/pipeline/indexbuild.h"
#include "core/pipeline/ingestion.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/evalrepository.h"
#include "core/store/indexcatalog.h"
#include "core/store/project.h"

#include <cstdio>

namespace rag::cli {

namespace {
const QString kProjectArg = QStringLiteral("project");

Result<std::unique_ptr<Project>> openProjectArg(const QCommandLineParser &parser, bool create = false)
{
    const std::string path = toStd(parser.positionalArguments().value(0));
    return create ? Project::open(path) : Project::openExisting(path);
}
} // namespace

int runInit(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(kProjectArg, QStringLiteral("The project file to create (e.g. demo.ragwb)."));
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("init"), QStringLiteral("Create an empty project file."), args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("init"), QStringLiteral("expected exactly one project file"));
    auto project = openProjectArg(parser, true);
    if (!project)
        return reportError(project.error());
    std::printf("project %s ready\n", (*project)->path().c_str());
    return Ok;
}

int runIngest(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(kProjectArg, QStringLiteral("The project file."));
    parser.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("Files and folders to import."), QStringLiteral("PATH..."));
    parser.addOption({QStringLiteral("max-file-mb"), QStringLiteral("Refuse files larger than this (default 512)."), QStringLiteral("MB")});
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("ingest"),
                      QStringLiteral("Import documents (txt, md, html, pdf, docx, csv, jsonl, BEIR corpus.jsonl)."), args, code))
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() < 2)
        return usageError(QStringLiteral("ingest"), QStringLiteral("expected a project file and at least one path"));
    auto project = openProjectArg(parser, true);
    if (!project)
        return reportError(project.error());
    LoadOptions options;
    if (parser.isSet(QStringLiteral("max-file-mb")))
        options.maxFileBytes = parser.value(QStringLiteral("max-file-mb")).toLongLong() << 20;
    std::vector<std::string> paths;
    for (qsizetype i = 1; i < pos.size(); ++i)
        paths.push_back(toStd(pos[i]));
    auto summary = ingestPaths(**project, paths, options, stderrProgress(parser.isSet(QStringLiteral("quiet"))));
    if (!summary)
        return reportError(summary.error());
    for (const ImportOutcome &f : summary->files) {
        if (f.status == ImportStatus::Failed) {
            std::printf("failed     %s: %s (%s)\n", f.path.c_str(), f.error.detail.c_str(), errorCodeName(f.error.code));
            continue;
        }
        std::printf("%-10s %s (+%d ~%d =%d -%d)\n", importStatusName(f.status), f.path.c_str(), f.added, f.replaced,
                    f.unchanged, f.removed);
        for (const Error &e : f.recordErrors)
            std::printf("  skipped record %s: %s\n", e.source.c_str(), e.detail.c_str());
    }
    std::printf("%d imported, %d replaced, %d unchanged, %d failed; %d documents added\n", summary->imported,
                summary->replaced, summary->unchanged, summary->failed, summary->documentsAdded);
    return summary->failed > 0 && summary->imported + summary->replaced + summary->unchanged == 0 ? Failure : Ok;
}

int runChunk(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(kProjectArg, QStringLiteral("The project file."));
    parser.addOption({QStringLiteral("name"), QStringLiteral("Chunk set name (default: derived from the settings)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("strategy"), QStringLiteral("fixed, recursive, sentence or markdown (default recursive)."), QStringLiteral("S"), QStringLiteral("recursive")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Chunk size (default 1000)."), QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("overlap"), QStringLiteral("Overlap (default 200)."), QStringLiteral("N"), QStringLiteral("200")});
    parser.addOption({QStringLiteral("unit"), QStringLiteral("characters or tokens (default characters)."), QStringLiteral("U"), QStringLiteral("characters")});
    parser.addOption({QStringLiteral("encoding"), QStringLiteral("Tokenizer for token sizes: cl100k_base or o200k_base."), QStringLiteral("E"), QStringLiteral("cl100k_base")});
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("chunk"), QStringLiteral("Create or refresh a chunk set."), args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("chunk"), QStringLiteral("expected exactly one project file"));
    ChunkerConfig config;
    const auto strategy = chunkStrategyFromName(toStd(parser.value(QStringLiteral("strategy"))));
    if (!strategy)
        return usageError(QStringLiteral("chunk"), QStringLiteral("unknown strategy '%1'").arg(parser.value(QStringLiteral("strategy"))));
    std::string unitName = toStd(parser.value(QStringLiteral("unit")));
    if (unitName == "chars")
        unitName = "characters";
    const auto unit = chunkUnitFromName(unitName);
    if (!unit)
        return usageError(QStringLiteral("chunk"), QStringLiteral("unknown unit '%1'").arg(parser.value(QStringLiteral("unit"))));
    config.strategy = *strategy;
    config.unit = *unit;
    config.size = parser.value(QStringLiteral("size")).toLongLong();
    config.overlap = parser.value(QStringLiteral("overlap")).toLongLong();
    config.encoding = toStd(parser.value(QStringLiteral("encoding")));
    if (auto ok = config.validate(); !ok)
        return usageError(QStringLiteral("chunk"), QString::fromStdString(ok.error().message()));
    std::string name = toStd(parser.value(QStringLiteral("name")));
    if (name.empty())
        name = std::string(chunkStrategyName(config.strategy)) + "-" + std::to_string(config.size) + "-"
            + std::to_string(config.overlap) + (config.unit == ChunkUnit::Tokens ? "tok" : "ch");
    auto project = openProjectArg(parser);
    if (!project)
        return reportError(project.error());
    auto built = buildChunkSet(**project, name, config, stderrProgress(parser.isSet(QStringLiteral("quiet"))));
    if (!built)
        return reportError(built.error());
    std::printf("chunk set %s: %lld chunks over %lld documents (%lld documents chunked now, %lld ms)\n",
                built->chunkSet.name.c_str(), static_cast<long long>(built->chunkSet.chunks),
                static_cast<long long>(built->chunkSet.documents), static_cast<long long>(built->documentsChunked),
                static_cast<long long>(built->elapsedMs));
    return Ok;
}

int runIndex(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(kProjectArg, QStringLiteral("The project file."));
    parser.addOption({QStringLiteral("chunk-set"), QStringLiteral("The chunk set to index."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("kind"), QStringLiteral("bm25, hnsw or flat (default bm25)."), QStringLiteral("K"), QStringLiteral("bm25")});
    parser.addOption({QStringLiteral("embedder"), QStringLiteral("use-lite or lexical (hnsw and flat)."), QStringLiteral("E"), QStringLiteral("use-lite")});
    parser.addOption({QStringLiteral("M"), QStringLiteral("HNSW graph degree (default 16)."), QStringLiteral("N"), QStringLiteral("16")});
    parser.addOption({QStringLiteral("ef-construction"), QStringLiteral("HNSW build beam (default 100)."), QStringLiteral("N"), QStringLiteral("100")});
    parser.addOption({QStringLiteral("ef-search"), QStringLiteral("HNSW query beam (default 128)."), QStringLiteral("N"), QStringLiteral("128")});
    parser.addOption({QStringLiteral("refit"), QStringLiteral("Lexical embedder: fit new statistics.")});
    parser.addOption({QStringLiteral("name"), QStringLiteral("Index name (default <chunk set>:<kind>[:<embedder>])."), QStringLiteral("NAME")});
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("index"), QStringLiteral("Build or rebuild an index over a chunk set."), args, code))
        return code;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("chunk-set")))
        return usageError(QStringLiteral("index"), QStringLiteral("expected a project file and --chunk-set"));
    auto project = openProjectArg(parser);
    if (!project)
        return reportError(project.error());
    IndexBuildSpec spec;
    spec.chunkSet = toStd(parser.value(QStringLiteral("chunk-set")));
    spec.kind = toStd(parser.value(QStringLiteral("kind")));
    spec.embedder = toStd(parser.value(QStringLiteral("embedder")));
    spec.M = parser.value(QStringLiteral("M")).toInt();
    spec.efConstruction = parser.value(QStringLiteral("ef-construction")).toInt();
    spec.efSearch = parser.value(QStringLiteral("ef-search")).toInt();
    spec.refit = parser.isSet(QStringLiteral("refit"));
    spec.name = toStd(parser.value(QStringLiteral("name")));
    auto built = buildIndex(**project, spec, stderrProgress(parser.isSet(QStringLiteral("quiet"))));
    if (!built)
        return reportError(built.error());
    std::printf("index %s built in %lld ms (%lld texts embedded, %lld from cache)\n", built->record.name.c_str(),
                static_cast<long long>(built->elapsedMs), static_cast<long long>(built->embedded),
                static_cast<long long>(built->cached));
    return Ok;
}

int runInfo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(kProjectArg, QStringLiteral("The project file."));
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("info"), QStringLiteral("Show what a project holds."), args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("info"), QStringLiteral("expected exactly one project file"));
    auto project = openProjectArg(parser);
    if (!project)
        return reportError(project.error());
    const Project &p = **project;
    DocumentRepository documents(p.db());
    auto sources = documents.sources();
    auto count = documents.count();
    if (!sources || !count)
        return reportError(!sources ? sources.error() : count.error());
    int failed = 0;
    for (const SourceInfo &s : *sources)
        failed += s.status == "failed" ? 1 : 0;
    std::printf("project %s\n", p.path().c_str());
    std::printf("documents: %lld from %zu files (%d failed)\n", static_cast<long long>(*count), sources->size(), failed);
    for (const SourceInfo &s : *sources)
        if (s.status == "failed")
            std::printf("  failed %s: %s (%s)\n", s.path.c_str(), s.errorDetail.c_str(), s.errorCode.c_str());
    auto sets = ChunkRepository(p.db()).list();
    if (!sets)
        return reportError(sets.error());
    std::printf("chunk sets: %zu\n", sets->size());
    for (const ChunkSetInfo &s : *sets)
        std::printf("  %s: %lld chunks, %lld documents, %lld pending  %s\n", s.name.c_str(),
                    static_cast<long long>(s.chunks), static_cast<long long>(s.documents),
                    static_cast<long long>(s.pending), s.configJson.c_str());
    auto indexes = IndexCatalog(p.db()).list();
    if (!indexes)
        return reportError(indexes.error());
    std::printf("indexes: %zu\n", indexes->size());
    for (const IndexRecord &r : *indexes) {
        auto stale = isStale(p, r);
        std::printf("  %s: %s over %s%s%s, built %s in %lld ms, %lld bytes%s\n", r.name.c_str(), r.kind.c_str(),
                    r.chunkSetName.c_str(), r.embedderKey.empty() ? "" : " with ", r.embedderKey.c_str(),
                    r.builtAt.c_str(), static_cast<long long>(r.buildMs), static_cast<long long>(r.sizeBytes),
                    stale && *stale ? "  [stale: rebuild with ragwb index]" : "");
    }
    EvalRepository evals(p.db());
    auto evalSets = evals.evalSets();
    auto runs = evals.runs();
    if (!evalSets || !runs)
        return reportError(!evalSets ? evalSets.error() : runs.error());
    std::printf("eval sets: %zu\nruns: %zu\n", evalSets->size(), runs->size());
    for (const RunRecord &r : *runs)
        std::printf("  #%lld %s  %s  %s\n", static_cast<long long>(r.id), r.createdAt.c_str(), r.label.c_str(),
                    r.metricsJson.c_str());
    return Ok;
}

} // namespace rag::cli
