#include "core/net/ollamaembedder.h"

namespace rag {

namespace {

using nlohmann::json;

// The request URL as an error source, without any "user:password@" it may carry.
std::string displayUrl(const std::string &url)
{
    const std::size_t scheme = url.find("://");
    const std::size_t hostStart = scheme == std::string::npos ? 0 : scheme + 3;
    const std::size_t at = url.find('@', hostStart);
    if (at == std::string::npos || at > url.find('/', hostStart))
        return url;
    return url.substr(0, hostStart) + url.substr(at + 1);
}

} // namespace

OllamaEmbedder::OllamaEmbedder(OllamaEmbedderOptions options, std::shared_ptr<const HttpClient> http,
                               std::shared_ptr<RateLimiter> limiter, EmbedBatcher::TokenEstimator estimator)
    : m_options(std::move(options))
    , m_client("ollama", std::move(http), RetryPolicy(m_options.retry), std::move(limiter))
    , m_batcher(m_options.maxInputsPerRequest, m_options.maxTokensPerRequest, m_options.parallelRequests,
                std::move(estimator))
{
    m_options.host = EmbedBatcher::trimmedUrl(std::move(m_options.host));
}

EmbedderIdentity OllamaEmbedder::identity() const
{
    return EmbedBatcher::endpointIdentity("ollama:" + m_options.model, m_options.host, m_options.dimension);
}

Result<OllamaEmbedder::Answer> OllamaEmbedder::post(const ProviderClient &client, const OllamaEmbedderOptions &options,
                                                    std::span<const std::string_view> texts, std::int64_t tokens,
                                                    bool withDimensions, const JobContext &ctx)
{
    // truncate: an over-long input is cut to the model's context instead of failing the batch.
    json body = {{"model", options.model}, {"input", EmbedBatcher::textArray(texts)}, {"truncate", true}};
    if (withDimensions)
        body["dimensions"] = options.dimension;
    if (!options.keepAlive.empty())
        body["keep_alive"] = options.keepAlive;

    const HttpRequest request = EmbedBatcher::bearerRequest(EmbedBatcher::trimmedUrl(options.host) + "/api/embed",
                                                            options.apiKey, options.timeouts, "ollama:" + options.model);
    const std::string source = displayUrl(request.url);
    auto answer = client.sendJson(request, body, tokens, ctx);
    if (!answer) {
        Error error = std::move(answer.error());
        if (error.code != ErrorCode::Cancelled)
            error.source = source;  // which server (and model) said no matters more than the provider's name
        return std::unexpected(std::move(error));
    }
    if (const auto message = answer->find("error"); message != answer->end())
        return fail(ErrorCode::Provider, message->is_string() ? message->get<std::string>() : message->dump(), source);
    const auto embeddings = answer->find("embeddings");
    return Answer{embeddings == answer->end() ? json() : std::move(*embeddings), source};
}

Result<std::vector<float>> OllamaEmbedder::embed(std::span<const std::string_view> texts, const JobContext &ctx)
{
    const auto send = [this](std::span<const std::string_view> batch, std::int64_t tokens, float *rows,
                             const JobContext &batchCtx) -> Result<void> {
        auto answer = post(m_client, m_options, batch, tokens, m_options.requestDimensions, batchCtx);
        if (!answer)
            return std::unexpected(answer.error());
        return EmbedBatcher::readRows(answer->embeddings, batch.size(), m_options.dimension, m_options.model,
                                      "embeddings", rows, answer->source);
    };
    return m_batcher.embed(texts, m_options.model, m_options.dimension, identity().name, send, ctx);
}

Result<int> OllamaEmbedder::probeDimension(const OllamaEmbedderOptions &options, std::shared_ptr<const HttpClient> http,
                                           const JobContext &ctx)
{
    const ProviderClient client("ollama", std::move(http), RetryPolicy(options.retry));
    const std::string_view probe[] = {"dimension probe"};
    auto answer = post(client, options, probe, 4, false, ctx);
    if (!answer)
        return std::unexpected(answer.error());
    return EmbedBatcher::probedDimension(answer->embeddings, "the /api/embed answer has no vector", answer->source);
}

} // namespace rag
