#include "core/index/int8kernels.h"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RAG_X86_KERNELS 1
#include <immintrin.h>
#endif

namespace rag::kernels {

namespace {

template <typename Code>
float quantize(const float *in, Code *out, std::size_t n, int maxCode)
{
    float largest = 0;
    for (std::size_t i = 0; i < n; ++i)
        largest = std::max(largest, std::abs(in[i]));
    // A NaN compares false and leaves `largest` alone, so look for it explicitly.
    bool finite = std::isfinite(largest);
    for (std::size_t i = 0; finite && i < n; ++i)
        finite = !std::isnan(in[i]);
    if (!(largest > 0) || !finite) {
        std::fill(out, out + n, Code(0));
        return 0;
    }
    const float inverse = float(maxCode) / largest;
    // Adding and removing 1.5 * 2^23 rounds a float of magnitude below 2^22 to the
    // nearest integer, ties to even (the FPU's default mode), without a libm call
    // per value: nearbyint is not inlined at the baseline x86-64 ISA.
    constexpr float kRound = 12582912.0f;
    for (std::size_t i = 0; i < n; ++i) {
        const float rounded = (in[i] * inverse + kRound) - kRound;
        out[i] = Code(std::clamp(int(rounded), -maxCode, maxCode));
    }
    return largest / float(maxCode);
}

} // namespace

float quantizeInt8(const float *in, std::int8_t *out, std::size_t n)
{
    return quantize(in, out, n, kInt8MaxCode);
}

float quantizeInt16(const float *in, std::int16_t *out, std::size_t n)
{
    return quantize(in, out, n, kInt16MaxCode);
}

std::int64_t dotInt8Int16Portable(const std::int8_t *a, const std::int16_t *b, std::size_t n)
{
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < n; ++i)
        sum += std::int32_t(a[i]) * std::int32_t(b[i]);
    return sum;
}

namespace {

#ifdef RAG_X86_KERNELS

#define RAG_VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

// The 16 lanes summed in 64 bits. Masked extracts with an explicit source:
// GCC 12's plain forms trip -Wuninitialized.
RAG_VNNI_TARGET inline std::int64_t sum512(__m512i v)
{
    const __m256i zero = _mm256_setzero_si256();
    const __m512i wide
        = _mm512_add_epi64(_mm512_maskz_cvtepi32_epi64(0xFF, _mm512_mask_extracti64x4_epi64(zero, 0xF, v, 0)),
                           _mm512_maskz_cvtepi32_epi64(0xFF, _mm512_mask_extracti64x4_epi64(zero, 0xF, v, 1)));
    const __m256i half = _mm256_add_epi64(_mm512_mask_extracti64x4_epi64(zero, 0xF, wide, 0),
                                          _mm512_mask_extracti64x4_epi64(zero, 0xF, wide, 1));
    const __m128i x = _mm_add_epi64(_mm256_castsi256_si128(half), _mm256_extracti128_si256(half, 1));
    return _mm_cvtsi128_si64(x) + _mm_extract_epi64(x, 1);
}

// vpdpwssd adds pairs of 16-bit products into 32-bit lanes; the row's bytes are
// sign-extended to 16 bits on the way in (vpmovsxbw). Two accumulators, each lane
// taking at most n/32 + 4 products of at most 2^22, stay below 2^31 for
// n <= 8192, so no lane wraps and the sum is exact.
// (A helper, not a lambda: a lambda does not inherit its caller's target attribute.)
RAG_VNNI_TARGET inline __m512i widen(const std::int8_t *p)
{
    return _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(p)));
}

RAG_VNNI_TARGET std::int64_t dotInt8Int16Vnni(const std::int8_t *a, const std::int16_t *b, std::size_t n)
{
    __m512i acc0 = _mm512_setzero_si512();
    __m512i acc1 = _mm512_setzero_si512();
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        acc0 = _mm512_dpwssd_epi32(acc0, widen(a + i), _mm512_loadu_si512(b + i));
        acc1 = _mm512_dpwssd_epi32(acc1, widen(a + i + 32), _mm512_loadu_si512(b + i + 32));
    }
    for (; i + 32 <= n; i += 32)
        acc0 = _mm512_dpwssd_epi32(acc0, widen(a + i), _mm512_loadu_si512(b + i));
    if (i < n) {
        // Masked-off values load as 0 and add nothing.
        const auto mask = __mmask32(0xFFFFFFFFu >> (32 - (n - i)));
        const __m512i va = _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, a + i));
        acc0 = _mm512_dpwssd_epi32(acc0, va, _mm512_maskz_loadu_epi16(mask, b + i));
    }
    return sum512(acc0) + sum512(acc1);
}

#undef RAG_VNNI_TARGET

#endif

struct Int8Kernels {
    DotInt8Int16Function dot;
    const char *name;
};

Int8Kernels detect()
{
#ifdef RAG_X86_KERNELS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512vnni"))
        return {dotInt8Int16Vnni, "avx512vnni"};
#endif
    return {dotInt8Int16Portable, "scalar"};
}

const Int8Kernels &int8Kernels()
{
    static const Int8Kernels set = detect();
    return set;
}

} // namespace

std::int64_t dotInt8Int16(const std::int8_t *a, const std::int16_t *b, std::size_t n)
{
    return int8Kernels().dot(a, b, n);
}

DotInt8Int16Function dotInt8Int16Function()
{
    return int8Kernels().dot;
}

const char *int8InstructionSet()
{
    return int8Kernels().name;
}

} // namespace rag::kernels
