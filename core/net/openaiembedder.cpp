#include "core/net/openaiembedder.h"

#include "core/common/hashing.h"

#include <algorithm>

namespace rag {

using nlohmann::json;

OpenAiEmbedder::OpenAiEmbedder(OpenAiEmbedderOptions options, std::shared_ptr<const HttpClient> http,
                               std::shared_ptr<RateLimiter> limiter, TokenEstimator estimator)
    : m_options(std::move(options))
    , m_client(m_options.provider, std::move(http), RetryPolicy(m_options.retry), std::move(limiter))
    , m_batcher(m_options.maxInputsPerRequest, m_options.maxTokensPerRequest, m_options.parallelRequests,
                std::move(estimator))
{
    m_options.maxInputsPerRequest = m_batcher.maxInputsPerRequest();
    m_options.parallelRequests = std::max(1, m_options.parallelRequests);
}

EmbedderIdentity OpenAiEmbedder::identity() const
{
    EmbedderIdentity id;
    id.name = m_options.provider + ":" + m_options.model;
    id.version = m_options.modelVersion.empty() ? "remote" : m_options.modelVersion;
    id.dimension = m_options.dimension;
    id.kind = EmbedderKind::Remote;
    if (m_options.baseUrlInIdentity)
        id.weightsHash = sha256Hex(m_options.baseUrl);
    return id;
}

Result<void> OpenAiEmbedder::readVectors(const json &answer, std::size_t count, float *rows,
                                         const std::string &source) const
{
    const int dim = m_options.dimension;
    const auto data = answer.find("data");
    if (data == answer.end() || !data->is_array())
        return fail(ErrorCode::Parse, "the answer has no \"data\" array", source);
    if (data->size() != count) {
        return fail(ErrorCode::Provider, "returned " + std::to_string(data->size()) + " vectors for "
                        + std::to_string(count) + " inputs", source);
    }
    std::vector<bool> seen(count, false);
    for (const json &item : *data) {
        const auto index = item.find("index");
        const auto embedding = item.find("embedding");
        if (index == item.end() || !index->is_number_integer() || embedding == item.end() || !embedding->is_array())
            return fail(ErrorCode::Parse, "a \"data\" item lacks an integer \"index\" or an \"embedding\" array", source);
        const auto at = index->get<std::int64_t>();
        if (at < 0 || std::size_t(at) >= count || seen[std::size_t(at)])
            return fail(ErrorCode::Provider, "vector index " + std::to_string(at) + " is out of range or repeated", source);
        seen[std::size_t(at)] = true;
        auto read = EmbedBatcher::readVector(*embedding, dim, m_options.model, {}, rows + std::size_t(at) * std::size_t(dim),
                                             source);
        if (!read)
            return read;
    }
    return {};
}

Result<void> OpenAiEmbedder::embedBatch(std::span<const std::string_view> texts, std::int64_t tokens, float *rows,
                                        const JobContext &ctx) const
{
    json body = {{"model", m_options.model}, {"input", EmbedBatcher::textArray(texts)}, {"encoding_format", "float"}};
    if (m_options.requestDimensions)
        body["dimensions"] = m_options.dimension;

    HttpRequest request;
    request.url = EmbedBatcher::trimmedUrl(m_options.baseUrl) + "/embeddings";
    request.headers = m_options.extraHeaders;
    if (!m_options.apiKey.empty())
        request.headers.push_back(HttpHeader::bearer(m_options.apiKey));
    request.timeouts = m_options.timeouts;
    request.source = m_options.provider;
    auto answer = m_client.sendJson(request, body, tokens, ctx);
    if (!answer)
        return std::unexpected(answer.error());
    return readVectors(*answer, texts.size(), rows, HttpClient::sourceOf(request));
}

Result<std::vector<float>> OpenAiEmbedder::embed(std::span<const std::string_view> texts, const JobContext &ctx)
{
    const auto send = [this](std::span<const std::string_view> batch, std::int64_t tokens, float *rows,
                             const JobContext &batchCtx) { return embedBatch(batch, tokens, rows, batchCtx); };
    return m_batcher.embed(texts, m_options.model, m_options.dimension, m_options.provider + ":" + m_options.model,
                           send, ctx);
}

Result<int> OpenAiEmbedder::probeDimension(const OpenAiEmbedderOptions &options, std::shared_ptr<const HttpClient> http,
                                           const JobContext &ctx)
{
    ProviderClient client(options.provider, std::move(http), RetryPolicy(options.retry));
    HttpRequest request;
    request.url = options.baseUrl + (options.baseUrl.ends_with('/') ? "embeddings" : "/embeddings");
    request.source = options.provider + ":" + options.model;
    request.timeouts = options.timeouts;
    if (!options.apiKey.empty())
        request.headers.push_back(HttpHeader::bearer(options.apiKey));
    for (const HttpHeader &h : options.extraHeaders)
        request.headers.push_back(h);
    auto answer = client.sendJson(request, json{{"model", options.model}, {"input", {"dimension probe"}}}, 4, ctx);
    if (!answer)
        return std::unexpected(answer.error());
    const auto data = answer->find("data");
    if (data == answer->end() || !data->is_array() || data->empty() || !(*data)[0].contains("embedding")
        || !(*data)[0]["embedding"].is_array() || (*data)[0]["embedding"].empty())
        return fail(ErrorCode::Parse, "the embeddings answer has no vector", request.source);
    return int((*data)[0]["embedding"].size());
}

} // namespace rag
