#pragma once
// OpenAiEmbedder: an Embedder over the OpenAI-compatible POST {baseUrl}/embeddings
// API (OpenAI, vLLM, llama.cpp server, LM Studio, Ollama's /v1, TEI). Splits the texts
// into batches (max inputs, optionally max estimated tokens per request), sends up to
// `parallelRequests` batches at once through a ProviderClient (retries, Retry-After,
// shared rate limit), puts every vector back at its input's position by the API's
// "index" field, checks counts and dimension, and L2-normalises. Used from one job
// thread at a time (it runs its own worker threads per call); owns nothing shared
// except through the shared_ptrs it is given.
#include "core/embed/embedder.h"
#include "core/net/embedbatcher.h"
#include "core/net/httpclient.h"
#include "core/net/providerclient.h"
#include "core/net/ratelimiter.h"
#include "core/net/retrypolicy.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rag {

struct OpenAiEmbedderOptions {
    std::string provider = "openai";                    // identity prefix and Error::source
    std::string baseUrl = "https://api.openai.com/v1";  // ".../embeddings" is appended
    std::string model;
    int dimension = 0;               // every returned vector must have exactly this size
    bool requestDimensions = false;  // send "dimensions" (text-embedding-3-* can shorten vectors)
    std::string modelVersion;        // identity version; empty means "remote"
    // Put sha256(baseUrl) into the identity's weightsHash, so vectors from two servers
    // that serve a model under one name are never mixed in the cache or an index.
    bool baseUrlInIdentity = false;
    std::string apiKey;              // sent as "Authorization: Bearer ..."; empty for local servers
    std::vector<HttpHeader> extraHeaders;
    int maxInputsPerRequest = 64;
    std::int64_t maxTokensPerRequest = 0;  // 0 = no token cap per batch
    int parallelRequests = 2;
    HttpTimeouts timeouts;
    RetryOptions retry;
};

class OpenAiEmbedder final : public Embedder {
public:
    // Tokens a text counts for (batch caps and the tokens-per-minute limit). The
    // default estimates 4 bytes per token, as providers' own limiters do; pass an exact
    // counter (tokenize/) when one is at hand.
    using TokenEstimator = EmbedBatcher::TokenEstimator;

    OpenAiEmbedder(OpenAiEmbedderOptions options, std::shared_ptr<const HttpClient> http,
                   std::shared_ptr<RateLimiter> limiter = {}, TokenEstimator estimator = {});

    EmbedderIdentity identity() const override;
    Result<std::vector<float>> embed(std::span<const std::string_view> texts, const JobContext &ctx) override;

    const OpenAiEmbedderOptions &options() const { return m_options; }

    // The model's vector size, from one short request (no API lists it); the options'
    // dimension is ignored. For building an embedder whose dimension is not yet known.
    static Result<int> probeDimension(const OpenAiEmbedderOptions &options, std::shared_ptr<const HttpClient> http,
                                      const JobContext &ctx);

private:
    Result<void> embedBatch(std::span<const std::string_view> texts, std::int64_t tokens, float *rows,
                            const JobContext &ctx) const;
    Result<void> readVectors(const nlohmann::json &answer, std::size_t count, float *rows,
                             const std::string &source) const;

    OpenAiEmbedderOptions m_options;
    ProviderClient m_client;
    EmbedBatcher m_batcher;
};

} // namespace rag
