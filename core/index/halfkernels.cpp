#include "core/index/halfkernels.h"

#include <bit>
#include <cmath>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RAG_X86_KERNELS 1
#include <immintrin.h>
#endif

namespace rag::kernels {

std::uint16_t floatToHalf(float value)
{
    const auto bits = std::bit_cast<std::uint32_t>(value);
    const auto sign = std::uint16_t((bits >> 16) & 0x8000u);
    const std::uint32_t magnitude = bits & 0x7FFFFFFFu;
    if (magnitude >= 0x7F800000u) // infinity or NaN (kept quiet)
        return sign | 0x7C00u | (magnitude > 0x7F800000u ? 0x200u : 0u);
    if (magnitude >= 0x477FF000u) // rounds to 65520 or more: infinity
        return sign | 0x7C00u;
    if (magnitude < 0x38800000u) { // below 2^-14: a subnormal half, in units of 2^-24
        const float scaled = std::bit_cast<float>(magnitude) * 16777216.0f; // exact
        return sign | std::uint16_t(std::nearbyint(scaled));               // nearest even
    }
    // Rebias the exponent (127 -> 15) and round 23 mantissa bits to 10, nearest even;
    // a carry out of the mantissa correctly bumps the exponent.
    std::uint32_t rebased = magnitude - 0x38000000u;
    rebased += 0xFFFu + ((rebased >> 13) & 1u);
    return sign | std::uint16_t(rebased >> 13);
}

float halfToFloat(std::uint16_t value)
{
    const std::uint32_t sign = std::uint32_t(value & 0x8000u) << 16;
    const std::uint32_t exponent = (value >> 10) & 0x1Fu;
    const std::uint32_t mantissa = value & 0x3FFu;
    if (exponent == 0) {
        const float magnitude = float(mantissa) * (1.0f / 16777216.0f);
        return sign ? -magnitude : magnitude;
    }
    if (exponent == 31)
        return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));
    return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

namespace {

void toHalfScalar(const float *in, std::uint16_t *out, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i)
        out[i] = floatToHalf(in[i]);
}

float dotHalfScalar(const std::uint16_t *a, const std::uint16_t *b, std::size_t n)
{
    float s0 = 0, s1 = 0;
    std::size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        s0 += halfToFloat(a[i]) * halfToFloat(b[i]);
        s1 += halfToFloat(a[i + 1]) * halfToFloat(b[i + 1]);
    }
    if (i < n)
        s0 += halfToFloat(a[i]) * halfToFloat(b[i]);
    return s0 + s1;
}

float dotFloatHalfScalar(const float *a, const std::uint16_t *b, std::size_t n)
{
    float s0 = 0, s1 = 0;
    std::size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        s0 += a[i] * halfToFloat(b[i]);
        s1 += a[i + 1] * halfToFloat(b[i + 1]);
    }
    if (i < n)
        s0 += a[i] * halfToFloat(b[i]);
    return s0 + s1;
}

#ifdef RAG_X86_KERNELS

__attribute__((target("avx2,fma,f16c"))) void toHalfF16c(const float *in, std::uint16_t *out, std::size_t n)
{
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(in + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out + i), h);
    }
    toHalfScalar(in + i, out + i, n - i);
}

// (Helpers, not lambdas: a lambda does not inherit its caller's target attribute.)
__attribute__((target("avx2,fma,f16c"))) inline __m256 load8(const std::uint16_t *p)
{
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p)));
}

__attribute__((target("avx2,fma,f16c"))) float dotHalfF16c(const std::uint16_t *a, const std::uint16_t *b,
                                                           std::size_t n)
{
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(load8(a + i), load8(b + i), acc0);
        acc1 = _mm256_fmadd_ps(load8(a + i + 8), load8(b + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm256_fmadd_ps(load8(a + i), load8(b + i), acc0);
    const __m256 sum = _mm256_add_ps(acc0, acc1);
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x) + dotHalfScalar(a + i, b + i, n - i);
}

__attribute__((target("avx2,fma,f16c"))) float dotFloatHalfF16c(const float *a, const std::uint16_t *b,
                                                                std::size_t n)
{
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), load8(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), load8(b + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), load8(b + i), acc0);
    const __m256 sum = _mm256_add_ps(acc0, acc1);
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x) + dotFloatHalfScalar(a + i, b + i, n - i);
}

__attribute__((target("avx512f"))) void toHalfAvx512(const float *in, std::uint16_t *out, std::size_t n)
{
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256i h = _mm512_mask_cvtps_ph(_mm256_setzero_si256(), 0xFFFF, _mm512_loadu_ps(in + i),
                                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(out + i), h);
    }
    toHalfScalar(in + i, out + i, n - i);
}

// Four accumulator chains, as in the float kernels; the loads convert 16 halves
// to 16 floats each (vcvtph2ps), so the bytes read per vector are half as many.
__attribute__((target("avx512f"))) inline __m512 load16(const std::uint16_t *p)
{
    // Masked forms with an explicit source: GCC 12's plain forms trip -Wmaybe-uninitialized.
    return _mm512_mask_cvtph_ps(_mm512_setzero_ps(), 0xFFFF, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p)));
}

