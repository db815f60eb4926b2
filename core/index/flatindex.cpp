#include "core/index/flatindex.h"

#include "core/common/logging.h"
#include "core/index/indexfilereader.h"
#include "core/index/indexfilewriter.h"
#include "core/index/parallelbatches.h"
#include "core/index/screenedsearch.h"
#include "core/index/topk.h"
#include "core/index/vectorkernels.h"

#include <cblas.h>

#include <cmath>
#include <unordered_set>

namespace rag {

namespace {

// Block sizes for the batched search: a block of queries times a block of rows is
// one sgemm call whose score tile (256 x 4096 floats = 4 MiB) stays cache-friendly
// and is scanned by all cores before the next tile is computed.
constexpr std::size_t kQueryBlock = 256;
constexpr std::size_t kRowBlock = 4096;

} // namespace

FlatIndex::FlatIndex() : FlatIndex({}, {}, Metric::Cosine) {}

FlatIndex::FlatIndex(std::string chunkSetId, EmbedderIdentity embedder, Metric metric)
    : VectorIndex(IndexIdentity{std::move(chunkSetId), std::move(embedder), {}, "flat", 0, 0, 0, 0, "f32", 0, {}}, metric)
{
}

FlatIndex::~FlatIndex() = default;

void FlatIndex::rowsChanged()
{
    m_norms.clear();
    m_screen.reset();
    const auto dim = std::size_t(dimension());
    // Screening needs the hardware kernel to pay off (the portable one is slower
    // than sgemm) and bounded rows: cosine rows are unit vectors, l2 rows are not.
    if (m_metric == Metric::Cosine && kernels::screenBf16Hardware() && !m_labels.empty())
        m_screen = std::make_unique<const ScreenedRows>(m_rows.data(), m_labels.size(), dim);
    if (m_metric != Metric::L2)
        return;
    m_norms.resize(m_labels.size());
    for (std::size_t i = 0; i < m_labels.size(); ++i)
        m_norms[i] = kernels::dot(m_rows.data() + i * dim, m_rows.data() + i * dim, dim);
}

Result<void> FlatIndex::build(std::span<const std::int64_t> labels, std::span<const float> rows,
                              const JobContext &ctx)
{
    if (auto valid = validateInput(labels, rows); !valid)
        return valid;
    if (ctx.cancelled())
        return fail(ErrorCode::Cancelled, "building the flat index was cancelled");
    m_rows = prepareRows(rows);
    m_labels.assign(labels.begin(), labels.end());
    rowsChanged();
    m_identity.count = std::int64_t(m_labels.size());
    m_identity.builtAt = currentUtcTimestamp();
    ctx.progress(m_identity.count, m_identity.count, "building flat index");
    return {};
}

Result<void> FlatIndex::add(std::span<const std::int64_t> labels, std::span<const float> rows, const JobContext &ctx)
{
    if (auto valid = validateInput(labels, rows); !valid)
        return valid;
    const std::unordered_set<std::int64_t> existing(m_labels.begin(), m_labels.end());
    for (std::int64_t label : labels) {
        if (existing.count(label))
            return fail(ErrorCode::InvalidArgument, "label " + std::to_string(label) + " is already in the index");
    }
    if (ctx.cancelled())
        return fail(ErrorCode::Cancelled, "adding to the flat index was cancelled");
    const std::vector<float> prepared = prepareRows(rows);
    m_rows.insert(m_rows.end(), prepared.begin(), prepared.end());
    m_labels.insert(m_labels.end(), labels.begin(), labels.end());
    rowsChanged();
    m_identity.count = std::int64_t(m_labels.size());
    m_identity.builtAt = currentUtcTimestamp();
    return {};
}

std::vector<Hit> FlatIndex::search(std::span<const float> query, int k) const
{
    auto results = searchBatch(query, k);
    return results.empty() ? std::vector<Hit>() : std::move(results.front());
}

std::vector<std::vector<Hit>> FlatIndex::searchBatch(std::span<const float> queries, int k) const
{
    const auto dim = std::size_t(dimension());
    const std::size_t nq = dim ? queries.size() / dim : 0;
    std::vector<std::vector<Hit>> results(nq);
    if (queries.size() != nq * dim) {
        qCWarning(lcIndex) << "query matrix of" << queries.size() << "floats is not a multiple of" << dim;
        return {};
    }
    const std::size_t n = m_labels.size();
    if (k <= 0 || n == 0 || nq == 0)
        return results;

    std::vector<float> q(queries.begin(), queries.end());
    std::vector<float> queryNorms(nq, 0.0f);
    for (std::size_t i = 0; i < nq; ++i) {
        if (m_metric == Metric::Cosine)
            kernels::normalize(q.data() + i * dim, dim);
        else
            queryNorms[i] = kernels::dot(q.data() + i * dim, q.data() + i * dim, dim);
    }

    if (m_screen)
        return searchScreened(q, nq, k);

    const bool l2 = m_metric == Metric::L2;
    std::vector<float> tile(kQueryBlock * kRowBlock);
    for (std::size_t q0 = 0; q0 < nq; q0 += kQueryBlock) {
        const std::size_t qn = std::min(kQueryBlock, nq - q0);
        std::vector<TopK> tops(qn, TopK(std::size_t(k)));
        for (std::size_t r0 = 0; r0 < n; r0 += kRowBlock) {
            const std::size_t rn = std::min(kRowBlock, n - r0);
            // tile = Q_block * R_block^T; for l2 the ranking key is 2 q.x - |x|^2,
            // which orders rows as -|q - x|^2 does (|q|^2 is the same for the row).
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(qn), int(rn), int(dim), l2 ? 2.0f : 1.0f,
                        q.data() + q0 * dim, int(dim), m_rows.data() + r0 * dim, int(dim), 0.0f, tile.data(),
                        int(rn));
            parallelBatches(qn, 16, JobContext(), {}, [&](std::size_t b, std::size_t e) {
                for (std::size_t i = b; i < e; ++i) {
                    float *row = tile.data() + i * rn;
                    if (l2) {
                        for (std::size_t j = 0; j < rn; ++j)
                            row[j] -= m_norms[r0 + j];
                    }
                    tops[i].scan(row, rn, std::int64_t(r0));
                }
            });
        }
        for (std::size_t i = 0; i < qn; ++i) {
            auto &out = results[q0 + i];
            for (const auto &entry : tops[i].take()) {
                const float score = l2 ? -std::sqrt(std::max(0.0f, queryNorms[q0 + i] - entry.score)) : entry.score;
                out.push_back(Hit{m_labels[std::size_t(entry.id)], score});
            }
        }
    }
    return results;
}

