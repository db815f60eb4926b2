#pragma once
// EmbedBatcher: the request plan and fan-out that every remote embedder shares.
// Splits the texts into batches (max inputs, optionally max estimated tokens per
// request), sends up to `parallelRequests` of them at once on worker threads of its
// own, stops them all on the first failure or on the caller's cancel, and reports
// progress on the caller's thread. A provider only turns one batch into one request
// and reads its vectors back with readVector(); the static helpers below hold the rest
// the providers would otherwise each write again (identity, URL, request texts, probe).
// Immutable; const calls are thread-safe.
#include "core/common/result.h"
#include "core/embed/embedder.h"
#include "core/net/httptypes.h"
#include "core/jobs/jobcontext.h"

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

class EmbedBatcher {
public:
    // Tokens a text counts for (batch caps and a tokens-per-minute limit).
    using TokenEstimator = std::function<std::int64_t(std::string_view)>;

    struct Batch {
        std::size_t first = 0;
        std::size_t count = 0;
        std::int64_t tokens = 0;
    };

    // Sends one batch and writes its texts.size() x dimension rows, in input order,
    // to `rows`. Called on worker threads; `ctx` is the batcher's, not the caller's.
    using SendBatch = std::function<Result<void>(std::span<const std::string_view> texts, std::int64_t tokens,
                                                 float *rows, const JobContext &ctx)>;

    // The default estimator counts 4 bytes per token, as providers' own limiters do.
    EmbedBatcher(int maxInputsPerRequest, std::int64_t maxTokensPerRequest, int parallelRequests,
                 TokenEstimator estimator = {});

    std::vector<Batch> plan(std::span<const std::string_view> texts) const;

    // The texts.size() x dimension matrix in input order. Refuses an empty model
    // name, a non-positive dimension and empty texts (embedding APIs reject them)
    // before sending anything; `source` names the embedder in those errors.
    Result<std::vector<float>> embed(std::span<const std::string_view> texts, const std::string &model, int dimension,
                                     const std::string &source, const SendBatch &send, const JobContext &ctx) const;

    // Copies one JSON vector into `row` (exactly `dimension` finite numbers) and
    // L2-normalises it. `field` ("embeddings[3]") names the vector in errors; `model`
    // names what the dimension was configured for.
    static Result<void> readVector(const nlohmann::json &embedding, int dimension, const std::string &model,
                                   std::string_view field, float *row, const std::string &source);

    // Reads `count` vectors that an API returns in input order (no index field): a
    // JSON array of exactly `count` vectors, each as readVector() takes it. `field`
    // ("embeddings") names the array in errors, its items as field[i].
    static Result<void> readRows(const nlohmann::json &vectors, std::size_t count, int dimension,
                                 const std::string &model, const std::string &field, float *rows,
                                 const std::string &source);

    static std::int64_t estimateTokens(std::string_view text);

    // The texts as the JSON array of strings every embedding API takes.
    static nlohmann::json textArray(std::span<const std::string_view> texts);

    // `url` without trailing slashes, so "http://h:1/" and "http://h:1" are one server.
    static std::string trimmedUrl(std::string url);

    // A POST to `url` with "Authorization: Bearer apiKey" unless the key is empty.
    static HttpRequest bearerRequest(std::string url, const std::string &apiKey, const HttpTimeouts &timeouts,
                                     std::string source);

    // A remote embedder named `name` ("ollama:MODEL") whose weights are whatever
    // `endpoint` serves: version "remote", weightsHash sha256(endpoint), so two servers
    // never share cached vectors.
    static EmbedderIdentity endpointIdentity(std::string name, const std::string &endpoint, int dimension);

    // The size of the one vector a dimension probe asked for: `vectors` must be an array
    // holding exactly one non-empty array, else a Parse error saying `missing`.
    static Result<int> probedDimension(const nlohmann::json &vectors, const std::string &missing,
                                       const std::string &source);

    int maxInputsPerRequest() const { return m_maxInputs; }

private:
    Result<void> run(std::span<const std::string_view> texts, const std::vector<Batch> &batches, int dimension,
                     float *matrix, const SendBatch &send, const JobContext &ctx) const;

    int m_maxInputs;
    std::int64_t m_maxTokens;
    int m_parallel;
    TokenEstimator m_estimate;
};

} // namespace rag
