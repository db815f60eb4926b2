#pragma once
// UseLiteEncoder: the forward pass of Universal Sentence Encoder Lite over a batch
// of token sequences, on the calling thread. The tokens of all sequences are
// packed row after row (no padding), so every projection is one GEMM over the
// whole batch and only attention works per sequence; the TF.js graph likewise
// runs its dense layers on the gathered non-padding rows. Parallelism comes from
// running one encoder per core on different batches (see UseLiteEmbedder).
// One instance per thread: it owns scratch and packing buffers reused across
// batches; the model is shared read-only.
#include "core/embed/uselitegemm.h"

#include <cstdint>
#include <span>
#include <vector>

namespace rag {

class UseLiteModel;

class UseLiteEncoder {
public:
    explicit UseLiteEncoder(const UseLiteModel &model);

    // Writes one L2-normalised row of model.outputWidth() floats per sequence to
    // `out`. Only the first model.maxLength() ids of a sequence count; every id
    // must be below model.vocabularyRows(). An empty sequence yields the embedding
    // the graph gives a batch row without tokens: normalise(tanh(bias)).
    void encode(std::span<const std::span<const std::int32_t>> sequences, float *out);

private:
    struct Segment {
        int offset;  // first row in the packed batch
        int length;
    };

    void embedTokens(std::span<const std::span<const std::int32_t>> sequences);
    void transformerLayer(int index);
    void attention(int index);
    void feedForward(int index);
    void poolAndProject(float *out);

    const UseLiteModel &m_model;
    uselite::Gemm m_gemm;
    std::vector<Segment> m_segments;
    int m_rows = 0;
    std::vector<float> m_timing;   // [maxLength, 256]: the timing signal per position
    std::vector<float> m_input;    // [rows, 256]: the stack's input
    std::vector<float> m_hidden;   // [rows, 512]: the residual stream
    std::vector<float> m_normed;   // [rows, 512]: layer-normalised copy
    std::vector<float> m_qkv;      // [rows, 3 * inputWidth]
    std::vector<float> m_context;  // [rows, inputWidth]: attention output before projection
    std::vector<float> m_ffn;      // [rows, 1536]
    std::vector<float> m_scores;   // [maxLength, maxLength]
    std::vector<float> m_pooled;   // [sequences, 512]
};

} // namespace rag
