#include "core/net/cohereembedder.h"

#include <algorithm>

namespace rag {

using nlohmann::json;

CohereEmbedder::CohereEmbedder(CohereEmbedderOptions options, std::shared_ptr<const HttpClient> http,
                               std::shared_ptr<RateLimiter> limiter, EmbedBatcher::TokenEstimator estimator)
    : m_options(std::move(options))
    , m_client("cohere", std::move(http), RetryPolicy(m_options.retry), std::move(limiter))
    , m_batcher(std::min(m_options.maxInputsPerRequest, kMaxTextsPerRequest), m_options.maxTokensPerRequest,
                m_options.parallelRequests, std::move(estimator))
{
    m_options.baseUrl = EmbedBatcher::trimmedUrl(std::move(m_options.baseUrl));
    m_options.maxInputsPerRequest = m_batcher.maxInputsPerRequest();
}

const char *CohereEmbedder::inputTypeName(CohereInputType type)
{
    return type == CohereInputType::SearchQuery ? "search_query" : "search_document";
}

EmbedderIdentity CohereEmbedder::identity() const
{
    return EmbedBatcher::endpointIdentity("cohere:" + m_options.model, m_options.baseUrl, m_options.dimension);
}

Result<CohereEmbedder::Answer> CohereEmbedder::post(const ProviderClient &client, const CohereEmbedderOptions &options,
                                                    std::span<const std::string_view> texts, std::int64_t tokens,
                                                    CohereInputType type, const JobContext &ctx)
{
    // truncate END: an over-long passage loses its tail instead of failing the whole batch.
    json body = {{"model", options.model},
                 {"texts", EmbedBatcher::textArray(texts)},
                 {"input_type", inputTypeName(type)},
                 {"embedding_types", {"float"}},
                 {"truncate", "END"}};
    if (options.requestDimensions && options.dimension > 0)
        body["output_dimension"] = options.dimension;

    const HttpRequest request = EmbedBatcher::bearerRequest(EmbedBatcher::trimmedUrl(options.baseUrl) + "/v2/embed",
                                                            options.apiKey, options.timeouts, "cohere");
    auto answer = client.sendJson(request, body, tokens, ctx);
    if (!answer)
        return std::unexpected(answer.error());
    const auto embeddings = answer->find("embeddings");
    json vectors;
    if (embeddings != answer->end() && embeddings->is_object() && embeddings->contains("float"))
        vectors = std::move((*embeddings)["float"]);
    return Answer{std::move(vectors), HttpClient::sourceOf(request)};
}

Result<std::vector<float>> CohereEmbedder::embedAs(std::span<const std::string_view> texts, CohereInputType type,
                                                   const JobContext &ctx) const
{
    const auto send = [this, type](std::span<const std::string_view> batch, std::int64_t tokens, float *rows,
                                   const JobContext &batchCtx) -> Result<void> {
        auto answer = post(m_client, m_options, batch, tokens, type, batchCtx);
        if (!answer)
            return std::unexpected(answer.error());
        return EmbedBatcher::readRows(answer->vectors, batch.size(), m_options.dimension, m_options.model,
                                      "embeddings.float", rows, answer->source);
    };
    return m_batcher.embed(texts, m_options.model, m_options.dimension, identity().name, send, ctx);
}

Result<std::vector<float>> CohereEmbedder::embed(std::span<const std::string_view> texts, const JobContext &ctx)
{
    return embedAs(texts, CohereInputType::SearchDocument, ctx);
}

Result<std::vector<float>> CohereEmbedder::embedQueries(std::span<const std::string_view> texts, const JobContext &ctx)
{
    return embedAs(texts, CohereInputType::SearchQuery, ctx);
}

Result<int> CohereEmbedder::probeDimension(const CohereEmbedderOptions &options, std::shared_ptr<const HttpClient> http,
                                           const JobContext &ctx)
{
    const ProviderClient client("cohere", std::move(http), RetryPolicy(options.retry));
    const std::string_view probe[] = {"dimension probe"};
    auto answer = post(client, options, probe, 4, CohereInputType::SearchDocument, ctx);
    if (!answer)
        return std::unexpected(answer.error());
    return EmbedBatcher::probedDimension(answer->vectors, "the /v2/embed answer has no \"embeddings.float\" vector",
                                         answer->source);
}

} // namespace rag