__attribute__((target("avx512f"))) float dotHalfAvx512(const std::uint16_t *a, const std::uint16_t *b,
                                                       std::size_t n)
{
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    __m512 acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        acc0 = _mm512_fmadd_ps(load16(a + i), load16(b + i), acc0);
        acc1 = _mm512_fmadd_ps(load16(a + i + 16), load16(b + i + 16), acc1);
        acc2 = _mm512_fmadd_ps(load16(a + i + 32), load16(b + i + 32), acc2);
        acc3 = _mm512_fmadd_ps(load16(a + i + 48), load16(b + i + 48), acc3);
    }
    for (; i + 16 <= n; i += 16)
        acc0 = _mm512_fmadd_ps(load16(a + i), load16(b + i), acc0);
    __m512 v = _mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3));
    // Lane shuffles, not _mm512_reduce_add_ps (GCC 12 warns inside it).
    v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, 0xFFFF, v, v, 0x4E));
    v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, 0xFFFF, v, v, 0xB1));
    __m128 x = _mm512_mask_extractf32x4_ps(_mm_setzero_ps(), 0xF, v, 0);
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x) + dotHalfScalar(a + i, b + i, n - i);
}

__attribute__((target("avx512f"))) inline float sum512(__m512 v)
{
    // Lane shuffles, not _mm512_reduce_add_ps (GCC 12 warns inside it).
    v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, 0xFFFF, v, v, 0x4E));
    v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, 0xFFFF, v, v, 0xB1));
    __m128 x = _mm512_mask_extractf32x4_ps(_mm_setzero_ps(), 0xF, v, 0);
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}

// The mixed kernel: one vcvtph2ps per 16 values instead of two (the float side is
// a plain load, folded into the FMA), which on Zen 4 halves the kernel's time.
__attribute__((target("avx512f"))) float dotFloatHalfAvx512(const float *a, const std::uint16_t *b,
                                                            std::size_t n)
{
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    __m512 acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), load16(b + i), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), load16(b + i + 16), acc1);
        acc2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), load16(b + i + 32), acc2);
        acc3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), load16(b + i + 48), acc3);
    }
    for (; i + 16 <= n; i += 16)
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), load16(b + i), acc0);
    return sum512(_mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)))
        + dotFloatHalfScalar(a + i, b + i, n - i);
}

__attribute__((target("avx512f"))) float distanceFloatHalfAvx512(const void *a, const void *b, const void *dim)
{
    return 1.0f - dotFloatHalfAvx512(static_cast<const float *>(a), static_cast<const std::uint16_t *>(b),
                                     *static_cast<const std::size_t *>(dim));
}

#endif

struct HalfKernels {
    void (*toHalf)(const float *, std::uint16_t *, std::size_t);
    float (*dot)(const std::uint16_t *, const std::uint16_t *, std::size_t);
    float (*dotFloat)(const float *, const std::uint16_t *, std::size_t);
};

HalfKernels detect()
{
#ifdef RAG_X86_KERNELS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return {toHalfAvx512, dotHalfAvx512, dotFloatHalfAvx512};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"))
        return {toHalfF16c, dotHalfF16c, dotFloatHalfF16c};
#endif
    return {toHalfScalar, dotHalfScalar, dotFloatHalfScalar};
}

const HalfKernels &halfKernels()
{
    static const HalfKernels set = detect();
    return set;
}

// Resolved once so that the graph search pays one indirect call per distance.
const auto g_dotHalf = halfKernels().dot;

float innerProductDistanceHalfImpl(const void *a, const void *b, const void *dim)
{
    return 1.0f - g_dotHalf(static_cast<const std::uint16_t *>(a), static_cast<const std::uint16_t *>(b),
                            *static_cast<const std::size_t *>(dim));
}

const auto g_dotFloatHalf = halfKernels().dotFloat;

float innerProductDistanceFloatHalfImpl(const void *a, const void *b, const void *dim)
{
    return 1.0f - g_dotFloatHalf(static_cast<const float *>(a), static_cast<const std::uint16_t *>(b),
                                 *static_cast<const std::size_t *>(dim));
}

} // namespace

void toHalf(const float *in, std::uint16_t *out, std::size_t n)
{
    halfKernels().toHalf(in, out, n);
}

float dotHalf(const std::uint16_t *a, const std::uint16_t *b, std::size_t n)
{
    return halfKernels().dot(a, b, n);
}

float dotFloatHalf(const float *a, const std::uint16_t *b, std::size_t n)
{
    return halfKernels().dotFloat(a, b, n);
}

DistanceFunction innerProductDistanceFloatHalf()
{
#ifdef RAG_X86_KERNELS
    // The graph search's hottest call: one direct call into the kernel rather than
    // a wrapper that calls through the dispatch pointer.
    if (halfKernels().dotFloat == dotFloatHalfAvx512)
        return distanceFloatHalfAvx512;
#endif
    return innerProductDistanceFloatHalfImpl;
}

DistanceFunction innerProductDistanceHalf()
{
    return innerProductDistanceHalfImpl;
}

} // namespace rag::kernels
