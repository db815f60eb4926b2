#include "core/net/embedbatcher.h"

#include "core/common/hashing.h"
#include "core/common/logging.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

namespace rag {

namespace {

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

std::string inField(std::string_view field)
{
    return field.empty() ? std::string() : " (" + std::string(field) + ")";
}

} // namespace

EmbedBatcher::EmbedBatcher(int maxInputsPerRequest, std::int64_t maxTokensPerRequest, int parallelRequests,
                           TokenEstimator estimator)
    : m_maxInputs(std::max(1, maxInputsPerRequest))
    , m_maxTokens(maxTokensPerRequest)
    , m_parallel(std::max(1, parallelRequests))
    , m_estimate(estimator ? std::move(estimator) : TokenEstimator(estimateTokens))
{
}

std::int64_t EmbedBatcher::estimateTokens(std::string_view text)
{
    return static_cast<std::int64_t>((text.size() + 3) / 4);
}

std::vector<EmbedBatcher::Batch> EmbedBatcher::plan(std::span<const std::string_view> texts) const
{
    std::vector<Batch> batches;
    Batch current;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::int64_t tokens = m_estimate(texts[i]);
        const bool full = current.count == std::size_t(m_maxInputs)
            || (m_maxTokens > 0 && current.count > 0 && current.tokens + tokens > m_maxTokens);
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

Result<void> EmbedBatcher::readVector(const nlohmann::json &embedding, int dimension, const std::string &model,
                                      std::string_view field, float *row, const std::string &source)
{
    if (!embedding.is_array())
        return fail(ErrorCode::Parse, "a vector" + inField(field) + " is not an array", source);
    if (embedding.size() != std::size_t(dimension)) {
        return fail(ErrorCode::Mismatch, "the provider returned " + std::to_string(embedding.size())
                        + "-dimensional vectors" + inField(field) + "; " + model + " is configured for "
                        + std::to_string(dimension), source);
    }
    for (int d = 0; d < dimension; ++d) {
        const nlohmann::json &value = embedding[std::size_t(d)];
        if (!value.is_number() || !std::isfinite(value.get<double>()))
            return fail(ErrorCode::Parse, "a vector component" + inField(field) + " is not a finite number", source);
        row[d] = value.get<float>();
    }
    normalise(row, dimension);
    return {};
}

Result<void> EmbedBatcher::readRows(const nlohmann::json &vectors, std::size_t count, int dimension,
                                   const std::string &model, const std::string &field, float *rows,
                                   const std::string &source)
{
    if (!vectors.is_array())
        return fail(ErrorCode::Parse, "the answer has no \"" + field + "\" array", source);
    if (vectors.size() != count) {
        return fail(ErrorCode::Provider, "returned " + std::to_string(vectors.size()) + " vectors for "
                        + std::to_string(count) + " inputs", source);
    }
    for (std::size_t i = 0; i < count; ++i) {
        auto read = readVector(vectors[i], dimension, model, field + "[" + std::to_string(i) + "]",
                               rows + i * std::size_t(dimension), source);
        if (!read)
            return read;
    }
    return {};
}

Result<std::vector<float>> EmbedBatcher::embed(std::span<const std::string_view> texts, const std::string &model,
                                               int dimension, const std::string &source, const SendBatch &send,
                                               const JobContext &ctx) const
{
    if (model.empty() || dimension <= 0)
        return fail(ErrorCode::InvalidArgument, "the embedder needs a model name and a positive dimension", source);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (texts[i].empty())
            return fail(ErrorCode::InvalidArgument, "input " + std::to_string(i) + " is empty; embedding APIs reject "
                            "empty strings", source);
    }
    std::vector<float> matrix(texts.size() * std::size_t(dimension), 0.0f);
    const std::vector<Batch> batches = plan(texts);
    if (auto done = run(texts, batches, dimension, matrix.data(), send, ctx); !done)
        return std::unexpected(done.error());
    if (ctx.cancelled())
        return fail(ErrorCode::Cancelled, "embedding cancelled", source);
    qCDebug(lcEmbed, "%s: embedded %zu texts in %zu requests", source.c_str(), texts.size(), batches.size());
    return matrix;
}

Result<void> EmbedBatcher::run(std::span<const std::string_view> texts, const std::vector<Batch> &batches,
                               int dimension, float *matrix, const SendBatch &send, const JobContext &ctx) const
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
    int running = std::min<int>(m_parallel, int(batches.size()));
    std::optional<Error> firstError;

    const auto work = [&] {
        for (std::size_t b = next++; b < batches.size() && !workerCtx.cancelled(); b = next++) {
            const Batch &batch = batches[b];
            auto done = send(texts.subspan(batch.first, batch.count), batch.tokens,
                             matrix + batch.first * std::size_t(dimension), workerCtx);
            std::lock_guard guard(mutex);
            if (done) {
                embeddedTexts += batch.count;
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

nlohmann::json EmbedBatcher::textArray(std::span<const std::string_view> texts)
{
    nlohmann::json input = nlohmann::json::array();
    for (std::string_view text : texts)
        input.push_back(std::string(text));
    return input;
}

std::string EmbedBatcher::trimmedUrl(std::string url)
{
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

HttpRequest EmbedBatcher::bearerRequest(std::string url, const std::string &apiKey, const HttpTimeouts &timeouts,
                                        std::string source)
{
    HttpRequest request;
    request.url = std::move(url);
    if (!apiKey.empty())
        request.headers.push_back(HttpHeader::bearer(apiKey));
    request.timeouts = timeouts;
    request.source = std::move(source);
    return request;
}

EmbedderIdentity EmbedBatcher::endpointIdentity(std::string name, const std::string &endpoint, int dimension)
{
    EmbedderIdentity id;
    id.name = std::move(name);
    id.version = "remote";
    id.weightsHash = sha256Hex(endpoint);
    id.dimension = dimension;
    id.kind = EmbedderKind::Remote;
    return id;
}

Result<int> EmbedBatcher::probedDimension(const nlohmann::json &vectors, const std::string &missing,
                                          const std::string &source)
{
    if (!vectors.is_array() || vectors.size() != 1 || !vectors[0].is_array() || vectors[0].empty())
        return fail(ErrorCode::Parse, missing, source);
    return int(vectors[0].size());
}

} // namespace rag
