#include "core/index/vectorindex.h"

#include "core/index/indexfilereader.h"
#include "core/index/indexfilewriter.h"
#include "core/index/vectorkernels.h"

#include <unordered_set>

namespace rag {

VectorIndex::VectorIndex(IndexIdentity identity, Metric metric)
    : m_identity(std::move(identity)), m_metric(metric)
{
    m_identity.metric = metricName(metric);
}

VectorIndex::~VectorIndex() = default;

Result<void> VectorIndex::validateInput(std::span<const std::int64_t> labels,
                                        std::span<const float> rows) const
{
    const int dim = dimension();
    if (dim < 1)
        return fail(ErrorCode::InvalidArgument,
                    "the embedder identity has no dimension (" + m_identity.embedder.key() + ")");
    if (rows.size() != labels.size() * std::size_t(dim))
        return fail(ErrorCode::InvalidArgument,
                    std::to_string(labels.size()) + " labels need " + std::to_string(labels.size() * std::size_t(dim))
                        + " floats at dimension " + std::to_string(dim) + ", got " + std::to_string(rows.size()));
    std::unordered_set<std::int64_t> seen;
    seen.reserve(labels.size());
    for (std::int64_t label : labels) {
        if (!seen.insert(label).second)
            return fail(ErrorCode::InvalidArgument, "label " + std::to_string(label) + " appears twice");
    }
    return {};
}

std::vector<float> VectorIndex::prepareRows(std::span<const float> rows) const
{
    std::vector<float> out(rows.begin(), rows.end());
    if (m_metric == Metric::Cosine) {
        const auto dim = std::size_t(dimension());
        for (std::size_t at = 0; at < out.size(); at += dim)
            kernels::normalize(out.data() + at, dim);
    }
    return out;
}

Result<void> VectorIndex::save(const std::string &path, const JobContext &ctx) const
{
    IndexFileWriter writer(path);
    if (auto begun = writer.begin(m_identity.toJson()); !begun)
        return begun;
    if (auto written = writePayload(writer, ctx); !written)
        return written;
    if (ctx.cancelled())
        return fail(ErrorCode::Cancelled, "saving the index was cancelled", path);
    return writer.commit();
}

Result<void> VectorIndex::load(const std::string &path)
{
    IndexFileReader reader;
    auto json = reader.open(path);
    if (!json)
        return std::unexpected(json.error());
    auto identity = IndexIdentity::fromJson(*json, path);
    if (!identity)
        return reader.corrupt("unreadable identity header: " + identity.error().detail);
    if (identity->kind != m_identity.kind)
        return fail(ErrorCode::Mismatch,
                    "the file holds a \"" + identity->kind + "\" index, not \"" + m_identity.kind + "\"", path);
    return readPayload(reader, *identity);
}

Result<void> VectorIndex::checkQueryCompatible(const EmbedderIdentity &queryEmbedder, int queryDim) const
{
    const EmbedderIdentity &built = m_identity.embedder;
    const bool sameEmbedder = queryEmbedder.key() == built.key();
    const bool sameDim = queryDim == built.dimension && queryEmbedder.dimension == built.dimension;
    if (sameEmbedder && sameDim)
        return {};
    std::string detail = "index was built with " + built.key() + " but the query uses " + queryEmbedder.key();
    if (queryDim != queryEmbedder.dimension)
        detail += " (query vector of dimension " + std::to_string(queryDim) + ")";
    detail += "; rebuild it with: ragwb index --embedder " + queryEmbedder.name;
    if (!m_identity.chunkSetId.empty())
        detail += " --chunk-set " + m_identity.chunkSetId;
    return fail(ErrorCode::Mismatch, std::move(detail),
                m_identity.kind + " index of chunk set " + m_identity.chunkSetId);
}

} // namespace rag
