#include "app/cli/pipelineoptions.h"

#include "app/cli/cliutil.h"

#include "core/chunking/chunkerconfig.h"
#include "core/generate/chatmodelfactory.h"
#include "core/generate/querytransform.h"
#include "core/net/envsecretstore.h"

namespace rag::cli {

namespace {

void option(QCommandLineParser &parser, const char *name, const char *help, const char *value = nullptr,
            const char *def = nullptr)
{
    if (!value)
        parser.addOption({QString::fromLatin1(name), QString::fromLatin1(help)});
    else
        parser.addOption({QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value),
                          def ? QString::fromLatin1(def) : QString()});
}

QString value(const QCommandLineParser &parser, const char *name)
{
    return parser.value(QString::fromLatin1(name));
}

Result<std::string> chunkerFromOptions(const QCommandLineParser &parser)
{
    ChunkerConfig chunker;
    const auto strategy = chunkStrategyFromName(toStd(value(parser, "chunk-strategy")));
    if (!strategy)
        return fail(ErrorCode::InvalidArgument, "unknown chunk strategy", "--chunk-strategy");
    const std::string unitName = toStd(value(parser, "chunk-unit"));
    const auto unit = chunkUnitFromName(unitName == "chars" ? "characters" : unitName);
    if (!unit)
        return fail(ErrorCode::InvalidArgument, "unknown chunk unit (characters or tokens)", "--chunk-unit");
    chunker.strategy = *strategy;
    chunker.unit = *unit;
    chunker.size = value(parser, "chunk-size").toLongLong();
    chunker.overlap = value(parser, "chunk-overlap").toLongLong();
    if (auto ok = chunker.validate(); !ok)
        return std::unexpected(ok.error());
    return chunker.canonicalJson();
}

} // namespace

void addTransformOptions(QCommandLineParser &parser, bool chatEndpoint)
{
    option(parser, "transform", "Query transform: none, hyde (hypothetical passages; the dense leg searches their mean "
                                "vector with the query's) or multi-query (phrasings fused by RRF); needs --chat.",
           "T", "none");
    option(parser, "chat", "PROVIDER:MODEL that writes the transform's passages or phrasings (openai, anthropic, "
                           "ollama, llamacpp).", "SPEC");
    if (chatEndpoint) {
        option(parser, "base-url", "The chat provider's API base URL.", "URL");
        option(parser, "prices", "Price table JSON for the transform's cost.", "FILE");
    }
    option(parser, "variants", "HyDE passages or extra phrasings per query (default 3).", "N", "3");
    option(parser, "transform-temperature", "Sampling temperature of the transform (default 0.7).", "T", "0.7");
    option(parser, "hyde-keyword", "HyDE: BM25 searches the passages too (default: the query only).");
    option(parser, "transform-fallback",
           "Search the plain query when the transform's model fails (counted) instead of failing.");
}

void addPipelineOptions(QCommandLineParser &parser, PipelineOptionSet set)
{
    option(parser, "retriever", "bm25, dense or hybrid (default bm25).", "R", "bm25");
    option(parser, "embedder", "use-lite or lexical, for dense and hybrid (default use-lite).", "E", "use-lite");
    option(parser, "index", "Vector index: hnsw or flat (default hnsw).", "K", "hnsw");
    option(parser, "M", "HNSW graph degree (default 16).", "N", "16");
    option(parser, "ef-construction", "HNSW build beam (default 100).", "N", "100");
    option(parser, "ef-search", "HNSW query beam (default 128).", "N", "128");
    option(parser, "fusion", "Hybrid fusion: rrf or weighted (default rrf).", "F", "rrf");
    option(parser, "rrf-k", "RRF constant (default 60).", "N", "60");
    option(parser, "alpha", "Dense weight in weighted fusion (default 0.5).", "A", "0.5");
    option(parser, "candidates", "Chunks each leg retrieves before fusion (default 1000).", "N", "1000");
    option(parser, "chunk-strategy", "fixed, recursive, sentence or markdown (default recursive).", "S", "recursive");
    option(parser, "chunk-size", "Chunk size (default 2000).", "N", "2000");
    option(parser, "chunk-overlap", "Chunk overlap (default 200).", "N", "200");
    option(parser, "chunk-unit", "characters or tokens (default characters).", "U", "characters");
    option(parser, "depth", "Documents per query in the run (default 1000).", "N", "1000");
    if (set.transform)
        addTransformOptions(parser, set.chatEndpoint);
}

