#pragma once
// Half-precision (IEEE binary16) vector storage for the HNSW graph. A graph search
// reads ~1,500 stored vectors per query and ~5,000 per insert, almost all from
// memory rather than cache, so halving the bytes per vector roughly halves the time
// of both. For unit vectors the rounding moves a cosine by ~1e-4, well below the gap
// between neighbours. Conversions round to nearest even, in hardware (F16C /
// AVX-512) when the CPU has it, otherwise in the portable code, with equal results.
// Stateless and thread-safe.
#include "core/index/vectorkernels.h"

#include <cstdint>

namespace rag::kernels {

void toHalf(const float *in, std::uint16_t *out, std::size_t n);
float dotHalf(const std::uint16_t *a, const std::uint16_t *b, std::size_t n);
// A float vector against a half one: what a graph search computes, the query kept
// in float (converted once, not once per distance) and only the stored side
// widened, so each distance converts half as many values and the score keeps
// the query's full precision.
float dotFloatHalf(const float *a, const std::uint16_t *b, std::size_t n);
// 1 - dotHalf, in hnswlib's distance-function shape (see vectorkernels.h).
DistanceFunction innerProductDistanceHalf();
// 1 - dotFloatHalf(a, b): a points at floats, b at halves.
DistanceFunction innerProductDistanceFloatHalf();

// The portable conversions (also the reference the hardware path is tested against).
std::uint16_t floatToHalf(float value);
float halfToFloat(std::uint16_t value);

} // namespace rag::kernels
