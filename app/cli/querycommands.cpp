// ragwb query | embed: one question against a project; texts to vectors.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/cli/pipelineoptions.h"

#include "core/embed/uselite.h"
#include "core/generate/chatmodelfactory.h"
#include "core/generate/querytransform.h"
#include "core/net/envsecretstore.h"
#include "core/net/openaiembedder.h"
#include "core/pipeline/embedderfactory.h"
#include "core/retrieve/searcher.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/indexcatalog.h"
#include "core/store/project.h"

#include <QElapsedTimer>
#include <QFile>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace rag::cli {

namespace {

// The only chunk set of a project, when it has exactly one.
Result<std::string> soleChunkSet(const Project &project)
{
    auto sets = ChunkRepository(project.db()).list();
    if (!sets)
        return std::unexpected(sets.error());
    if (sets->size() == 1)
        return sets->front().name;
    return fail(ErrorCode::InvalidArgument,
                sets->empty() ? "the project has no chunk set yet (ragwb chunk)" : "the project has several chunk sets; choose one with --chunk-set",
                project.path());
}

// The newest vector index over the chunk set, if any.
Result<std::string> newestDenseIndex(const Project &project, std::int64_t chunkSetId)
{
    auto all = IndexCatalog(project.db()).list();
    if (!all)
        return std::unexpected(all.error());
    std::string name;
    for (const IndexRecord &r : *all)
        if (r.chunkSetId == chunkSetId && r.kind != "bm25")
            name = r.name;
    return name;
}

std::string snippet(const std::string &text, std::size_t max)
{
    std::string s = text.substr(0, max);
    for (char &c : s)
        if (c == '\n' || c == '\t')
            c = ' ';
    return text.size() > max ? s + "..." : s;
}

struct QueryHits {
    LaneResult lane;
    std::vector<std::vector<SearchRank>> foundBy;  // multi-query: the searches that found each chunk
    nlohmann::json transform;                      // what the transform wrote and used; null without one
};

// The query through the lane; with a transform model, rewritten first.
Result<QueryHits> searchQuery(const Searcher &searcher, const Database &db, Lane lane, const std::string &query,
                              const LaneParams &params, int depth, const QueryTransform &transform,
                              const ChatModel *transformModel, const JobContext &ctx)
{
    QueryHits hits;
    if (transformModel) {
        auto found = searchTransformed(searcher, db, lane, query, transform, *transformModel, params, depth, ctx);
        if (!found)
            return std::unexpected(found.error());
        printTransformed(found->transformed);
        const TransformedQuery &t = found->transformed;
        hits.transform = {{"kind", transformKindName(t.transform.kind)}, {"model", t.model}, {"prompt", t.promptKey},
                          {"passages", t.passages}, {"phrasings", t.phrasings}, {"calls", t.usage.calls},
                          {"input_tokens", t.usage.inputTokens}, {"output_tokens", t.usage.outputTokens},
                          {"cost_usd", t.usage.costUsd ? nlohmann::json(*t.usage.costUsd) : nlohmann::json(nullptr)},
                          {"ms", t.usage.totalMs}, {"fell_back", t.fellBack}};
        hits.lane = std::move(found->result.lane);
        hits.foundBy = std::move(found->result.foundBy);
        return hits;
    }
    std::vector<LegHit> keyword, dense;
    if (lane != Lane::Dense) {
        auto leg = searcher.keywordLeg(db, query, depth);
        if (!leg)
            return std::unexpected(leg.error());
        keyword = std::move(*leg);
    }
    if (lane != Lane::Keyword) {
        auto leg = searcher.denseLeg(query, depth);
        if (!leg)
            return std::unexpected(leg.error());
        dense = std::move(*leg);
    }
    hits.lane = searcher.assemble(lane, keyword, dense, params);
    return hits;
}

} // namespace

