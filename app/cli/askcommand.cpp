// ragwb ask: retrieve chunks for a question, answer it with a chat model (or
// extractively, offline) inside a token budget, stream the answer to stdout and the
// cited chunks, dropped chunks and usage to stderr. Keys come from the environment
// (OPENAI_API_KEY, ANTHROPIC_API_KEY) and are never printed.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/cli/pipelineoptions.h"

#include "core/generate/answerer.h"
#include "core/generate/chatmodelfactory.h"
#include "core/generate/querytransform.h"
#include "core/net/envsecretstore.h"
#include "core/pipeline/embedderfactory.h"
#include "core/retrieve/searcher.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/indexcatalog.h"
#include "core/store/project.h"
#include "core/tokenize/bpetokenizer.h"

#include <cstdio>

namespace rag::cli {

namespace {

struct Retrieval {
    std::string chunkSet;
    std::string denseIndex;
};

// The chunk set (the only one unless named) and, for dense lanes, the newest vector index.
Result<Retrieval> chooseIndexes(const Project &p, std::string chunkSet, std::string dense, Lane lane)
{
    ChunkRepository chunks(p.db());
    if (chunkSet.empty()) {
        auto sets = chunks.list();
        if (!sets)
            return std::unexpected(sets.error());
        if (sets->size() != 1)
            return fail(ErrorCode::InvalidArgument, sets->empty() ? "the project has no chunk set yet (ragwb chunk)"
                                                                  : "the project has several chunk sets; choose one with --chunk-set",
                        p.path());
        chunkSet = sets->front().name;
    }
    auto set = chunks.find(chunkSet);
    if (!set)
        return std::unexpected(set.error());
    if (dense.empty() && lane != Lane::Keyword) {
        auto all = IndexCatalog(p.db()).list();
        if (!all)
            return std::unexpected(all.error());
        for (const IndexRecord &r : *all)
            if (r.chunkSetId == set->id && r.kind != "bm25")
                dense = r.name;
        if (dense.empty())
            return fail(ErrorCode::NotFound, "no vector index over chunk set '" + chunkSet + "'", p.path());
    }
    return Retrieval{chunkSet, lane == Lane::Keyword ? std::string() : dense};
}


// The question's chunks through the lane; with a transform, its model rewrites the
// question first (HyDE passages or phrasings, printed on stderr).
Result<std::vector<ContextChunk>> retrieve(const Project &p, const Retrieval &r, Lane lane, const std::string &query,
                                           int topK, const QueryTransform &transform, const ChatModel *transformModel)
{
    auto searcher = Searcher::open(p, r.chunkSet, r.denseIndex, [&](const std::string &key) { return embedderForKey(p, key); });
    if (!searcher)
        return std::unexpected(searcher.error());
    const int depth = std::max(100, topK * 10);
    LaneParams params;
    params.topK = topK;
    LaneResult result;
    if (transformModel) {
        auto found = searchTransformed(**searcher, p.db(), lane, query, transform, *transformModel, params, depth,
                                       JobContext());
        if (!found)
            return std::unexpected(found.error());
        printTransformed(found->transformed);
        std::fputc('\n', stderr);
        result = std::move(found->result.lane);
    } else {
        std::vector<LegHit> keyword, dense;
        if (lane != Lane::Dense) {
            auto leg = (*searcher)->keywordLeg(p.db(), query, depth);
            if (!leg)
                return std::unexpected(leg.error());
            keyword = std::move(*leg);
        }
        if (lane != Lane::Keyword) {
            auto leg = (*searcher)->denseLeg(query, depth);
            if (!leg)
                return std::unexpected(leg.error());
            dense = std::move(*leg);
        }
        result = (*searcher)->assemble(lane, keyword, dense, params);
    }
    ChunkRepository chunks(p.db());
    DocumentRepository documents(p.db());
    std::vector<ContextChunk> out;
    for (const FusedHit &h : result.chunks) {
        auto record = chunks.chunk(h.chunkId);
        if (!record)
            return std::unexpected(record.error());
        auto text = documents.text(record->documentId);
        if (!text)
            return std::unexpected(text.error());
        out.push_back(ContextChunk{h.chunkId, (*searcher)->docKeyOf(record->documentId),
                                   text->substr(std::size_t(record->start), std::size_t(record->end - record->start)),
                                   h.rank, h.score});
    }
    return out;
}

void printSources(const Answer &answer)
{
    std::fprintf(stderr, "\n--- cited chunks ---\n");
    for (int n : answer.citations.citedNumbers) {
        const CitedChunk *c = answer.context.cited(n);
        std::string text = c->chunk.text.substr(0, 160);
        for (char &ch : text)
            if (ch == '\n')
                ch = ' ';
        std::fprintf(stderr, "[%d] chunk %lld  %s  %s%s\n", n, static_cast<long long>(c->chunk.chunkId),
                     c->chunk.documentKey.c_str(), text.c_str(), c->chunk.text.size() > 160 ? "..." : "");
    }
    for (int n : answer.citations.invalidNumbers)
        std::fprintf(stderr, "[%d] cites no retrieved chunk (flagged)\n", n);
    for (const DroppedChunk &d : answer.context.dropped)
        std::fprintf(stderr, "dropped (over the %zu-token budget): rank %d chunk %lld, %zu tokens\n",
                     answer.context.budgetTokens, d.chunk.rank, static_cast<long long>(d.chunk.chunkId), d.tokens);
    const ChatResponse &r = answer.response;
    std::fprintf(stderr, "model %s:%s  prompt %s  context %zu tokens", r.provider.c_str(), r.model.c_str(),
                 answer.promptKey.c_str(), answer.context.promptTokens);
    if (r.usage.known())
        std::fprintf(stderr, "  usage %lld in / %lld out", static_cast<long long>(r.usage.inputTokens),
                     static_cast<long long>(r.usage.outputTokens));
    if (r.costUsd)
        std::fprintf(stderr, "  cost $%.6f", *r.costUsd);
    std::fprintf(stderr, "  %.0f ms\n", r.totalMs);
    for (const std::string &s : r.skipped)
        std::fprintf(stderr, "fell back past %s\n", s.c_str());
}

} // namespace

int runAsk(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("project"), QStringLiteral("The project file."));
    parser.addPositionalArgument(QStringLiteral("question"), QStringLiteral("The question."));
    parser.addOption({QStringLiteral("chat"), QStringLiteral("PROVIDER:MODEL[,PROVIDER:MODEL...] or extractive (default)."), QStringLiteral("SPEC"), QStringLiteral("extractive")});
    parser.addOption({QStringLiteral("base-url"), QStringLiteral("The provider's API base URL."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("prices"), QStringLiteral("Price table JSON for cost accounting."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("chunk-set"), QStringLiteral("Chunk set (default: the only one)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("retriever"), QStringLiteral("bm25, dense or hybrid (default bm25)."), QStringLiteral("R"), QStringLiteral("bm25")});
    parser.addOption({QStringLiteral("dense-index"), QStringLiteral("Vector index (default: newest)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("top-k"), QStringLiteral("Chunks retrieved (default 5)."), QStringLiteral("N"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("budget"), QStringLiteral("Prompt token budget (default 3000)."), QStringLiteral("N"), QStringLiteral("3000")});
    parser.addOption({QStringLiteral("max-tokens"), QStringLiteral("Answer token limit (default 512)."), QStringLiteral("N"), QStringLiteral("512")});
    parser.addOption({QStringLiteral("transform"), QStringLiteral("Query transform before retrieval: none, hyde (hypothetical passages; the dense leg searches their mean vector with the question's) or multi-query (phrasings fused by RRF)."), QStringLiteral("T"), QStringLiteral("none")});
    parser.addOption({QStringLiteral("transform-chat"), QStringLiteral("PROVIDER:MODEL that writes the transform's texts (default: --chat)."), QStringLiteral("SPEC")});
    parser.addOption({QStringLiteral("transform-base-url"), QStringLiteral("Its API base URL (default: --base-url)."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("variants"), QStringLiteral("HyDE passages or extra phrasings (default 3)."), QStringLiteral("N"), QStringLiteral("3")});
    parser.addOption({QStringLiteral("transform-temperature"), QStringLiteral("Sampling temperature of the transform (default 0.7)."), QStringLiteral("T"), QStringLiteral("0.7")});
    parser.addOption({QStringLiteral("hyde-keyword"), QStringLiteral("HyDE: BM25 searches the passages too (default: the question only).")});
    parser.addOption({QStringLiteral("transform-fallback"), QStringLiteral("Search the plain question when the transform's model fails (reported) instead of failing.")});
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("ask"), QStringLiteral("Answer a question from a project's chunks, with citations."), args, code))
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2)
        return usageError(QStringLiteral("ask"), QStringLiteral("expected a project file and a question"));
    auto lane = parseLane(toStd(parser.value(QStringLiteral("retriever"))));
    if (!lane)
        return usageError(QStringLiteral("ask"), QString::fromStdString(lane.error().detail));
    const std::string spec = toStd(parser.value(QStringLiteral("chat")));
    auto model = chatModelFromOptions(parser, spec);
    if (!model)
        return reportError(model.error());
    QueryTransform transform;
    auto kind = parseTransformKind(toStd(parser.value(QStringLiteral("transform"))));
    if (!kind)
        return usageError(QStringLiteral("ask"), QString::fromStdString(kind.error().detail));
    transform.kind = *kind;
    transform.chat = parser.isSet(QStringLiteral("transform-chat")) ? toStd(parser.value(QStringLiteral("transform-chat"))) : spec;
    transform.variants = parser.value(QStringLiteral("variants")).toInt();
    auto temperature = doubleOption(parser, QStringLiteral("transform-temperature"));
    if (!temperature)
        return usageError(QStringLiteral("ask"), QString::fromStdString(temperature.error().message()));
    transform.temperature = *temperature;
    transform.hydeInKeyword = parser.isSet(QStringLiteral("hyde-keyword"));
    transform.fallbackOnError = parser.isSet(QStringLiteral("transform-fallback"));
    if (auto ok = transform.validate(); !ok)
        return usageError(QStringLiteral("ask"), QString::fromStdString(ok.error().message() + " (--transform-chat)"));
    std::shared_ptr<const ChatModel> transformModel;
    if (transform.active()) {
        auto chat = chatModelFromOptions(parser, transform.chat,
                                         parser.isSet(QStringLiteral("transform-base-url"))
                                             ? QStringLiteral("transform-base-url")
                                             : QStringLiteral("base-url"));
        if (!chat)
            return reportError(chat.error());
        transformModel = std::move(*chat);
    }
    auto tokenizer = BpeTokenizer::load("cl100k_base");
    if (!tokenizer)
        return reportError(tokenizer.error());
    auto project = Project::openExisting(toStd(pos[0]));
    if (!project)
        return reportError(project.error());
    auto indexes = chooseIndexes(**project, toStd(parser.value(QStringLiteral("chunk-set"))),
                                 toStd(parser.value(QStringLiteral("dense-index"))), *lane);
    if (!indexes)
        return reportError(indexes.error());
    const std::string question = toStd(pos[1]);
    auto chunks = retrieve(**project, *indexes, *lane, question, parser.value(QStringLiteral("top-k")).toInt(), transform,
                           transformModel.get());
    if (!chunks)
        return reportError(chunks.error());
    AnswerOptions options;
    options.contextBudgetTokens = parser.value(QStringLiteral("budget")).toULongLong();
    options.maxTokens = parser.value(QStringLiteral("max-tokens")).toInt();
    const ChatModel *chat = spec == "extractive" ? nullptr : model->get();
    auto answer = answerQuestion(question, std::move(*chunks), chat, **tokenizer, options, [](std::string_view delta) {
        std::fwrite(delta.data(), 1, delta.size(), stdout);
        std::fflush(stdout);
    }, JobContext());
    std::fputc('\n', stdout);
    std::fflush(stdout);
    if (!answer)
        return reportError(answer.error());
    printSources(*answer);
    return Ok;
}

} // namespace rag::cli
