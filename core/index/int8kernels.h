#pragma once
// 8-bit kernels for the HNSW graph's traversal copy of cosine vectors (see
// int8rows.h). A graph query spends its time waiting for vectors it reads at
// random addresses; an 8-bit code row is 7 cache lines at 384-d against 12 for
// half precision, and its dot product is exact integer arithmetic, so the VNNI
// kernel (vpdpbusd, 64 products per instruction) and the portable loop give the
// same value bit for bit and a traversal takes the same path on every CPU.
// Stateless and thread-safe.
#include <cstddef>
#include <cstdint>

namespace rag::kernels {

// Codes are symmetric, in [-127, 127]: -128 never occurs, so negating a vector
// negates its codes and the scale means the same on both sides of zero.
constexpr int kInt8MaxCode = 127;

// Quantises n floats to codes c_i = round(x_i / scale) (nearest, ties to even)
// with scale = max|x_i| / 127, which it returns: x_i is within scale / 2 of
// scale * c_i. An all-zero vector, or one holding a NaN or an infinity, gets
// scale 0 and all-zero codes (it then measures as orthogonal to everything).
// Portable scalar code only, so that the codes are the same on every CPU.
float quantizeInt8(const float *in, std::int8_t *out, std::size_t n);

// The exact dot product sum a_i * b_i of two int8 vectors, any values, for
// n <= 65536 (beyond that the sum may overflow 32 bits). Picks the VNNI kernel
// when the CPU has AVX-512 VNNI and BW, otherwise the portable loop.
std::int32_t dotInt8(const std::int8_t *a, const std::int8_t *b, std::size_t n);
// The portable loop: the reference the VNNI kernel is tested against.
std::int32_t dotInt8Portable(const std::int8_t *a, const std::int8_t *b, std::size_t n);

// The kernel dotInt8 dispatches to, resolved once: a graph search calls it
// through this pointer instead of paying the dispatch on every distance.
using DotInt8Function = std::int32_t (*)(const std::int8_t *, const std::int8_t *, std::size_t);
DotInt8Function dotInt8Function();

// Which kernel dotInt8 runs: "avx512vnni" or "scalar".
const char *int8InstructionSet();

} // namespace rag::kernels
