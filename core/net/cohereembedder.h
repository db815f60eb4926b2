#pragma once
// CohereEmbedder: an Embedder over Cohere's v2 POST {baseUrl}/v2/embed. Cohere's
// models embed the passages to search and the questions that search them with
// different input types, so embed() sends "search_document" and embedQueries()
// "search_query". Up to 96 texts per request (Cohere's limit), parallel requests,
// retries and rate limits as the other remote embedders (EmbedBatcher +
// ProviderClient); checks count and dimension of "embeddings.float" (input order)
// and L2-normalises. The key travels only in a secret "Authorization: Bearer" header.
// Used from one job thread at a time; owns nothing shared except through its shared_ptrs.
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

enum class CohereInputType { SearchDocument, SearchQuery };

struct CohereEmbedderOptions {
    std::string baseUrl = "https://api.cohere.com";  // "/v2/embed" is appended
    std::string model;                               // "embed-v4.0", "embed-english-v3.0"
    int dimension = 0;               // every returned vector must have exactly this size
    bool requestDimensions = false;  // send "output_dimension" (embed-v4.0: 256, 512, 1024 or 1536)
    std::string apiKey;              // COHERE_API_KEY; empty only for a keyless proxy or test server
    int maxInputsPerRequest = 96;    // clamped to kMaxTextsPerRequest
    std::int64_t maxTokensPerRequest = 0;  // 0 = no token cap per batch
    int parallelRequests = 2;
    HttpTimeouts timeouts;
    RetryOptions retry;
};

class CohereEmbedder final : public Embedder {
public:
    static constexpr int kMaxTextsPerRequest = 96;

    CohereEmbedder(CohereEmbedderOptions options, std::shared_ptr<const HttpClient> http,
                   std::shared_ptr<RateLimiter> limiter = {}, EmbedBatcher::TokenEstimator estimator = {});

    // "cohere:MODEL", version "remote", weightsHash sha256(base URL), so vectors from a
    // proxy or another region never share a cache entry with api.cohere.com's.
    EmbedderIdentity identity() const override;
    // Passages, as input_type "search_document".
    Result<std::vector<float>> embed(std::span<const std::string_view> texts, const JobContext &ctx) override;
    // Questions, as input_type "search_query".
    Result<std::vector<float>> embedQueries(std::span<const std::string_view> texts, const JobContext &ctx) override;

    const CohereEmbedderOptions &options() const { return m_options; }

    static const char *inputTypeName(CohereInputType type);

    // The model's vector size, from one short request (output_dimension when asked for,
    // else the model's own); the options' dimension is only sent, never checked.
    static Result<int> probeDimension(const CohereEmbedderOptions &options, std::shared_ptr<const HttpClient> http,
                                      const JobContext &ctx);

private:
    struct Answer {
        nlohmann::json vectors;
        std::string source;
    };
    static Result<Answer> post(const ProviderClient &client, const CohereEmbedderOptions &options,
                               std::span<const std::string_view> texts, std::int64_t tokens, CohereInputType type,
                               const JobContext &ctx);
    Result<std::vector<float>> embedAs(std::span<const std::string_view> texts, CohereInputType type,
                                       const JobContext &ctx) const;

    CohereEmbedderOptions m_options;
    ProviderClient m_client;
    EmbedBatcher m_batcher;
};

} // namespace rag
