#pragma once
// The element-wise kernels of the USE-Lite forward pass (layer norm, softmax, ReLU,
// row sums), written with explicit 8-wide vectors and compiled twice (AVX2/FMA and
// baseline x86-64), chosen at load time by the CPU.
// Stateless free functions; safe from any thread.
#include <cstddef>

namespace rag::uselite {

// y = scale * (x - mean) / sqrt(var + epsilon) + bias, per row of `width`.
void layerNorm(const float *x, float *y, std::size_t rows, std::size_t width, const float *scale,
               const float *bias, float epsilon);

// x = max(x, 0).
void relu(float *x, std::size_t count);

// Row-wise softmax of scale * x in place: exp(scale * (x - max)) / sum, scale > 0.
void softmaxRows(float *x, std::size_t rows, std::size_t width, float scale);

// sum += x (count floats).
void accumulate(float *sum, const float *x, std::size_t count);

} // namespace rag::uselite
