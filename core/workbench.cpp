#include "core/workbench.h"

#include "core/chunking/chunktext.h"
#include "core/pipeline/embedderfactory.h"
#include "core/store/project.h"
#include "core/tokenize/bpetokenizer.h"

#include <QElapsedTimer>

#include <mutex>

namespace rag {

namespace {

// The tokenizer used for display counts, loaded once per process.
std::shared_ptr<const BpeTokenizer> displayTokenizer()
{
    static std::once_flag once;
    static std::shared_ptr<const BpeTokenizer> tokenizer;
    std::call_once(once, [] {
        if (auto loaded = BpeTokenizer::load("cl100k_base"))
            tokenizer = *loaded;
    });
    return tokenizer;
}

} // namespace

Result<void> Workbench::create() const
{
    auto project = Project::open(m_path);
    if (!project)
        return std::unexpected(project.error());
    return {};
}

Result<ProjectSnapshot> Workbench::snapshot() const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    const Project &p = **project;
    ProjectSnapshot s;
    s.path = m_path;
    DocumentRepository documents(p.db());
    auto docs = documents.list();
    auto sources = documents.sources();
    auto sets = ChunkRepository(p.db()).list();
    auto indexes = IndexCatalog(p.db()).list();
    EvalRepository evals(p.db());
    auto evalSets = evals.evalSets();
    auto runs = evals.runs();
    if (!docs || !sources || !sets || !indexes || !evalSets || !runs) {
        for (const Error *e : {docs ? nullptr : &docs.error(), sources ? nullptr : &sources.error(),
                               sets ? nullptr : &sets.error(), indexes ? nullptr : &indexes.error(),
                               evalSets ? nullptr : &evalSets.error(), runs ? nullptr : &runs.error()})
            if (e)
                return std::unexpected(*e);
    }
    s.documents = std::move(*docs);
    s.sources = std::move(*sources);
    s.chunkSets = std::move(*sets);
    s.indexes = std::move(*indexes);
    for (const IndexRecord &r : s.indexes) {
        auto stale = isStale(p, r);
        s.indexStale.push_back(stale && *stale);
    }
    s.evalSets = std::move(*evalSets);
    s.runs = std::move(*runs);
    return s;
}

Result<IngestSummary> Workbench::ingest(const std::vector<std::string> &paths, const LoadOptions &options,
                                        const JobContext &ctx) const
{
    auto project = Project::open(m_path);
    if (!project)
        return std::unexpected(project.error());
    return ingestPaths(**project, paths, options, ctx);
}

Result<ChunkBuildSummary> Workbench::chunk(const std::string &name, const ChunkerConfig &config,
                                           const JobContext &ctx) const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    return buildChunkSet(**project, name, config, ctx);
}

Result<IndexBuildSummary> Workbench::buildIndex(const IndexBuildSpec &spec, const JobContext &ctx) const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    return rag::buildIndex(**project, spec, ctx);
}

Result<EvalOutcome> Workbench::evaluateBeir(const BeirEvalSpec &spec, const JobContext &ctx) const
{
    auto project = Project::open(m_path);
    if (!project)
        return std::unexpected(project.error());
    return rag::evaluateBeir(**project, spec, ctx);
}

Result<std::string> Workbench::documentText(std::int64_t documentId) const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    return DocumentRepository((*project)->db()).text(documentId);
}

Result<std::vector<ChunkRecord>> Workbench::chunksOfDocument(const std::string &chunkSet, std::int64_t documentId) const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    ChunkRepository chunks((*project)->db());
    auto set = chunks.find(chunkSet);
    if (!set)
        return std::unexpected(set.error());
    return chunks.chunksOfDocument(set->id, documentId);
}

Result<std::vector<ChunkView>> Workbench::chunkViews(const std::vector<std::int64_t> &chunkIds) const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    ChunkRepository chunks((*project)->db());
    DocumentRepository documents((*project)->db());
    const auto tokenizer = displayTokenizer();
    std::vector<ChunkView> views;
    views.reserve(chunkIds.size());
    for (std::int64_t id : chunkIds) {
        auto record = chunks.chunk(id);
        if (!record)
            return std::unexpected(record.error());
        auto text = documents.text(record->documentId);
        auto info = documents.info(record->documentId);
        if (!text || !info)
            return std::unexpected(!text ? text.error() : info.error());
        ChunkView view;
        view.record = *record;
        view.documentKey = info->docKey;
        view.text = text->substr(std::size_t(record->start), std::size_t(record->end - record->start));
        view.tokens = tokenizer ? tokenizer->countTokens(view.text) : 0;
        views.push_back(std::move(view));
    }
    return views;
}

Result<RunRecord> Workbench::run(std::int64_t runId) const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    return EvalRepository((*project)->db()).run(runId);
}

Result<std::vector<RunSummary>> Workbench::runs() const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    return listRuns(**project);
}

Result<EvalReport> Workbench::runReport(std::int64_t runId) const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    return rag::runReport(**project, runId);
}

Result<RunComparison> Workbench::compareRuns(std::int64_t baselineId, std::int64_t candidateId) const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    return rag::compareRuns(**project, baselineId, candidateId);
}

Result<std::vector<QueryDrillDown>> Workbench::drillDown(std::int64_t runA, std::int64_t runB,
                                                         const std::string &metric, int k) const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    return drillDownRuns(**project, runA, runB, metric, k);
}

Result<SweepSeries> Workbench::sweepSeries(const std::vector<std::int64_t> &runIds, const std::string &parameter,
                                           const std::string &metric) const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    return rag::sweepSeries(**project, runIds, parameter, metric);
}

Result<std::vector<Chunk>> Workbench::previewChunks(std::string_view text, const ChunkerConfig &config)
{
    auto counter = tokenCounterFor(config);
    if (!counter)
        return std::unexpected(counter.error());
    return chunkText(text, config, counter->get());
}

Result<std::shared_ptr<const Searcher>> Workbench::openSearcher(const std::string &chunkSet,
                                                                const std::string &denseIndex) const
{
    auto project = Project::openExisting(m_path);
    if (!project)
        return std::unexpected(project.error());
    const Project &p = **project;
    return Searcher::open(p, chunkSet, denseIndex, [&](const std::string &key) { return embedderForKey(p, key); });
}

Result<QueryLegs> Workbench::searchLegs(const Searcher &searcher, const std::string &query, bool keyword, bool dense,
                                        int depth) const
{
    QueryLegs legs;
    QElapsedTimer timer;
    if (keyword) {
        auto project = Project::openExisting(m_path);
        if (!project)
            return std::unexpected(project.error());
        timer.start();
        auto hits = searcher.keywordLeg((*project)->db(), query, depth);
        if (!hits)
            return std::unexpected(hits.error());
        legs.keyword = std::move(*hits);
        legs.keywordMs = double(timer.nsecsElapsed()) / 1e6;
    }
    if (dense && searcher.hasDense()) {
        timer.start();
        auto hits = searcher.denseLeg(query, depth);
        if (!hits)
            return std::unexpected(hits.error());
        legs.dense = std::move(*hits);
        legs.denseMs = double(timer.nsecsElapsed()) / 1e6;
    }
    return legs;
}

} // namespace rag
