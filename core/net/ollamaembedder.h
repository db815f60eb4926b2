#pragma once
// OllamaEmbedder: an Embedder over Ollama's native POST {host}/api/embed, which takes
// a batch of inputs and answers {"embeddings": [[...]]} in input order (no index
// field). Batches, parallel requests, retries and rate limits as OpenAiEmbedder
// (EmbedBatcher + ProviderClient); checks the count and every vector's dimension,
// L2-normalises, and reports Ollama's {"error": "..."} message with the URL as the
// source. Used from one job thread at a time (it runs its own worker threads per
// call); owns nothing shared except through the shared_ptrs it is given.
#include "core/embed/embedder.h"
#include "core/net/embedbatcher.h"
#include "core/net/httpclient.h"
#include "core/net/providerclient.h"
#include "core/net/ratelimiter.h"
#include "core/net/retrypolicy.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rag {

struct OllamaEmbedderOptions {
    std::string host = "http://127.0.0.1:11434";  // "/api/embed" is appended
    std::string model;                            // "nomic-embed-text", "mxbai-embed-large:335m"
    int dimension = 0;               // every returned vector must have exactly this size
    bool requestDimensions = false;  // send "dimensions" (models trained to shorten their vectors)
    std::string keepAlive;           // "keep_alive" ("10m", "-1"); empty: the server's default
    std::string apiKey;              // "Authorization: Bearer" for a server behind an auth proxy; empty locally
    int maxInputsPerRequest = 32;
    std::int64_t maxTokensPerRequest = 0;  // 0 = no token cap per batch
    int parallelRequests = 2;              // Ollama serves OLLAMA_NUM_PARALLEL requests at once
    HttpTimeouts timeouts;
    RetryOptions retry;
};

class OllamaEmbedder final : public Embedder {
public:
    OllamaEmbedder(OllamaEmbedderOptions options, std::shared_ptr<const HttpClient> http,
                   std::shared_ptr<RateLimiter> limiter = {}, EmbedBatcher::TokenEstimator estimator = {});

    // "ollama:MODEL", version "remote", weightsHash sha256(host): two servers may hold
    // different weights under one tag, so their vectors never share a cache entry.
    EmbedderIdentity identity() const override;
    Result<std::vector<float>> embed(std::span<const std::string_view> texts, const JobContext &ctx) override;

    const OllamaEmbedderOptions &options() const { return m_options; }

    // The model's vector size, from one short request; the options' dimension is ignored.
    static Result<int> probeDimension(const OllamaEmbedderOptions &options, std::shared_ptr<const HttpClient> http,
                                      const JobContext &ctx);

private:
    struct Answer {
        nlohmann::json embeddings;
        std::string source;
    };
    static Result<Answer> post(const ProviderClient &client, const OllamaEmbedderOptions &options,
                               std::span<const std::string_view> texts, std::int64_t tokens, bool withDimensions,
                               const JobContext &ctx);

    OllamaEmbedderOptions m_options;
    ProviderClient m_client;
    EmbedBatcher m_batcher;
};

} // namespace rag
