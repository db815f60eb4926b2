#pragma once
// Distance kernels shared by the vector indexes. The build targets baseline x86-64,
// so the AVX2/FMA and AVX-512 variants are compiled with per-function target
// attributes and picked once at startup from the CPU's features; other machines get
// the portable loop. Stateless and thread-safe.
#include <cstddef>

namespace rag::kernels {

float dot(const float *a, const float *b, std::size_t n);
float l2Squared(const float *a, const float *b, std::size_t n);

// Index of the first of n scores strictly above `bar`, or n when there is none.
std::size_t firstAbove(const float *scores, std::size_t n, float bar);

// Scales v to unit length; leaves an all-zero vector as it is.
void normalize(float *v, std::size_t n);

// The same kernels in hnswlib's distance-function shape: f(a, b, &dimension) where
// the third argument points at a size_t. innerProductDistance is 1 - dot.
using DistanceFunction = float (*)(const void *, const void *, const void *);
DistanceFunction innerProductDistance();
DistanceFunction l2SquaredDistance();

// Which instruction set the kernels run with: "avx512", "avx2" or "scalar".
const char *instructionSet();

} // namespace rag::kernels
