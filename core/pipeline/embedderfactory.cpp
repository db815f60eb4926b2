#include "core/pipeline/embedderfactory.h"

#include "core/embed/lexicalembedder.h"
#include "core/embed/uselite.h"
#include "core/store/chunkrepository.h"
#include "core/store/project.h"
#include "core/store/vectorcache.h"

#include <nlohmann/json.hpp>

namespace rag {

namespace {

std::string identityJson(const EmbedderIdentity &id)
{
    return nlohmann::json{{"name", id.name}, {"version", id.version}, {"weights_hash", id.weightsHash},
                          {"dimension", id.dimension}}
        .dump();
}

Result<std::shared_ptr<Embedder>> storedLexical(const Project &project, const std::string &key)
{
    VectorCache cache(project.db());
    auto state = cache.embedderState(key);
    if (!state)
        return std::unexpected(state.error());
    if (state->empty())
        return fail(ErrorCode::NotFound, "the lexical statistics '" + key + "' are not in the project; rebuild the index",
                    project.path());
    auto lexical = LexicalEmbedder::deserialize(*state);
    if (!lexical)
        return std::unexpected(lexical.error());
    return std::shared_ptr<Embedder>(std::make_shared<LexicalEmbedder>(std::move(*lexical)));
}

Result<std::shared_ptr<Embedder>> useLite()
{
    auto embedder = UseLiteEmbedder::load(defaultUseLiteDir());
    if (!embedder)
        return fail(embedder.error().code,
                    embedder.error().detail + " — run packaging/setup.sh to fetch the model, or use --embedder lexical",
                    embedder.error().source);
    return std::shared_ptr<Embedder>(std::move(*embedder));
}

} // namespace

std::string knownEmbedderNames()
{
    return "use-lite, lexical";
}

Result<std::shared_ptr<Embedder>> embedderForBuild(const Project &project, const std::string &name,
                                                   std::int64_t chunkSetId, const std::string &previousKey,
                                                   bool refit, const JobContext &ctx)
{
    if (name == UseLiteEmbedder::kName)
        return useLite();
    if (name != LexicalEmbedder::kName)
        return fail(ErrorCode::InvalidArgument, "unknown embedder '" + name + "' (known: " + knownEmbedderNames() + ")",
                    "embedder");
    if (!refit && previousKey.rfind(std::string(LexicalEmbedder::kName) + "@", 0) == 0) {
        auto previous = storedLexical(project, previousKey);
        if (previous)
            return previous;
    }
    ChunkRepository chunks(project.db());
    std::vector<std::string> texts;
    auto visited = chunks.forEachChunkText(chunkSetId, [&](const ChunkRecord &, std::string_view text) {
        texts.emplace_back(text);
        return !ctx.cancelled();
    });
    if (!visited)
        return std::unexpected(visited.error());
    std::vector<std::string_view> views(texts.begin(), texts.end());
    auto fitted = LexicalEmbedder::fit(views, LexicalEmbedder::kDefaultDimension, ctx);
    if (!fitted)
        return std::unexpected(fitted.error());
    const EmbedderIdentity identity = fitted->identity();
    VectorCache cache(project.db());
    if (auto ok = cache.saveEmbedderState(identity.key(), identityJson(identity), fitted->serialize()); !ok)
        return std::unexpected(ok.error());
    return std::shared_ptr<Embedder>(std::make_shared<LexicalEmbedder>(std::move(*fitted)));
}

Result<std::shared_ptr<Embedder>> embedderForKey(const Project &project, const std::string &key)
{
    if (key.rfind(std::string(LexicalEmbedder::kName) + "@", 0) == 0)
        return storedLexical(project, key);
    if (key.rfind(std::string(UseLiteEmbedder::kName) + "@", 0) == 0) {
        auto embedder = useLite();
        if (embedder && (*embedder)->identity().key() != key)
            return fail(ErrorCode::Mismatch,
                        "the index was built with " + key + " but the installed model is "
                            + (*embedder)->identity().key() + "; rebuild the index",
                        project.path());
        return embedder;
    }
    return fail(ErrorCode::Unsupported, "no embedder available for '" + key + "' in this build", project.path());
}

} // namespace rag