std::vector<std::vector<Hit>> FlatIndex::searchScreened(const std::vector<float> &queries, std::size_t nq,
                                                         int k) const
{
    std::vector<std::vector<Hit>> results(nq);
    const auto found = screenedSearch(*m_screen, m_rows.data(), queries.data(), nq, std::size_t(k));
    for (std::size_t i = 0; i < nq; ++i) {
        results[i].reserve(found[i].size());
        for (const auto &entry : found[i])
            results[i].push_back(Hit{m_labels[std::size_t(entry.id)], entry.score});
    }
    return results;
}

// Payload: row count and dimension (u64 each), the labels (i64 each), the rows.
Result<void> FlatIndex::writePayload(IndexFileWriter &writer, const JobContext &ctx) const
{
    const std::uint64_t count = m_labels.size();
    const std::uint64_t dim = std::uint64_t(dimension());
    if (auto w = writer.writeValue(count); !w)
        return w;
    if (auto w = writer.writeValue(dim); !w)
        return w;
    if (auto w = writer.write(m_labels.data(), m_labels.size() * sizeof(std::int64_t), ctx); !w)
        return w;
    return writer.write(m_rows.data(), m_rows.size() * sizeof(float), ctx);
}

Result<void> FlatIndex::readPayload(IndexFileReader &reader, const IndexIdentity &identity)
{
    const auto metric = parseMetric(identity.metric);
    if (!metric)
        return reader.corrupt(metric.error().detail);
    std::uint64_t count = 0, dim = 0;
    if (auto r = reader.readValue(count); !r)
        return r;
    if (auto r = reader.readValue(dim); !r)
        return r;
    if (dim != std::uint64_t(identity.embedder.dimension))
        return reader.corrupt("rows of dimension " + std::to_string(dim) + " in an index of dimension "
                              + std::to_string(identity.embedder.dimension));
    const std::uint64_t rowBytes = sizeof(std::int64_t) + dim * sizeof(float);
    if (count > reader.payloadRemaining() / rowBytes || count * rowBytes != reader.payloadRemaining())
        return reader.corrupt("payload size does not match " + std::to_string(count) + " rows");
    std::vector<std::int64_t> labels(count);
    std::vector<float> rows(count * dim);
    if (auto r = reader.read(labels.data(), labels.size() * sizeof(std::int64_t)); !r)
        return r;
    if (auto r = reader.read(rows.data(), rows.size() * sizeof(float)); !r)
        return r;
    if (auto done = reader.finish(); !done)
        return done;
    m_identity = identity;
    m_metric = *metric;
    m_labels = std::move(labels);
    m_rows = std::move(rows);
    m_identity.count = std::int64_t(m_labels.size());
    rowsChanged();
    return {};
}

} // namespace rag
