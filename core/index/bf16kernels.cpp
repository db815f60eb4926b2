#include "core/index/bf16kernels.h"

#include <cmath>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RAG_X86_KERNELS 1
#include <immintrin.h>
#endif

namespace rag::kernels {

std::uint16_t floatToBf16(float value)
{
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    if (std::isnan(value))
        return std::uint16_t((bits >> 16) | 0x40); // keep it a (quiet) NaN
    const std::uint32_t lsb = (bits >> 16) & 1u;
    bits += 0x7fffu + lsb;
    return std::uint16_t(bits >> 16);
}

float bf16ToFloat(std::uint16_t value)
{
    const std::uint32_t bits = std::uint32_t(value) << 16;
    float out = 0;
    std::memcpy(&out, &bits, sizeof out);
    return out;
}

void packBf16Pairs(const float *in, std::size_t dim, std::uint32_t *out)
{
    for (std::size_t p = 0; p < (dim + 1) / 2; ++p) {
        const std::uint32_t lo = floatToBf16(in[2 * p]);
        const std::uint32_t hi = 2 * p + 1 < dim ? floatToBf16(in[2 * p + 1]) : 0u;
        out[p] = lo | (hi << 16);
    }
}

std::size_t screenRoundings(std::size_t pairs)
{
    return 2 * pairs + 1;
}

namespace {

void screenPortable(const ScreenTile &t)
{
    for (std::size_t m = 0; m < t.queryCount; ++m) {
        std::uint32_t mask = 0;
        for (std::size_t r = 0; r < kPanelRows; ++r) {
            float sum = 0.0f;
            for (std::size_t p = 0; p < t.pairs; ++p) {
                const std::uint32_t q = t.queries[m][p];
                const std::uint32_t x = t.panel[p * kPanelRows + r];
                sum += bf16ToFloat(std::uint16_t(q)) * bf16ToFloat(std::uint16_t(x));
                sum += bf16ToFloat(std::uint16_t(q >> 16)) * bf16ToFloat(std::uint16_t(x >> 16));
            }
            t.scores[m * kPanelRows + r] = sum;
            const float upper = sum + t.c1[m] * t.rowError[r] + t.c2[m] * t.rowNorm[r] + t.c0[m];
            if (r < t.validRows && upper >= t.thresholds[m])
                mask |= 1u << r;
        }
        t.masks[m] = mask;
    }
}

#ifdef RAG_X86_KERNELS

// One register tile: Q queries by 32 rows, 2 Q accumulators. Each pair step loads
// the panel's two row vectors once and broadcasts each query's pair word from
// memory (folded into vdpbf16ps), so the loads stay well below one per product.
template <std::size_t Q>
__attribute__((target("avx512f,avx512bw,avx512bf16"))) void screenTileAvx512(const ScreenTile &t)
{
    // Fully unrolled (-O2 does not unroll by itself) so that the accumulators live
    // in registers rather than on the stack.
    __m512 acc[Q][2];
#pragma GCC unroll 8
    for (std::size_t m = 0; m < Q; ++m)
        acc[m][0] = acc[m][1] = _mm512_setzero_ps();
    const std::uint32_t *q[Q];
#pragma GCC unroll 8
    for (std::size_t m = 0; m < Q; ++m)
        q[m] = t.queries[m];
    const std::uint32_t *panel = t.panel;
    for (std::size_t p = 0; p < t.pairs; ++p, panel += kPanelRows) {
        const __m512bh rows0 = (__m512bh)_mm512_load_si512(panel);
        const __m512bh rows1 = (__m512bh)_mm512_load_si512(panel + 16);
#pragma GCC unroll 8
        for (std::size_t m = 0; m < Q; ++m) {
            const __m512bh pair = (__m512bh)_mm512_set1_epi32(int(q[m][p]));
            acc[m][0] = _mm512_dpbf16_ps(acc[m][0], rows0, pair);
            acc[m][1] = _mm512_dpbf16_ps(acc[m][1], rows1, pair);
        }
    }
    const __m512 err0 = _mm512_loadu_ps(t.rowError), err1 = _mm512_loadu_ps(t.rowError + 16);
    const __m512 norm0 = _mm512_loadu_ps(t.rowNorm), norm1 = _mm512_loadu_ps(t.rowNorm + 16);
    const std::uint32_t valid = t.validRows >= 32 ? ~0u : ((1u << t.validRows) - 1u);
#pragma GCC unroll 8
    for (std::size_t m = 0; m < Q; ++m) {
        _mm512_storeu_ps(t.scores + m * kPanelRows, acc[m][0]);
        _mm512_storeu_ps(t.scores + m * kPanelRows + 16, acc[m][1]);
        const __m512 c0 = _mm512_set1_ps(t.c0[m]), c1 = _mm512_set1_ps(t.c1[m]), c2 = _mm512_set1_ps(t.c2[m]);
        const __m512 bar = _mm512_set1_ps(t.thresholds[m]);
        const __m512 up0 = _mm512_add_ps(_mm512_fmadd_ps(c2, norm0, _mm512_fmadd_ps(c1, err0, acc[m][0])), c0);
        const __m512 up1 = _mm512_add_ps(_mm512_fmadd_ps(c2, norm1, _mm512_fmadd_ps(c1, err1, acc[m][1])), c0);
        const std::uint32_t lo = _mm512_cmp_ps_mask(up0, bar, _CMP_GE_OQ);
        const std::uint32_t hi = _mm512_cmp_ps_mask(up1, bar, _CMP_GE_OQ);
        t.masks[m] = (lo | (hi << 16)) & valid;
    }
}

void screenAvx512(const ScreenTile &t)
{
    switch (t.queryCount) {
    case 1: return screenTileAvx512<1>(t);
    case 2: return screenTileAvx512<2>(t);
    case 3: return screenTileAvx512<3>(t);
    case 4: return screenTileAvx512<4>(t);
    case 5: return screenTileAvx512<5>(t);
    case 6: return screenTileAvx512<6>(t);
    case 7: return screenTileAvx512<7>(t);
    default: return screenTileAvx512<8>(t);
    }
}

bool cpuHasBf16()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512bf16");
}

#endif

} // namespace

static_assert(kScreenQueries == 8, "screenAvx512 dispatches 1..8 queries");

ScreenFunction screenBf16Hardware()
{
#ifdef RAG_X86_KERNELS
    static const ScreenFunction chosen = cpuHasBf16() ? &screenAvx512 : nullptr;
    return chosen;
#else
    return nullptr;
#endif
}

ScreenFunction screenBf16Portable()
{
    return &screenPortable;
}

ScreenFunction screenBf16()
{
    const ScreenFunction hardware = screenBf16Hardware();
    return hardware ? hardware : screenBf16Portable();
}

} // namespace rag::kernels
