#pragma once
// UseLiteModel: the weights of Universal Sentence Encoder Lite as the TF.js graph
// (model.json + group1-shard*of7) ships them, memory-mapped read-only (see
// UseLiteWeightFile) and resolved once into typed pointers per layer. The weight
// matrices are also packed once into the GEMM's panel layout (20 MB); the
// embedding table, only gathered from, and the vectors are read from the mapping.
// Loading checks the graph against the structure the C++ forward pass implements
// (tensor names, shapes, the nodes the arithmetic depends on) and reads the
// graph's own constants (attention scales, layer-norm epsilon, maximum length)
// instead of assuming them.
// Immutable after load and safe to share between threads; owns the mapping.
#include "core/common/result.h"
#include "core/embed/uselitegemm.h"

#include <cstdint>
#include <memory>
#include <string>

namespace rag {

class UseLiteWeightFile;

class UseLiteModel {
public:
    // One pre-norm transformer layer: LN -> multi-head self-attention -> + residual,
    // LN -> FFN (ReLU) -> + residual. Kernels are row-major [in, out].
    struct Layer {
        int inputWidth = 0;                // 256 for layer 0, 512 for layer 1
        int heads = 0;
        int headDepth = 0;                 // inputWidth / heads
        float attentionScale = 0;          // the graph's query multiplier (1/sqrt(headDepth))
        const float *lnScale = nullptr;    // [inputWidth]
        const float *lnBias = nullptr;
        const float *qkvKernel = nullptr;  // [inputWidth, 3 * inputWidth]: q | k | v
        const float *qkvBias = nullptr;
        const float *outKernel = nullptr;  // [inputWidth, width]
        const float *outBias = nullptr;
        const float *residualKernel = nullptr;  // [inputWidth, width] when the width changes, else null
        const float *residualBias = nullptr;
        const float *ffnLnScale = nullptr;      // [width]
        const float *ffnLnBias = nullptr;
        const float *ffnInKernel = nullptr;     // [width, ffnWidth]
        const float *ffnInBias = nullptr;
        const float *ffnOutKernel = nullptr;    // [ffnWidth, width]
        const float *ffnOutBias = nullptr;
        // The kernels above, packed for uselite::Gemm.
        uselite::PackedMatrix qkv, out, residual, ffnIn, ffnOut;
    };

    static constexpr int kLayers = 2;

    ~UseLiteModel();
    UseLiteModel(const UseLiteModel &) = delete;
    UseLiteModel &operator=(const UseLiteModel &) = delete;

    // modelDir holds model.json and the shards it names.
    static Result<std::unique_ptr<UseLiteModel>> load(const std::string &modelDir);

    int vocabularyRows() const { return m_vocabularyRows; }
    int embeddingWidth() const { return m_embeddingWidth; }  // 256
    int width() const { return m_width; }                    // 512
    int ffnWidth() const { return m_ffnWidth; }              // 1536
    int outputWidth() const { return m_outputWidth; }        // 512
    int maxLength() const { return m_maxLength; }            // tokens past this are dropped (128)
    float layerNormEpsilon() const { return m_lnEpsilon; }
    float l2Epsilon() const { return m_l2Epsilon; }

    const float *embeddings() const { return m_embeddings; }              // [vocabularyRows, embeddingWidth]
    const float *inverseTimescales() const { return m_inverseTimescales; } // [embeddingWidth / 2]
    const Layer &layer(int i) const { return m_layers[i]; }
    const float *tanhKernel() const { return m_tanhKernel; }               // [width, outputWidth]
    const float *tanhBias() const { return m_tanhBias; }
    const uselite::PackedMatrix &tanhPacked() const { return m_tanhPacked; }

    // sha256 of model.json followed by every shard's bytes, in manifest order.
    const std::string &weightsHash() const;
    // Multiply-adds x 2 of one sequence of `length` tokens (for throughput reports).
    double flopsForLength(int length) const;

private:
    UseLiteModel() = default;
    static Result<void> checkStructure(const UseLiteWeightFile &file);
    Result<void> resolve(const UseLiteWeightFile &file);
    Result<void> resolveLayer(const UseLiteWeightFile &file, int index, int inputWidth);

    std::unique_ptr<UseLiteWeightFile> m_file;  // owns the mapping every pointer below reads from
    int m_vocabularyRows = 0;
    int m_embeddingWidth = 0;
    int m_width = 0;
    int m_ffnWidth = 0;
    int m_outputWidth = 0;
    int m_maxLength = 0;
    float m_lnEpsilon = 0;
    float m_l2Epsilon = 0;
    const float *m_embeddings = nullptr;
    const float *m_inverseTimescales = nullptr;
    Layer m_layers[kLayers];
    const float *m_tanhKernel = nullptr;
    const float *m_tanhBias = nullptr;
    uselite::PackedMatrix m_tanhPacked;
};

} // namespace rag
