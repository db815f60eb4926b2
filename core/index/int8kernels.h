#pragma once
// Kernels for the HNSW graph's 8-bit traversal copy of cosine vectors (see
// int8rows.h). A graph query spends its time waiting for vectors it reads at
// random addresses; an 8-bit row is 7 cache lines at 384-d against 12 for half
// precision. The query side is quantised 256 times finer (16-bit codes), so the
// walk's distance error is the rows' rounding alone: the VNNI instruction that
// multiplies 16-bit pairs (vpdpwssd) costs no more than the 8-bit one, and the
// finer query keeps the walk's recall at the half walk's. The dot product is
// exact integer arithmetic, so the VNNI kernel and the portable loop give the
// same value bit for bit and a walk takes the same path on every CPU.
// Stateless and thread-safe.
#include <cstddef>
#include <cstdint>

namespace rag::kernels {

// Codes are symmetric: -128 (-32768) never occurs, so negating a vector negates
// its codes and the scale means the same on both sides of zero.
constexpr int kInt8MaxCode = 127;
constexpr int kInt16MaxCode = 32767;
// The longest vectors the dot product below is exact for.
constexpr std::size_t kMaxCodeDimension = 8192;

// Quantises n floats to codes c_i = round(x_i / scale) (nearest, ties to even)
// with scale = max|x_i| / 127 (/ 32767 for 16-bit codes), which it returns: x_i
// is within scale / 2 of scale * c_i. An all-zero vector, or one holding a NaN or
// an infinity, gets scale 0 and all-zero codes (it measures as orthogonal to
// everything). Portable scalar code only, so that the codes are the same on
// every CPU.
float quantizeInt8(const float *in, std::int8_t *out, std::size_t n);
float quantizeInt16(const float *in, std::int16_t *out, std::size_t n);

// The exact dot product sum a_i * b_i of 8-bit row codes and 16-bit query codes,
// any values, for n <= kMaxCodeDimension. Picks the VNNI kernel when the CPU has
// AVX-512 VNNI, BW and VL, otherwise the portable loop.
std::int64_t dotInt8Int16(const std::int8_t *a, const std::int16_t *b, std::size_t n);
// The portable loop: the reference the VNNI kernel is tested against.
std::int64_t dotInt8Int16Portable(const std::int8_t *a, const std::int16_t *b, std::size_t n);

// The kernel dotInt8Int16 dispatches to, resolved once: a graph search calls it
// through this pointer instead of paying the dispatch on every distance.
using DotInt8Int16Function = std::int64_t (*)(const std::int8_t *, const std::int16_t *, std::size_t);
DotInt8Int16Function dotInt8Int16Function();

// Which kernel dotInt8Int16 runs: "avx512vnni" or "scalar".
const char *int8InstructionSet();

} // namespace rag::kernels
