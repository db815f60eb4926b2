#pragma once
// Embedder: turns texts into fixed-size vectors. Every vector the engine stores is
// addressed by (EmbedderIdentity::key(), sha256(text)), so the identity must change
// whenever the vectors would: another model, another version, other weights,
// another dimension, or (for fitted embedders) other fitted statistics.
// Implementations are used from one job thread at a time but must not keep
// per-call state in globals; they may parallelise internally.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

enum class EmbedderKind { Neural, Lexical, Remote };

struct EmbedderIdentity {
    std::string name;       // "use-lite", "lexical", "openai:text-embedding-3-small"
    std::string version;    // model or algorithm version
    std::string weightsHash;// sha256 of the weights / fitted statistics; empty when not applicable
    int dimension = 0;
    EmbedderKind kind = EmbedderKind::Neural;

    // Stable string that addresses cached vectors: "name@version#hash12/dim".
    std::string key() const
    {
        return name + "@" + version + "#" + weightsHash.substr(0, 12) + "/" + std::to_string(dimension);
    }
    bool operator==(const EmbedderIdentity &) const = default;
};

class Embedder {
public:
    virtual ~Embedder() = default;
    virtual EmbedderIdentity identity() const = 0;

    // Embeds texts into a row-major matrix (texts.size() x dimension), every row
    // L2-normalised. Checks ctx.cancelled() between batches.
    virtual Result<std::vector<float>> embed(std::span<const std::string_view> texts,
                                             const JobContext &ctx) = 0;

    // Embeds search queries, same shape as embed(). Models trained for asymmetric
    // search (Cohere's input_type) embed a question differently from the passages
    // that answer it; the others embed both alike, hence the default.
    virtual Result<std::vector<float>> embedQueries(std::span<const std::string_view> texts,
                                                    const JobContext &ctx)
    {
        return embed(texts, ctx);
    }
};

} // namespace rag
