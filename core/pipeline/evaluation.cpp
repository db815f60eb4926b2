#include "core/pipeline/evaluation.h"

#include "core/chunking/chunkerconfig.h"
#include "core/eval/beirreader.h"
#include "core/eval/cranfieldreader.h"
#include "core/common/hashing.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/eval/metrics.h"
#include "core/eval/metricspec.h"
#include "core/pipeline/chunkbuild.h"
#include "core/pipeline/chunkrelevance.h"
#include "core/pipeline/evalsetimport.h"
#include "core/pipeline/embedderfactory.h"
#include "core/pipeline/indexbuild.h"
#include "core/pipeline/ingestion.h"
#include "core/retrieve/searcher.h"
#include "core/store/evalrepository.h"
#include "core/store/indexcatalog.h"
#include "core/store/project.h"

#include <QElapsedTimer>
#include <QFile>

#include <nlohmann/json.hpp>

#include <unordered_map>
#include <unordered_set>

namespace rag {

namespace {

// Builds the index unless one with that name is current.
Result<void> ensureIndex(const Project &project, const IndexBuildSpec &spec, const JobContext &ctx)
{
    auto existing = IndexCatalog(project.db()).find(defaultIndexName(spec));
    if (existing) {
        auto stale = isStale(project, *existing);
        if (!stale)
            return std::unexpected(stale.error());
        if (!*stale)
            return {};
    }
    auto built = buildIndex(project, spec, ctx);
    if (!built)
        return std::unexpected(built.error());
    return {};
}

// BM25 scores a document that contains no query term 0: such documents are
// tied below every match. They complete the ranking up to `depth` (sorted by
// key, score 0) so every query has a full-depth ranking, as a TREC run expects.
void completeWithUnmatched(Ranking &ranking, const std::vector<std::string> &sortedKeys, int depth)
{
    if (int(ranking.size()) >= depth)
        return;
    std::unordered_set<std::string> present;
    for (const ScoredDoc &d : ranking)
        present.insert(d.docId);
    for (const std::string &key : sortedKeys) {
        if (int(ranking.size()) >= depth)
            break;
        if (!present.count(key))
            ranking.push_back(ScoredDoc{key, 0.0});
    }
}

double msSince(const QElapsedTimer &t) { return double(t.nsecsElapsed()) / 1e6; }

// The chunk ranking of one query (for chunk-level metrics) and its top chunks
// with every leg's rank and score (for the report's drill-down).
void keepChunks(const Searcher &searcher, const LaneResult &lane, Ranking &chunkRanking,
                std::vector<RetrievedChunk> &reported)
{
    chunkRanking.reserve(lane.chunks.size());
    for (const FusedHit &hit : lane.chunks) {
        chunkRanking.push_back(ScoredDoc{chunkKey(hit.chunkId), hit.score});
        if (reported.size() < kReportedChunksPerQuery)
            reported.push_back(RetrievedChunk{hit.chunkId, searcher.docKeyOf(searcher.documentOf(hit.chunkId)), hit.rank,
                                              hit.score, hit.keywordRank, hit.keywordScore, hit.denseRank,
                                              hit.denseScore});
    }
}

// Applies the query-rewrite hook within one run: each distinct query text is
// expanded once (a duplicate reuses it, so the model is not asked again), and
// the model calls, tokens, cost and time are summed for the report.
class QueryRewrites {
public:
    explicit QueryRewrites(const QueryExpander &expand) : m_expand(expand) {}

    // The query's expansion through the lane.
    Result<LaneResult> search(const Searcher &searcher, const Database &db, Lane lane, const std::string &query,
                              const LaneParams &params, int candidates, const JobContext &ctx)
    {
        auto expansion = expanded(query, ctx);
        if (!expansion)
            return std::unexpected(expansion.error());
        auto result = searcher.searchExpanded(db, lane, (*expansion)->searches, params, candidates, ctx);
        if (!result)
            return std::unexpected(result.error());
        return std::move(result->lane);
    }

