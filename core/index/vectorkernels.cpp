#include "core/index/vectorkernels.h"

#include <cmath>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RAG_X86_KERNELS 1
#include <immintrin.h>
#endif

namespace rag::kernels {

namespace {

float dotScalar(const float *a, const float *b, std::size_t n)
{
    // Four partial sums let the compiler vectorise without -ffast-math.
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; ++i)
        s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

float l2Scalar(const float *a, const float *b, std::size_t n)
{
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const float d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1];
        const float d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3];
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
    }
    for (; i < n; ++i) {
        const float d = a[i] - b[i];
        s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
}

#ifdef RAG_X86_KERNELS

__attribute__((target("avx2,fma"))) float hsum256(__m256 v)
{
    const __m128 lo = _mm256_castps256_ps128(v);
    const __m128 hi = _mm256_extractf128_ps(v, 1);
    __m128 s = _mm_add_ps(lo, hi);
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) float dotAvx2(const float *a, const float *b, std::size_t n)
{
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    float s = hsum256(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i)
        s += a[i] * b[i];
    return s;
}

__attribute__((target("avx2,fma"))) float l2Avx2(const float *a, const float *b, std::size_t n)
{
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        const __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
        acc0 = _mm256_fmadd_ps(d0, d0, acc0);
        acc1 = _mm256_fmadd_ps(d1, d1, acc1);
    }
    for (; i + 8 <= n; i += 8) {
        const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        acc0 = _mm256_fmadd_ps(d, d, acc0);
    }
    float s = hsum256(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) {
        const float d = a[i] - b[i];
        s += d * d;
    }
    return s;
}

// Horizontal sum by lane shuffles (GCC 12's _mm512_reduce_add_ps trips -Wuninitialized).
__attribute__((target("avx512f"))) float hsum512(__m512 v)
{
    v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, 0xFFFF, v, v, 0x4E));
    v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, 0xFFFF, v, v, 0xB1));
    __m128 x = _mm512_mask_extractf32x4_ps(_mm_setzero_ps(), 0xF, v, 0);
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}

// AVX-512: the tail is a masked load, so any dimension runs without a scalar loop.
// Four accumulators: an FMA has a latency of four cycles, so fewer chains would stall.
__attribute__((target("avx512f"))) float dotAvx512(const float *a, const float *b, std::size_t n)
{
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    __m512 acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc1);
        acc2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), acc2);
        acc3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), acc3);
    }
    for (; i + 16 <= n; i += 16)
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
    if (i < n) {
        const __mmask16 mask = __mmask16((1u << (n - i)) - 1);
        acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), acc1);
    }
    return hsum512(_mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)));
}

__attribute__((target("avx512f"))) float l2Avx512(const float *a, const float *b, std::size_t n)
{
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    __m512 acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        const __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
        const __m512 d2 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32));
        const __m512 d3 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48));
        acc0 = _mm512_fmadd_ps(d0, d0, acc0);
        acc1 = _mm512_fmadd_ps(d1, d1, acc1);
        acc2 = _mm512_fmadd_ps(d2, d2, acc2);
        acc3 = _mm512_fmadd_ps(d3, d3, acc3);
    }
    for (; i + 16 <= n; i += 16) {
        const __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        acc0 = _mm512_fmadd_ps(d, d, acc0);
    }
    if (i < n) {
        const __mmask16 mask = __mmask16((1u << (n - i)) - 1);
        const __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i));
        acc1 = _mm512_fmadd_ps(d, d, acc1);
    }
    return hsum512(_mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)));
}

// Index of the first score above `bar` (or n): 16 comparisons per instruction, so
// scanning a tile of scores for top-k candidates costs little next to computing it.
__attribute__((target("avx512f"))) std::size_t firstAboveAvx512(const float *s, std::size_t n, float bar)
{
    const __m512 b = _mm512_set1_ps(bar);
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __mmask16 m = _mm512_cmp_ps_mask(_mm512_loadu_ps(s + i), b, _CMP_GT_OQ);
        if (m)
            return i + std::size_t(__builtin_ctz(m));
    }
    for (; i < n; ++i) {
        if (s[i] > bar)
            return i;
    }
    return n;
}

#endif

std::size_t firstAboveScalar(const float *s, std::size_t n, float bar)
{
    for (std::size_t i = 0; i < n; ++i) {
        if (s[i] > bar)
            return i;
    }
    return n;
}

using Kernel = float (*)(const float *, const float *, std::size_t);
using ScanKernel = std::size_t (*)(const float *, std::size_t, float);

struct KernelSet {
    Kernel dot;
    Kernel l2;
    ScanKernel firstAbove;
    const char *name;
};

KernelSet detect()
{
#ifdef RAG_X86_KERNELS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return {dotAvx512, l2Avx512, firstAboveAvx512, "avx512"};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return {dotAvx2, l2Avx2, firstAboveScalar, "avx2"};
#endif
    return {dotScalar, l2Scalar, firstAboveScalar, "scalar"};
}

const KernelSet &kernelSet()
{
    static const KernelSet set = detect();
    return set;
}

// Resolved once; the hnswlib-shaped wrappers below call through these pointers so
// the graph search pays one indirect call per distance, as hnswlib's own does.
const Kernel g_dot = kernelSet().dot;
const Kernel g_l2 = kernelSet().l2;

float innerProductDistanceImpl(const void *a, const void *b, const void *dim)
{
    return 1.0f - g_dot(static_cast<const float *>(a), static_cast<const float *>(b),
                        *static_cast<const std::size_t *>(dim));
}

float l2SquaredDistanceImpl(const void *a, const void *b, const void *dim)
{
    return g_l2(static_cast<const float *>(a), static_cast<const float *>(b),
                *static_cast<const std::size_t *>(dim));
}

} // namespace

float dot(const float *a, const float *b, std::size_t n)
{
    return kernelSet().dot(a, b, n);
}

float l2Squared(const float *a, const float *b, std::size_t n)
{
    return kernelSet().l2(a, b, n);
}

std::size_t firstAbove(const float *scores, std::size_t n, float bar)
{
    return kernelSet().firstAbove(scores, n, bar);
}

void normalize(float *v, std::size_t n)
{
    const float norm2 = dot(v, v, n);
    if (norm2 <= 0.0f)
        return;
    const float inv = 1.0f / std::sqrt(norm2);
    for (std::size_t i = 0; i < n; ++i)
        v[i] *= inv;
}

DistanceFunction innerProductDistance()
{
    return innerProductDistanceImpl;
}

DistanceFunction l2SquaredDistance()
{
    return l2SquaredDistanceImpl;
}

const char *instructionSet()
{
    return kernelSet().name;
}

} // namespace rag::kernels
