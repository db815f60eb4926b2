#include "core/index/int8kernels.h"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RAG_X86_KERNELS 1
#include <immintrin.h>
#endif

namespace rag::kernels {

float quantizeInt8(const float *in, std::int8_t *out, std::size_t n)
{
    float largest = 0;
    for (std::size_t i = 0; i < n; ++i)
        largest = std::max(largest, std::abs(in[i]));
    // A NaN compares false and leaves `largest` alone, so look for it explicitly.
    bool finite = std::isfinite(largest);
    for (std::size_t i = 0; finite && i < n; ++i)
        finite = !std::isnan(in[i]);
    if (!(largest > 0) || !finite) {
        for (std::size_t i = 0; i < n; ++i)
            out[i] = 0;
        return 0;
    }
    const float inverse = float(kInt8MaxCode) / largest;
    // Adding and removing 1.5 * 2^23 rounds a float of magnitude below 2^22 to the
    // nearest integer, ties to even (the FPU's default mode), without a libm call
    // per value: nearbyint is not inlined at the baseline x86-64 ISA.
    constexpr float kRound = 12582912.0f;
    for (std::size_t i = 0; i < n; ++i) {
        const float rounded = (in[i] * inverse + kRound) - kRound;
        out[i] = std::int8_t(std::clamp(int(rounded), -kInt8MaxCode, kInt8MaxCode));
    }
    return largest / float(kInt8MaxCode);
}

std::int32_t dotInt8Portable(const std::int8_t *a, const std::int8_t *b, std::size_t n)
{
    // |a_i * b_i| <= 2^14, so 32 bits hold the sum of 2^16 products.
    std::int32_t sum = 0;
    for (std::size_t i = 0; i < n; ++i)
        sum += std::int32_t(a[i]) * std::int32_t(b[i]);
    return sum;
}

namespace {

#ifdef RAG_X86_KERNELS

#define RAG_VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vnni")))

RAG_VNNI_TARGET inline std::int32_t sum512(__m512i v)
{
    // Masked extracts with an explicit source: GCC 12's plain forms trip -Wuninitialized.
    const __m256i zero = _mm256_setzero_si256();
    const __m256i half = _mm256_add_epi32(_mm512_mask_extracti64x4_epi64(zero, 0xF, v, 0),
                                          _mm512_mask_extracti64x4_epi64(zero, 0xF, v, 1));
    __m128i x = _mm_add_epi32(_mm256_castsi256_si128(half), _mm256_extracti128_si256(half, 1));
    x = _mm_add_epi32(x, _mm_shuffle_epi32(x, 0x4E));
    x = _mm_add_epi32(x, _mm_shuffle_epi32(x, 0xB1));
    return _mm_cvtsi128_si32(x);
}

// vpdpbusd multiplies unsigned by signed bytes. Flipping the top bit of a's codes
// turns a_i into the unsigned a_i + 128, so the instruction sums (a_i + 128) * b_i;
// a second vpdpbusd over the constant 128 sums 128 * b_i, and the difference is
// the signed dot product. Both chains are independent and wrap like the integer
// arithmetic they stand for, so the result equals the portable loop exactly.
RAG_VNNI_TARGET std::int32_t dotInt8Vnni(const std::int8_t *a, const std::int8_t *b, std::size_t n)
{
    const __m512i flip = _mm512_set1_epi8(char(0x80));
    __m512i products = _mm512_setzero_si512();
    __m512i bias = _mm512_setzero_si512();
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const __m512i va = _mm512_loadu_si512(a + i);
        const __m512i vb = _mm512_loadu_si512(b + i);
        products = _mm512_dpbusd_epi32(products, _mm512_xor_si512(va, flip), vb);
        bias = _mm512_dpbusd_epi32(bias, flip, vb);
    }
    if (i < n) {
        // Masked-off bytes load as 0 on both sides: b_i = 0 adds nothing to either chain.
        const auto mask = __mmask64(~0ULL >> (64 - (n - i)));
        const __m512i va = _mm512_maskz_loadu_epi8(mask, a + i);
        const __m512i vb = _mm512_maskz_loadu_epi8(mask, b + i);
        products = _mm512_dpbusd_epi32(products, _mm512_xor_si512(va, flip), vb);
        bias = _mm512_dpbusd_epi32(bias, flip, vb);
    }
    return sum512(_mm512_sub_epi32(products, bias));
}

#undef RAG_VNNI_TARGET

#endif

struct Int8Kernels {
    DotInt8Function dot;
    const char *name;
};

Int8Kernels detect()
{
#ifdef RAG_X86_KERNELS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vnni"))
        return {dotInt8Vnni, "avx512vnni"};
#endif
    return {dotInt8Portable, "scalar"};
}

const Int8Kernels &int8Kernels()
{
    static const Int8Kernels set = detect();
    return set;
}

} // namespace

std::int32_t dotInt8(const std::int8_t *a, const std::int8_t *b, std::size_t n)
{
    return int8Kernels().dot(a, b, n);
}

DotInt8Function dotInt8Function()
{
    return int8Kernels().dot;
}

const char *int8InstructionSet()
{
    return int8Kernels().name;
}

} // namespace rag::kernels