    Result<const QueryExpansion *> expanded(const std::string &query, const JobContext &ctx)
    {
        if (auto hit = m_cache.find(query); hit != m_cache.end()) {
            ++m_reused;
            return &hit->second;
        }
        QElapsedTimer t;
        t.start();
        auto expanded = m_expand(query, ctx);
        m_ms += msSince(t);
        if (!expanded)
            return std::unexpected(expanded.error());
        m_calls += expanded->modelCalls;
        m_inputTokens += expanded->inputTokens;
        m_outputTokens += expanded->outputTokens;
        if (expanded->modelCalls > 0 && !expanded->costUsd)
            m_costUnknown = true;
        m_costUsd += expanded->costUsd.value_or(0.0);
        m_fallbacks += expanded->fellBack ? 1 : 0;
        return &m_cache.emplace(query, std::move(*expanded)).first->second;
    }

    void report(EvalReport &report) const
    {
        report.config["transform_usage"] = {{"expanded_queries", m_cache.size()}, {"reused", m_reused},
                                            {"model_calls", m_calls}, {"input_tokens", m_inputTokens},
                                            {"output_tokens", m_outputTokens},
                                            {"cost_usd", m_costUnknown ? nlohmann::json(nullptr) : nlohmann::json(m_costUsd)},
                                            {"fallbacks", m_fallbacks}};
        report.timingsMs["transform_total"] = m_ms;
    }

private:
    const QueryExpander &m_expand;
    std::unordered_map<std::string, QueryExpansion> m_cache;
    int m_reused = 0;
    int m_calls = 0;
    std::int64_t m_inputTokens = 0;
    std::int64_t m_outputTokens = 0;
    double m_costUsd = 0.0;
    bool m_costUnknown = false;  // some call's cost is unknown: the sum would understate it
    int m_fallbacks = 0;
    double m_ms = 0.0;
};

// A query as it is, its dense leg already searched in the batch.
Result<LaneResult> plainSearch(const Searcher &searcher, const Database &db, Lane lane, const std::string &query,
                               const std::vector<LegHit> &dense, const LaneParams &params, int candidates)
{
    std::vector<LegHit> keyword;
    if (lane != Lane::Dense) {
        auto leg = searcher.keywordLeg(db, query, candidates);
        if (!leg)
            return std::unexpected(leg.error());
        keyword = std::move(*leg);
    }
    return searcher.assemble(lane, keyword, dense, params);
}

} // namespace

namespace {

// The chunk set a pipeline runs on: the oldest one with the same chunker config
// (whatever the user named it in the GUI or with `ragwb chunk`), so its chunks
// and indexes are reused instead of rebuilt under another name; otherwise a new
// one named after the config.
Result<std::string> chunkSetFor(const Project &project, const ChunkerConfig &chunker)
{
    auto sets = ChunkRepository(project.db()).list();
    if (!sets)
        return std::unexpected(sets.error());
    const std::string hash = chunker.hash();
    const ChunkSetInfo *oldest = nullptr;
    for (const ChunkSetInfo &set : *sets)
        if (set.configHash == hash && (!oldest || set.id < oldest->id))
            oldest = &set;
    if (oldest)
        return oldest->name;
    return std::string(chunkStrategyName(chunker.strategy)) + "-" + std::to_string(chunker.size) + "-"
        + std::to_string(chunker.overlap) + (chunker.unit == ChunkUnit::Tokens ? "tok" : "ch") + "-"
        + hash.substr(0, 8);
}

} // namespace

Result<PreparedPipeline> preparePipeline(const Project &project, const PipelineConfig &config, const JobContext &ctx)
{
    if (auto ok = config.validate(); !ok)
        return std::unexpected(ok.error());
    auto chunker = ChunkerConfig::fromJsonText(config.chunkerJson);
    if (!chunker)
        return std::unexpected(chunker.error());
    PreparedPipeline prepared;
    auto chunkSetName = chunkSetFor(project, *chunker);
    if (!chunkSetName)
        return std::unexpected(chunkSetName.error());
    prepared.chunkSet = std::move(*chunkSetName);
    QElapsedTimer t;
    t.start();
    auto chunked = buildChunkSet(project, prepared.chunkSet, *chunker, ctx);
    if (!chunked)
        return std::unexpected(chunked.error());
    prepared.timingsMs["chunk"] = msSince(t);

    if (config.lane != Lane::Dense) {
        t.restart();
        IndexBuildSpec bm25;
        bm25.chunkSet = prepared.chunkSet;
        bm25.kind = "bm25";
        if (auto ok = ensureIndex(project, bm25, ctx); !ok)
            return std::unexpected(ok.error());
        prepared.timingsMs["index_bm25"] = msSince(t);
    }
    if (config.lane != Lane::Keyword) {
        t.restart();
        IndexBuildSpec dense;
        dense.chunkSet = prepared.chunkSet;
        dense.kind = config.vectorIndex;
        dense.embedder = config.embedder;
        dense.M = config.hnswM;
        dense.efConstruction = config.hnswEfConstruction;
        dense.efSearch = config.hnswEfSearch;
        if (auto ok = ensureIndex(project, dense, ctx); !ok)
            return std::unexpected(ok.error());
        prepared.denseIndex = defaultIndexName(dense);
        prepared.timingsMs["index_dense"] = msSince(t);
    }
    return prepared;
}

Result<EvalOutcome> runEvalSet(const Project &project, const PreparedPipeline &prepared, const PipelineConfig &config,
                               const EvalSet &set, const std::vector<std::string> &metricNames, int depth,
                               const JobContext &ctx, const QueryExpander &expand)
{
    if (config.transform.active() != bool(expand))
        return fail(ErrorCode::InvalidArgument,
                    config.transform.active() ? std::string("the pipeline's ") + transformKindName(config.transform.kind)
                                                    + " query transform needs a chat model to run it"
                                              : "a query-rewrite hook was given for a pipeline without a query transform",
                    "transform");
    std::vector<MetricSpec> metrics;
    for (const std::string &name : metricNames) {
        auto spec = MetricSpec::parse(name);
        if (!spec)
            return std::unexpected(spec.error());
        metrics.push_back(*spec);
    }
    QElapsedTimer t;
    t.start();
    auto searcher = Searcher::open(project, prepared.chunkSet, prepared.denseIndex,
                                   [&](const std::string &key) { return embedderForKey(project, key); });
    if (!searcher)
        return std::unexpected(searcher.error());

    // Only ids and texts leave the eval set: nothing else can reach the retriever.
    std::vector<std::string> texts;
    texts.reserve(set.queries.size());
    for (const EvalQuery &q : set.queries)
        texts.push_back(q.text);
    const int candidates = std::max(config.candidates, depth);
    std::vector<std::vector<LegHit>> denseLegs(set.queries.size());
    if (config.lane != Lane::Keyword && !expand) {
        auto legs = (*searcher)->denseLegs(texts, candidates, ctx);
        if (!legs)
            return std::unexpected(legs.error());
        denseLegs = std::move(*legs);
    }
    LaneParams params;
    params.fusion.method = config.fusion == "weighted" ? FusionMethod::Weighted : FusionMethod::Rrf;
    params.fusion.rrfK = config.rrfK;
    params.fusion.alpha = config.alpha;
    params.topK = std::min(depth, config.topK);
    params.threshold = config.threshold;

    EvalOutcome outcome;
    QueryRewrites rewrites(expand);
    const auto total = std::int64_t(set.queries.size());
    for (std::size_t i = 0; i < set.queries.size(); ++i) {
        if (ctx.cancelled())
            return fail(ErrorCode::Cancelled, "evaluation cancelled; no run was recorded");
        auto found = expand ? rewrites.search(**searcher, project.db(), config.lane, texts[i], params, candidates, ctx)
                            : plainSearch(**searcher, project.db(), config.lane, texts[i], denseLegs[i], params, candidates);
        if (!found)
            return std::unexpected(found.error());
        const LaneResult &lane = *found;
        const std::string &qid = set.queries[i].id;
        Ranking &ranking = outcome.run[qid];
        ranking.reserve(lane.documents.size());
        for (const DocumentHit &d : lane.documents)
            ranking.push_back(ScoredDoc{d.docKey, d.score});
        if (config.lane == Lane::Keyword)
            completeWithUnmatched(ranking, (*searcher)->sortedDocumentKeys(), params.topK);
        keepChunks(**searcher, lane, outcome.chunkRun[qid], outcome.report.retrieved[qid]);
        ctx.progress(std::int64_t(i + 1), total, "querying");
    }
    const double queryMs = msSince(t);

    const PerQueryMetrics measured = evaluate(set.qrels, outcome.run, metrics);
    auto retrieved = std::move(outcome.report.retrieved);
    outcome.report = EvalReport::fromMetrics(set, measured, outcome.run);
    outcome.report.retrieved = std::move(retrieved);
    outcome.report.config = nlohmann::ordered_json::parse(config.toJson());
    outcome.report.config["config_hash"] = config.hash();
    outcome.report.config["chunk_set"] = prepared.chunkSet;
    outcome.report.config["dense_index"] = prepared.denseIndex;
    outcome.report.engineVersion = RAG_VERSION;
    outcome.report.timingsMs = prepared.timingsMs;
    outcome.report.timingsMs["query_total"] = queryMs;
    outcome.report.timingsMs["query_mean"] = set.queries.empty() ? 0.0 : queryMs / double(set.queries.size());
    if (expand)
        rewrites.report(outcome.report);
    return outcome;
}

namespace {

// Records a finished evaluation as an immutable run.
Result<std::int64_t> recordRun(const Project &project, const PipelineConfig &pipeline, const std::string &label,
                               std::int64_t evalSetId, const std::string &evalSetHash, const EvalReport &report)
{
    RunRecord run;
    run.label = label.empty() ? std::string(laneName(pipeline.lane)) + (pipeline.embedder.empty() ? "" : " " + pipeline.embedder)
                              : label;
    run.configJson = pipeline.toJson();
    run.configHash = pipeline.hash();
    run.evalSetId = evalSetId;
    run.evalSetHash = evalSetHash;
    run.engineVersion = RAG_VERSION;
    run.metricsJson = nlohmann::json(report.metrics).dump();
    run.reportJson = report.toJsonText(0);
    return EvalRepository(project.db()).saveRun(run);
}

// Prepares the pipeline over the imported corpus, stores the eval set, runs it
// and records the run.
Result<EvalOutcome> evaluateImported(const Project &project, const BeirEvalSpec &spec, const EvalSet &set,
                                     double ingestMs, const nlohmann::ordered_json &extraConfig, const JobContext &ctx)
{
    auto prepared = preparePipeline(project, spec.pipeline, ctx);
    if (!prepared)
        return std::unexpected(prepared.error());
    prepared->timingsMs["ingest"] = ingestMs;

    // The eval set is kept in the project so runs can be compared on it later.
    const StoredEvalSet stored = storedFromEvalSet(set, spec.folder);
    auto evalSetId = EvalRepository(project.db()).saveEvalSet(stored);
    if (!evalSetId)
        return std::unexpected(evalSetId.error());

    auto outcome = runEvalSet(project, *prepared, spec.pipeline, set, spec.metrics, spec.depth, ctx, spec.expandQuery);
    if (!outcome)
        return std::unexpected(outcome.error());
    for (const auto &[key, value] : extraConfig.items())
        outcome->report.config[key] = value;
    auto runId = recordRun(project, spec.pipeline, spec.label, *evalSetId, stored.hash, outcome->report);
    if (!runId)
        return std::unexpected(runId.error());
    outcome->runId = *runId;
    return outcome;
}

// Adds "chunk_<metric>" means and per-query values, scored on the chunk ranking
// against chunk-level labels derived from the set's document and span labels.
Result<void> addChunkMetrics(const Project &project, const PreparedPipeline &prepared, const StoredEvalSet &stored,
                             const std::vector<std::string> &metricNames, EvalOutcome &outcome)
{
    auto qrels = chunkQrels(project, prepared.chunkSet, stored);
    if (!qrels)
        return std::unexpected(qrels.error());
    std::vector<MetricSpec> specs;
    for (const std::string &name : metricNames)
        specs.push_back(*MetricSpec::parse(name));  // already parsed by runEvalSet
    const PerQueryMetrics measured = evaluate(*qrels, outcome.chunkRun, specs);
    EvalReport &report = outcome.report;
    for (std::size_t m = 0; m < specs.size(); ++m) {
        const std::string name = "chunk_" + specs[m].name();
        report.metricNames.push_back(name);
        // The queries are the document-level ones, so both levels pair up in a
        // comparison; one whose labels meet no chunk of this chunking scores 0.
        double sum = 0.0;
        for (auto &[qid, row] : report.perQuery) {
            const auto found = measured.perQuery.find(qid);
            row[name] = found == measured.perQuery.end() ? 0.0 : found->second[m];
            sum += row[name];
        }
        report.metrics[name] = report.perQuery.empty() ? 0.0 : sum / double(report.perQuery.size());
    }
    return {};
}

} // namespace

Result<EvalOutcome> evaluateStoredSet(const Project &project, const StoredEvalSet &stored, const StoredEvalSpec &spec,
                                      const JobContext &ctx)
{
    auto prepared = preparePipeline(project, spec.pipeline, ctx);
    if (!prepared)
        return std::unexpected(prepared.error());
    const EvalSet set = documentLevelSet(stored);
    auto outcome = runEvalSet(project, *prepared, spec.pipeline, set, spec.metrics, spec.depth, ctx, spec.expandQuery);
    if (!outcome)
        return std::unexpected(outcome.error());
    outcome->report.evalSet.hash = stored.hash;
    if (spec.chunkMetrics)
        if (auto ok = addChunkMetrics(project, *prepared, stored, spec.metrics, *outcome); !ok)
            return std::unexpected(ok.error());
    if (ctx.cancelled())
        return fail(ErrorCode::Cancelled, "evaluation cancelled; no run was recorded");
    auto runId = recordRun(project, spec.pipeline, spec.label, stored.id, stored.hash, outcome->report);
    if (!runId)
        return std::unexpected(runId.error());
    outcome->runId = *runId;
    return outcome;
}

Result<EvalOutcome> evaluateStored(const Project &project, const StoredEvalSpec &spec, const JobContext &ctx)
{
    auto stored = findEvalSet(project, spec.evalSet, spec.split);
    if (!stored)
        return std::unexpected(stored.error());
    return evaluateStoredSet(project, *stored, spec, ctx);
}

Result<EvalOutcome> evaluateBeir(const Project &project, const BeirEvalSpec &spec, const JobContext &ctx)
{
    QElapsedTimer t;
    t.start();
    auto set = readBeirEvalSet(spec.folder, spec.split);
    if (!set)
        return std::unexpected(set.error());
    auto ingested = ingestPaths(project, {spec.folder + "/corpus.jsonl"}, LoadOptions{}, ctx);
    if (!ingested)
        return std::unexpected(ingested.error());
    for (const ImportOutcome &f : ingested->files)
        if (f.status == ImportStatus::Failed)
            return std::unexpected(f.error);
    return evaluateImported(project, spec, *set, msSince(t), nlohmann::ordered_json::object(), ctx);
}

Result<EvalOutcome> evaluateCranfield(const Project &project, const BeirEvalSpec &spec, const std::string &convention,
                                      const JobContext &ctx)
{
    QElapsedTimer t;
    t.start();
    CranfieldRelevance relevance;
    if (convention == "binary-all")
        relevance = CranfieldRelevance::BinaryAll;
    else if (convention == "binary")
        relevance = CranfieldRelevance::BinaryCodes1To4;
    else if (convention == "graded")
        relevance = CranfieldRelevance::GradedFiveMinusCode;
    else
        return fail(ErrorCode::InvalidArgument, "unknown relevance convention '" + convention
                                                    + "' (binary-all, binary or graded)", "--relevance");
    auto set = readCranfieldEvalSet(spec.folder, relevance);
    if (!set)
        return std::unexpected(set.error());
    auto docs = readCranfieldCorpus(spec.folder);
    if (!docs)
        return std::unexpected(docs.error());
    const std::string corpusPath = spec.folder + "/cran.all.1400";
    QFile file(QString::fromStdString(corpusPath));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, file.errorString().toStdString(), corpusPath);
    const QByteArray bytes = file.readAll();
    LoadedFile loaded;
    loaded.path = corpusPath;
    loaded.format = "beir";  // records with a separate title: stored as "title\n\nabstract"
    loaded.fileHash = sha256Hex(std::string_view(bytes.constData(), std::size_t(bytes.size())));
    loaded.byteSize = bytes.size();
    for (const CranfieldDoc &d : *docs)
        loaded.documents.push_back(SourceDocument{d.id, d.title, d.text, "{}"});
    auto imported = DocumentRepository(project.db()).importFile(loaded);
    if (!imported)
        return std::unexpected(imported.error());
    nlohmann::ordered_json extra;
    extra["relevance_convention"] = cranfieldRelevanceName(relevance);
    return evaluateImported(project, spec, *set, msSince(t), extra, ctx);
}

} // namespace rag