int runQuery(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("project"), QStringLiteral("The project file."));
    parser.addPositionalArgument(QStringLiteral("query"), QStringLiteral("The question."));
    parser.addOption({QStringLiteral("chunk-set"), QStringLiteral("Chunk set (default: the only one)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("retriever"), QStringLiteral("bm25, dense or hybrid (default bm25)."), QStringLiteral("R"), QStringLiteral("bm25")});
    parser.addOption({QStringLiteral("dense-index"), QStringLiteral("Vector index (default: newest over the chunk set)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("top-k"), QStringLiteral("Results (default 10)."), QStringLiteral("N"), QStringLiteral("10")});
    parser.addOption({QStringLiteral("rrf-k"), QStringLiteral("RRF constant (default 60)."), QStringLiteral("N"), QStringLiteral("60")});
    parser.addOption({QStringLiteral("fusion"), QStringLiteral("rrf or weighted (default rrf)."), QStringLiteral("F"), QStringLiteral("rrf")});
    parser.addOption({QStringLiteral("alpha"), QStringLiteral("Dense weight for weighted fusion (default 0.5)."), QStringLiteral("A"), QStringLiteral("0.5")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON instead of a table.")});
    addTransformOptions(parser, true);
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("query"), QStringLiteral("Retrieve chunks for a question."), args, code))
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2)
        return usageError(QStringLiteral("query"), QStringLiteral("expected a project file and a query"));
    auto lane = parseLane(toStd(parser.value(QStringLiteral("retriever"))));
    if (!lane)
        return usageError(QStringLiteral("query"), QString::fromStdString(lane.error().detail));
    auto transform = transformFromOptions(parser);
    if (!transform)
        return usageError(QStringLiteral("query"), QString::fromStdString(transform.error().message()));
    std::shared_ptr<const ChatModel> transformModel;
    if (transform->active()) {
        auto chat = chatModelFromOptions(parser, transform->chat);
        if (!chat)
            return reportError(chat.error());
        transformModel = std::move(*chat);
    }
    auto project = Project::openExisting(toStd(pos[0]));
    if (!project)
        return reportError(project.error());
    const Project &p = **project;
    std::string chunkSet = toStd(parser.value(QStringLiteral("chunk-set")));
    if (chunkSet.empty()) {
        auto sole = soleChunkSet(p);
        if (!sole)
            return reportError(sole.error());
        chunkSet = *sole;
    }
    auto set = ChunkRepository(p.db()).find(chunkSet);
    if (!set)
        return reportError(set.error());
    std::string dense = toStd(parser.value(QStringLiteral("dense-index")));
    if (dense.empty() && *lane != Lane::Keyword) {
        auto newest = newestDenseIndex(p, set->id);
        if (!newest)
            return reportError(newest.error());
        if (newest->empty())
            return reportError(Error{ErrorCode::NotFound, "no vector index over chunk set '" + chunkSet
                                                               + "'; build one with ragwb index --kind hnsw", p.path()});
        dense = *newest;
    }
    QElapsedTimer timer;
    timer.start();
    auto searcher = Searcher::open(p, chunkSet, *lane == Lane::Keyword ? std::string() : dense,
                                   [&](const std::string &key) { return embedderForKey(p, key); });
    if (!searcher)
        return reportError(searcher.error());
    const std::string query = toStd(pos[1]);
    const int topK = parser.value(QStringLiteral("top-k")).toInt();
    const int depth = std::max(100, topK * 10);
    LaneParams params;
    params.topK = topK;
    params.fusion.method = parser.value(QStringLiteral("fusion")) == QStringLiteral("weighted") ? FusionMethod::Weighted : FusionMethod::Rrf;
    params.fusion.rrfK = parser.value(QStringLiteral("rrf-k")).toInt();
    auto alpha = doubleOption(parser, QStringLiteral("alpha"));
    if (!alpha)
        return usageError(QStringLiteral("query"), QString::fromStdString(alpha.error().message()));
    params.fusion.alpha = *alpha;
    auto hits = searchQuery(**searcher, p.db(), *lane, query, params, depth, *transform, transformModel.get(),
                            stderrProgress(parser.isSet(QStringLiteral("quiet"))));
    if (!hits)
        return reportError(hits.error());
    const LaneResult &result = hits->lane;
    const std::vector<std::vector<SearchRank>> &foundBy = hits->foundBy;
    const nlohmann::json &transformed = hits->transform;
    const double ms = double(timer.nsecsElapsed()) / 1e6;

    ChunkRepository chunks(p.db());
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < result.chunks.size(); ++i) {
        const FusedHit &h = result.chunks[i];
        auto record = chunks.chunk(h.chunkId);
        if (!record)
            return reportError(record.error());
        auto docText = DocumentRepository(p.db()).text(record->documentId);
        if (!docText)
            return reportError(docText.error());
        const std::string text = docText->substr(std::size_t(record->start), std::size_t(record->end - record->start));
        nlohmann::json j{{"rank", h.rank}, {"score", h.score}, {"chunk_id", h.chunkId},
                         {"document", (*searcher)->docKeyOf(record->documentId)}, {"start", record->start},
                         {"end", record->end}, {"text", text}};
        if (h.keywordRank)
            j["bm25"] = {{"rank", *h.keywordRank}, {"score", *h.keywordScore}};
        if (h.denseRank)
            j["dense"] = {{"rank", *h.denseRank}, {"score", *h.denseScore}};
        if (transform->kind == TransformKind::MultiQuery && i < foundBy.size()) {
            j["found_by"] = nlohmann::json::array();  // search 0 is the question, 1.. the phrasings
            for (const SearchRank &r : foundBy[i])
                j["found_by"].push_back({{"search", r.search}, {"rank", r.rank}});
        }
        out.push_back(j);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        nlohmann::json doc{{"query", query}, {"lane", laneName(*lane)}, {"latency_ms", ms}, {"results", out}};
        if (!transformed.is_null())
            doc["transform"] = transformed;
        std::printf("%s\n", doc.dump(2).c_str());
        return Ok;
    }
    std::printf("%s results for \"%s\" in %.1f ms\n", laneName(*lane), query.c_str(), ms);
    for (const auto &j : out) {
        std::string found;
        if (j.contains("found_by"))
            for (const auto &r : j["found_by"])
                found += (found.empty() ? "  [found by " : ", ")
                    + (r["search"].get<int>() == 0 ? std::string("question") : "phrasing " + std::to_string(r["search"].get<int>()))
                    + " #" + std::to_string(r["rank"].get<int>());
        std::printf("%3d  %8.4f  %-24s  %s%s\n", j["rank"].get<int>(), j["score"].get<double>(),
                    j["document"].get<std::string>().substr(0, 24).c_str(), snippet(j["text"].get<std::string>(), 90).c_str(),
                    found.empty() ? "" : (found + "]").c_str());
    }
    return Ok;
}

int runEmbed(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("embedder"), QStringLiteral("use-lite (default), openai:MODEL, ollama:MODEL or cohere:MODEL."), QStringLiteral("E"), QStringLiteral("use-lite")});
    parser.addOption({QStringLiteral("base-url"), QStringLiteral("Remote embedder API base URL or Ollama host (default: OPENAI_BASE_URL, OLLAMA_HOST or COHERE_BASE_URL; keys from OPENAI_API_KEY, COHERE_API_KEY)."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("texts"), QStringLiteral("UTF-8 file with one text per line."), QStringLiteral("FILE")});
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("embed"),
                      QStringLiteral("Embed texts; writes one JSON array of floats per line to stdout."), args, code))
        return code;
    if (!parser.isSet(QStringLiteral("texts")))
        return usageError(QStringLiteral("embed"), QStringLiteral("--texts FILE is required"));
    const std::string name = toStd(parser.value(QStringLiteral("embedder")));
    const bool remote = isRemoteEmbedderName(name);
    if (name != UseLiteEmbedder::kName && !remote)
        return usageError(QStringLiteral("embed"),
                          QStringLiteral("unknown embedder '%1' (use-lite; the lexical embedder needs statistics fitted on a chunk set)")
                              .arg(QString::fromStdString(name)));
    QFile file(parser.value(QStringLiteral("texts")));
    if (!file.open(QIODevice::ReadOnly))
        return reportError(Error{ErrorCode::Io, toStd(file.errorString()), toStd(file.fileName())});
    std::vector<std::string> lines;
    const QByteArray all = file.readAll();
    for (const QByteArray &line : all.split('\n'))
        lines.push_back(line.endsWith('\r') ? line.chopped(1).toStdString() : line.toStdString());
    if (!lines.empty() && lines.back().empty() && all.endsWith('\n'))
        lines.pop_back();
    auto embedder = [&]() -> Result<std::shared_ptr<Embedder>> {
        if (remote)
            return remoteEmbedderByName(name, toStd(parser.value(QStringLiteral("base-url"))), JobContext());
        auto local = UseLiteEmbedder::load(defaultUseLiteDir());
        if (!local)
            return std::unexpected(local.error());
        return std::shared_ptr<Embedder>(std::move(*local));
    }();
    if (!embedder)
        return reportError(embedder.error());
    std::vector<std::string_view> views(lines.begin(), lines.end());
    auto vectors = (*embedder)->embed(views, stderrProgress(parser.isSet(QStringLiteral("quiet"))));
    if (!vectors)
        return reportError(vectors.error());
    const int dim = (*embedder)->identity().dimension;
    std::string line;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        line.assign("[");
        char buf[32];
        for (int d = 0; d < dim; ++d) {
            std::snprintf(buf, sizeof buf, d ? ",%.9g" : "%.9g", double((*vectors)[i * std::size_t(dim) + std::size_t(d)]));
            line += buf;
        }
        line += "]\n";
        std::fwrite(line.data(), 1, line.size(), stdout);
    }
    return Ok;
}

} // namespace rag::cli