Result<QueryTransform> transformFromOptions(const QCommandLineParser &parser)
{
    QueryTransform t;
    auto kind = parseTransformKind(toStd(value(parser, "transform")));
    if (!kind)
        return std::unexpected(kind.error());
    t.kind = *kind;
    t.chat = toStd(value(parser, "chat"));
    t.variants = value(parser, "variants").toInt();
    auto temperature = doubleOption(parser, QStringLiteral("transform-temperature"));
    if (!temperature)
        return std::unexpected(temperature.error());
    t.temperature = *temperature;
    t.hydeInKeyword = parser.isSet(QStringLiteral("hyde-keyword"));
    t.fallbackOnError = parser.isSet(QStringLiteral("transform-fallback"));
    if (auto ok = t.validate(); !ok)
        return std::unexpected(ok.error());
    return t;
}

Result<PipelineConfig> pipelineFromOptions(const QCommandLineParser &parser, KeywordEmbedder keyword,
                                           PipelineOptionSet set)
{
    PipelineConfig config;
    auto lane = parseLane(toStd(value(parser, "retriever")));
    if (!lane)
        return std::unexpected(lane.error());
    config.lane = *lane;
    // A bm25 run's identity must not depend on an embedder it never uses, except
    // in a sweep, whose grid may switch the base's lane to dense or hybrid.
    const bool keepEmbedder = config.lane != Lane::Keyword
        || (keyword == KeywordEmbedder::KeepIfGiven && parser.isSet(QStringLiteral("embedder")));
    if (keepEmbedder)
        config.embedder = toStd(value(parser, "embedder"));
    config.vectorIndex = toStd(value(parser, "index"));
    config.hnswM = value(parser, "M").toInt();
    config.hnswEfConstruction = value(parser, "ef-construction").toInt();
    config.hnswEfSearch = value(parser, "ef-search").toInt();
    config.fusion = toStd(value(parser, "fusion"));
    config.rrfK = value(parser, "rrf-k").toInt();
    auto alpha = doubleOption(parser, QStringLiteral("alpha"));
    if (!alpha)
        return std::unexpected(alpha.error());
    config.alpha = *alpha;
    config.candidates = value(parser, "candidates").toInt();
    if (set.transform) {
        auto transform = transformFromOptions(parser);
        if (!transform)
            return std::unexpected(transform.error());
        config.transform = *transform;
    }
    auto chunker = chunkerFromOptions(parser);
    if (!chunker)
        return std::unexpected(chunker.error());
    config.chunkerJson = std::move(*chunker);
    if (auto ok = config.validate(); !ok)
        return std::unexpected(ok.error());
    return config;
}

Result<std::shared_ptr<const ChatModel>> chatModelFromOptions(const QCommandLineParser &parser, const std::string &spec,
                                                              const QString &baseUrlOption)
{
    ChatModelSettings settings;
    settings.baseUrl = toStd(parser.value(baseUrlOption));
    if (parser.isSet(QStringLiteral("prices"))) {
        auto prices = PriceTable::load(toStd(value(parser, "prices")));
        if (!prices)
            return std::unexpected(prices.error());
        settings.prices = std::make_shared<PriceTable>(std::move(*prices));
    }
    return makeChatModel(spec, settings, EnvSecretStore(), std::make_shared<HttpClient>());
}

Result<QueryExpander> queryExpanderFromOptions(const QCommandLineParser &parser, const QueryTransform &transform)
{
    if (!transform.active())
        return QueryExpander();
    auto chat = chatModelFromOptions(parser, transform.chat);
    if (!chat)
        return std::unexpected(chat.error());
    return makeQueryExpander(transform, std::move(*chat));
}

} // namespace rag::cli
