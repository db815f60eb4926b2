#pragma once
// bfloat16 screening kernels for exact search (see screenedsearch.h). A bf16 value
// is a float with its mantissa rounded to 8 bits, so two of them multiply exactly
// in float; AVX-512 BF16 (vdpbf16ps) does 32 such products per instruction, twice
// the rate of float FMAs, from half the bytes. The scores are approximate, and the
// caller bounds their error to select candidates it re-scores in float.
//
// Rows are stored in panels of kPanelRows rows: for each pair of dimensions p, the
// panel holds one 32-bit word per row with the row's bf16 values of dimensions 2p
// and 2p + 1, which is the operand layout of vdpbf16ps (a query's pair is broadcast
// against 16 rows at once). Stateless and thread-safe.
#include <cstddef>
#include <cstdint>

namespace rag::kernels {

constexpr std::size_t kPanelRows = 32;
// Queries screened together against one panel (the register tile is this many
// queries by kPanelRows rows).
constexpr std::size_t kScreenQueries = 8;

// Round to nearest even, like the hardware conversion; NaN stays NaN.
std::uint16_t floatToBf16(float value);
float bf16ToFloat(std::uint16_t value);

// Packs a vector into bf16 pairs (`pairs` words; an odd last dimension pairs with 0).
void packBf16Pairs(const float *in, std::size_t dim, std::uint32_t *out);

// Inputs of one screening call: `queries` packed query vectors (pair words),
// `queryCount` of them (1..kScreenQueries), against one panel of `pairs` pair rows.
// For query m and panel row r the kernel computes the approximate score
// a = dot(bf16 query, bf16 row) and the bound u = a + c1[m] * rowError[r]
// + c2[m] * rowNorm[r] + c0[m]; it writes a to scores[m * kPanelRows + r] and sets
// bit r of masks[m] when u >= thresholds[m] (rows past `validRows` never).
struct ScreenTile {
    const std::uint32_t *const *queries;
    std::size_t queryCount;
    const std::uint32_t *panel;
    std::size_t pairs;
    std::size_t validRows;
    const float *rowError; // kPanelRows values
    const float *rowNorm;  // kPanelRows values
    const float *c0;
    const float *c1;
    const float *c2;
    const float *thresholds;
    float *scores;          // kScreenQueries x kPanelRows
    std::uint32_t *masks;   // kScreenQueries
};

using ScreenFunction = void (*)(const ScreenTile &tile);

// The AVX-512 BF16 kernel, or null when the CPU does not have it.
ScreenFunction screenBf16Hardware();
// The portable kernel (float arithmetic on the widened bf16 values); also the
// reference the hardware kernel is tested against.
ScreenFunction screenBf16Portable();
// The kernel exact search uses: the hardware one when present.
ScreenFunction screenBf16();

// How many float roundings one screened score may contain: the hardware adds each
// product to its lane's sum (2 per pair), the portable kernel one per dimension.
std::size_t screenRoundings(std::size_t pairs);

} // namespace rag::kernels
