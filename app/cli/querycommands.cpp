// ragwb query | embed: one question against a project; texts to vectors.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"

#include "core/embed/uselite.h"
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

// "openai:MODEL" / "ollama:MODEL" over an OpenAI-compatible /embeddings endpoint; the
// dimension is probed with one request. The key (OPENAI_API_KEY) only goes into a secret header.
Result<std::shared_ptr<Embedder>> remoteEmbedder(const std::string &name, std::string baseUrl)
{
    OpenAiEmbedderOptions options;
    options.provider = name.substr(0, name.find(':'));
    options.model = name.substr(name.find(':') + 1);
    if (baseUrl.empty())
        baseUrl = options.provider == "ollama" ? "http://127.0.0.1:11434/v1" : "https://api.openai.com/v1";
    options.baseUrl = baseUrl;
    options.baseUrlInIdentity = true;
    if (auto key = EnvSecretStore().read("openai"); key && options.provider == "openai")
        options.apiKey = std::move(*key);
    auto http = std::make_shared<HttpClient>();
    auto dimension = OpenAiEmbedder::probeDimension(options, http, JobContext());
    if (!dimension)
        return std::unexpected(dimension.error());
    options.dimension = *dimension;
    return std::shared_ptr<Embedder>(std::make_shared<OpenAiEmbedder>(std::move(options), std::move(http)));
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
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("query"), QStringLiteral("Retrieve chunks for a question."), args, code))
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2)
        return usageError(QStringLiteral("query"), QStringLiteral("expected a project file and a query"));
    auto lane = parseLane(toStd(parser.value(QStringLiteral("retriever"))));
    if (!lane)
        return usageError(QStringLiteral("query"), QString::fromStdString(lane.error().detail));
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
    std::vector<LegHit> keyword, denseHits;
    if (*lane != Lane::Dense) {
        auto leg = (*searcher)->keywordLeg(p.db(), query, depth);
        if (!leg)
            return reportError(leg.error());
        keyword = std::move(*leg);
    }
    if (*lane != Lane::Keyword) {
        auto leg = (*searcher)->denseLeg(query, depth);
        if (!leg)
            return reportError(leg.error());
        denseHits = std::move(*leg);
    }
    LaneParams params;
    params.topK = topK;
    params.fusion.method = parser.value(QStringLiteral("fusion")) == QStringLiteral("weighted") ? FusionMethod::Weighted : FusionMethod::Rrf;
    params.fusion.rrfK = parser.value(QStringLiteral("rrf-k")).toInt();
    params.fusion.alpha = parser.value(QStringLiteral("alpha")).toDouble();
    const LaneResult result = (*searcher)->assemble(*lane, keyword, denseHits, params);
    const double ms = double(timer.nsecsElapsed()) / 1e6;

    ChunkRepository chunks(p.db());
    nlohmann::json out = nlohmann::json::array();
    for (const FusedHit &h : result.chunks) {
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
        out.push_back(j);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        std::printf("%s\n", nlohmann::json{{"query", query}, {"lane", laneName(*lane)}, {"latency_ms", ms}, {"results", out}}.dump(2).c_str());
        return Ok;
    }
    std::printf("%s results for \"%s\" in %.1f ms\n", laneName(*lane), query.c_str(), ms);
    for (const auto &j : out) {
        std::printf("%3d  %8.4f  %-24s  %s\n", j["rank"].get<int>(), j["score"].get<double>(),
                    j["document"].get<std::string>().substr(0, 24).c_str(), snippet(j["text"].get<std::string>(), 90).c_str());
    }
    return Ok;
}

int runEmbed(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("embedder"), QStringLiteral("use-lite (default), openai:MODEL or ollama:MODEL."), QStringLiteral("E"), QStringLiteral("use-lite")});
    parser.addOption({QStringLiteral("base-url"), QStringLiteral("Remote embedder API base URL (key from OPENAI_API_KEY)."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("texts"), QStringLiteral("UTF-8 file with one text per line."), QStringLiteral("FILE")});
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("embed"),
                      QStringLiteral("Embed texts; writes one JSON array of floats per line to stdout."), args, code))
        return code;
    if (!parser.isSet(QStringLiteral("texts")))
        return usageError(QStringLiteral("embed"), QStringLiteral("--texts FILE is required"));
    const std::string name = toStd(parser.value(QStringLiteral("embedder")));
    const bool remote = name.rfind("openai:", 0) == 0 || name.rfind("ollama:", 0) == 0;
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
            return remoteEmbedder(name, toStd(parser.value(QStringLiteral("base-url"))));
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
