#include "core/net/openaiembedder.h"

#include "core/common/hashing.h"
#include "core/common/logging.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace rag {

namespace {

using nlohmann::json;

std::int64_t estimateTokens(std::string_view text)
{
    return static_cast<std::int64_t>((text.size() + 3) / 4);
}

void normalise(float *row, int dimension)
{
    double sum = 0;
    for (int i = 0; i < dimension; ++i)
        sum += double(row[i]) * double(row[i]);
    if (sum <= 0)
        return;  // an all-zero vector has no direction to keep
    const double scale = 1.0 / std::sqrt(sum);
    for (int i = 0; i < dimension; ++i)
        row[i] = static_cast<float>(double(row[i]) * scale);
}

} // namespace

OpenAiEmbedder::OpenAiEmbedder(OpenAiEmbedderOptions options, std::shared_ptr<const HttpClient> http,
                               std::shared_ptr<RateLimiter> limiter, TokenEstimator estimator)
    : m_options(std::move(options))
    , m_client(m_options.provider, std::move(http), RetryPolicy(m_options.retry), std::move(limiter))
    , m_estimate(estimator ? std::move(estimator) : TokenEstimator(estimateTokens))
{
    m_options.maxInputsPerRequest = std::max(1, m_options.maxInputsPerRequest);
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

std::vector<OpenAiEmbedder::Batch> OpenAiEmbedder::plan(std::span<const std::string_view> texts) const
{
    std::vector<Batch> batches;
    Batch current;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::int64_t tokens = m_estimate(texts[i]);
        const bool full = current.count == std::size_t(m_options.maxInputsPerRequest)
            || (m_options.maxTokensPerRequest > 0 && current.count > 0
                && current.tokens + tokens > m_options.maxTokensPerRequest);
        if (full) {
            batches.push_back(current);
            current = Batch{i, 0, 0};
        }
        ++current.count;
        current.tokens += tokens;
    }
    if (current.count > 0)
        batches.push_back(current);
    return batches;
}

Result<void> OpenAiEmbedder::readVectors(const json &answer, const Batch &batch, float *out,
                                         const std::string &source) const
{
    const int dim = m_options.dimension;
    const auto data = answer.find("data");
    if (data == answer.end() || !data->is_array())
        return fail(ErrorCode::Parse, "the answer has no \"data\" array", source);
    if (data->size() != batch.count) {
        return fail(ErrorCode::Provider, "returned " + std::to_string(data->size()) + " vectors for "
                        + std::to_string(batch.count) + " inputs", source);
    }
    std::vector<bool> seen(batch.count, false);
    for (const json &item : *data) {
        const auto index = item.find("index");
        const auto embedding = item.find("embedding");
        if (index == item.end() || !index->is_number_integer() || embedding == item.end() || !embedding->is_array())
            return fail(ErrorCode::Parse, "a \"data\" item lacks an integer \"index\" or an \"embedding\" array", source);
        const auto at = index->get<std::int64_t>();
        if (at < 0 || std::size_t(at) >= batch.count || seen[std::size_t(at)])
            return fail(ErrorCode::Provider, "vector index " + std::to_string(at) + " is out of range or repeated", source);
        seen[std::size_t(at)] = true;
        if (embedding->size() != std::size_t(dim)) {
            return fail(ErrorCode::Mismatch, "the provider returned " + std::to_string(embedding->size())
                            + "-dimensional vectors; " + m_options.model + " is configured for "
                            + std::to_string(dim), source);
        }
        float *row = out + std::size_t(at) * std::size_t(dim);
        for (int d = 0; d < dim; ++d) {
            const json &value = (*embedding)[std::size_t(d)];
            if (!value.is_number() || !std::isfinite(value.get<double>()))
                return fail(ErrorCode::Parse, "a vector component is not a finite number", source);
            row[d] = value.get<float>();
        }
        normalise(row, dim);
    }
    return {};
}

