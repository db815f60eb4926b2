#include "core/embed/useliteencoder.h"

#include "core/embed/uselitegemm.h"
#include "core/embed/uselitekernels.h"
#include "core/embed/uselitemodel.h"

#include <algorithm>
#include <cmath>

namespace rag {

namespace {

// y = x @ kernel + bias, or y += x @ kernel + bias (the residual connections);
// kernel is [in, out], packed.
void linear(uselite::Gemm &gemm, const float *x, int rows, const uselite::PackedMatrix &kernel, const float *bias,
            float *y, bool accumulate)
{
    gemm.multiply(rows, x, kernel.rows(), kernel, bias, accumulate, y, kernel.cols());
}

} // namespace

// The timing signal is the same for every batch: [sin | cos](position * timescale),
// computed in float32 as the graph does.
UseLiteEncoder::UseLiteEncoder(const UseLiteModel &model) : m_model(model)
{
    const int width = model.embeddingWidth();
    const int half = width / 2;
    m_timing.resize(std::size_t(model.maxLength()) * std::size_t(width));
    for (int p = 0; p < model.maxLength(); ++p) {
        float *row = m_timing.data() + std::size_t(p) * width;
        for (int i = 0; i < half; ++i) {
            const float angle = float(p) * model.inverseTimescales()[i];
            row[i] = std::sin(angle);
            row[half + i] = std::cos(angle);
        }
    }
}

void UseLiteEncoder::encode(std::span<const std::span<const std::int32_t>> sequences, float *out)
{
    m_segments.clear();
    m_rows = 0;
    for (const auto &sequence : sequences) {
        // The graph's ClipToMaxLength: positions past the maximum are dropped.
        const int length = int(std::min(sequence.size(), std::size_t(m_model.maxLength())));
        m_segments.push_back(Segment{m_rows, length});
        m_rows += length;
    }
    const std::size_t rows = std::size_t(m_rows);
    const int width = m_model.width();
    m_input.resize(rows * std::size_t(m_model.embeddingWidth()));
    m_hidden.resize(rows * std::size_t(width));
    m_normed.resize(rows * std::size_t(width));
    m_qkv.resize(rows * std::size_t(3 * width));
    m_context.resize(rows * std::size_t(width));
    m_ffn.resize(rows * std::size_t(m_model.ffnWidth()));
    int longest = 0;
    for (const Segment &segment : m_segments)
        longest = std::max(longest, segment.length);
    m_scores.resize(std::size_t(longest) * std::size_t(longest));

    if (m_rows > 0) {
        embedTokens(sequences);
        for (int i = 0; i < UseLiteModel::kLayers; ++i)
            transformerLayer(i);
    }
    poolAndProject(out);
}

// The stack's input: embedding + (embedding + timing signal), as the graph adds it.
void UseLiteEncoder::embedTokens(std::span<const std::span<const std::int32_t>> sequences)
{
    const std::size_t width = std::size_t(m_model.embeddingWidth());
    for (std::size_t s = 0; s < sequences.size(); ++s) {
        for (int p = 0; p < m_segments[s].length; ++p) {
            const float *embedding = m_model.embeddings() + std::size_t(sequences[s][std::size_t(p)]) * width;
            const float *timing = m_timing.data() + std::size_t(p) * width;
            float *row = m_input.data() + std::size_t(m_segments[s].offset + p) * width;
            for (std::size_t i = 0; i < width; ++i)
                row[i] = embedding[i] + (embedding[i] + timing[i]);
        }
    }
}

void UseLiteEncoder::transformerLayer(int index)
{
    const UseLiteModel::Layer &layer = m_model.layer(index);
    const int in = layer.inputWidth;
    const float *input = layer.residualKernel ? m_input.data() : m_hidden.data();
    uselite::layerNorm(input, m_normed.data(), std::size_t(m_rows), std::size_t(in), layer.lnScale, layer.lnBias,
                       m_model.layerNormEpsilon());
    // The residual stream: the raw input, projected when the layer widens it.
    if (layer.residualKernel)
        linear(m_gemm, input, m_rows, layer.residual, layer.residualBias, m_hidden.data(), false);
    linear(m_gemm, m_normed.data(), m_rows, layer.qkv, layer.qkvBias, m_qkv.data(), false);
    attention(index);
    linear(m_gemm, m_context.data(), m_rows, layer.out, layer.outBias, m_hidden.data(), true);
    feedForward(index);
}

// Per sequence and head: softmax(scale * q k^T) v, written head by head into
// m_context (heads side by side, as combine_heads lays them out). The graph scales
// q before the product; scaling the scores inside the softmax is the same up to
// float rounding.
void UseLiteEncoder::attention(int index)
{
    const UseLiteModel::Layer &layer = m_model.layer(index);
    const int in = layer.inputWidth;
    const int depth = layer.headDepth;
    const int stride = 3 * in;
    for (const Segment &segment : m_segments) {
        const int length = segment.length;
        if (length == 0)
            continue;
        for (int h = 0; h < layer.heads; ++h) {
            const float *q = m_qkv.data() + std::size_t(segment.offset) * stride + std::size_t(h) * depth;
            const float *k = q + in;
            const float *v = q + 2 * in;
            float *context = m_context.data() + std::size_t(segment.offset) * in + std::size_t(h) * depth;
            m_gemm.multiply(length, length, depth, q, stride, k, stride, true, false, m_scores.data(), length);
            uselite::softmaxRows(m_scores.data(), std::size_t(length), std::size_t(length), layer.attentionScale);
            m_gemm.multiply(length, depth, length, m_scores.data(), length, v, stride, false, false, context, in);
        }
    }
}

void UseLiteEncoder::feedForward(int index)
{
    const UseLiteModel::Layer &layer = m_model.layer(index);
    const int width = m_model.width();
    const int ffnWidth = m_model.ffnWidth();
    uselite::layerNorm(m_hidden.data(), m_normed.data(), std::size_t(m_rows), std::size_t(width), layer.ffnLnScale,
                       layer.ffnLnBias, m_model.layerNormEpsilon());
    linear(m_gemm, m_normed.data(), m_rows, layer.ffnIn, layer.ffnInBias, m_ffn.data(), false);
    uselite::relu(m_ffn.data(), std::size_t(m_rows) * std::size_t(ffnWidth));
    linear(m_gemm, m_ffn.data(), m_rows, layer.ffnOut, layer.ffnOutBias, m_hidden.data(), true);
}

// Mean over each sequence's rows (zero for an empty one), then tanh(x W + b) and
// x * rsqrt(max(|x|^2, eps)).
void UseLiteEncoder::poolAndProject(float *out)
{
    const int width = m_model.width();
    const int outWidth = m_model.outputWidth();
    const int count = int(m_segments.size());
    m_pooled.assign(std::size_t(count) * width, 0.0f);
    for (int s = 0; s < count; ++s) {
        float *pooled = m_pooled.data() + std::size_t(s) * width;
        const Segment &segment = m_segments[std::size_t(s)];
        for (int p = 0; p < segment.length; ++p)
            uselite::accumulate(pooled, m_hidden.data() + std::size_t(segment.offset + p) * width, std::size_t(width));
        const float divisor = float(std::max(segment.length, 1));
        for (int i = 0; i < width; ++i)
            pooled[i] /= divisor;
    }
    linear(m_gemm, m_pooled.data(), count, m_model.tanhPacked(), m_model.tanhBias(), out, false);
    for (int s = 0; s < count; ++s) {
        float *row = out + std::size_t(s) * outWidth;
        float squares = 0;
        for (int i = 0; i < outWidth; ++i) {
            row[i] = std::tanh(row[i]);
            squares += row[i] * row[i];
        }
        const float inverse = 1.0f / std::sqrt(std::max(squares, m_model.l2Epsilon()));
        for (int i = 0; i < outWidth; ++i)
            row[i] *= inverse;
    }
}

} // namespace rag