Result<void> OpenAiEmbedder::embedBatch(std::span<const std::string_view> texts, const Batch &batch, float *out,
                                        const JobContext &ctx) const
{
    json input = json::array();
    for (std::size_t i = 0; i < batch.count; ++i)
        input.push_back(std::string(texts[batch.first + i]));
    json body = {{"model", m_options.model}, {"input", std::move(input)}, {"encoding_format", "float"}};
    if (m_options.requestDimensions)
        body["dimensions"] = m_options.dimension;

    HttpRequest request;
    std::string base = m_options.baseUrl;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    request.url = base + "/embeddings";
    request.headers = m_options.extraHeaders;
    if (!m_options.apiKey.empty())
        request.headers.push_back(HttpHeader::bearer(m_options.apiKey));
    request.timeouts = m_options.timeouts;
    request.source = m_options.provider;
    auto answer = m_client.sendJson(request, body, batch.tokens, ctx);
    if (!answer)
        return std::unexpected(answer.error());
    return readVectors(*answer, batch, out + batch.first * std::size_t(m_options.dimension),
                       HttpClient::sourceOf(request));
}

Result<std::vector<float>> OpenAiEmbedder::embed(std::span<const std::string_view> texts, const JobContext &ctx)
{
    const std::string source = m_options.provider + ":" + m_options.model;
    if (m_options.model.empty() || m_options.dimension <= 0)
        return fail(ErrorCode::InvalidArgument, "the embedder needs a model name and a positive dimension", source);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (texts[i].empty())
            return fail(ErrorCode::InvalidArgument, "input " + std::to_string(i) + " is empty; embedding APIs reject "
                            "empty strings", source);
    }
    std::vector<float> matrix(texts.size() * std::size_t(m_options.dimension), 0.0f);
    const std::vector<Batch> batches = plan(texts);
    if (auto done = runBatches(texts, batches, matrix.data(), ctx); !done)
        return std::unexpected(done.error());
    if (ctx.cancelled())
        return fail(ErrorCode::Cancelled, "embedding cancelled", source);
    qCDebug(lcEmbed, "%s: embedded %zu texts in %zu requests", source.c_str(), texts.size(), batches.size());
    return matrix;
}

Result<void> OpenAiEmbedder::runBatches(std::span<const std::string_view> texts, const std::vector<Batch> &batches,
                                        float *matrix, const JobContext &ctx) const
{
    // Workers share the batch list; a private token stops them all on the first
    // failure or when the caller cancels (this thread forwards that cancel, and
    // reports progress, since JobContext::progress belongs to the job's thread).
    CancelToken stop;
    const JobContext workerCtx(stop, {});
    std::mutex mutex;
    std::condition_variable wake;
    std::atomic<std::size_t> next{0};
    std::size_t embeddedTexts = 0;
    int running = std::min<int>(m_options.parallelRequests, int(batches.size()));
    std::optional<Error> firstError;

    const auto work = [&] {
        for (std::size_t b = next++; b < batches.size() && !workerCtx.cancelled(); b = next++) {
            auto done = embedBatch(texts, batches[b], matrix, workerCtx);
            std::lock_guard guard(mutex);
            if (done) {
                embeddedTexts += batches[b].count;
            } else if (!firstError || (firstError->code == ErrorCode::Cancelled
                                       && done.error().code != ErrorCode::Cancelled)) {
                // The first real failure wins over the cancellations it causes in the others.
                firstError = done.error();
                stop.cancel();
            }
            wake.notify_all();
        }
        std::lock_guard guard(mutex);
        --running;
        wake.notify_all();
    };
    std::vector<std::jthread> workers;
    for (int w = running; w > 0; --w)
        workers.emplace_back(work);

    std::unique_lock lock(mutex);
    while (running > 0) {
        wake.wait_for(lock, std::chrono::milliseconds(10));
        if (ctx.cancelled())
            stop.cancel();
        ctx.progress(std::int64_t(embeddedTexts), std::int64_t(texts.size()), "embedding");
    }
    lock.unlock();
    workers.clear();
    if (firstError && !ctx.cancelled())
        return std::unexpected(*firstError);
    return {};
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
