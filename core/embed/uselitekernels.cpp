#include "core/embed/uselitekernels.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

// The vector helpers below pass 32-byte vectors by value; they are internal and
// inlined, so the AVX calling-convention note GCC attaches to them does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace rag::uselite {

namespace {

// GCC/Clang vector extensions: one type, native width per clone (two SSE
// registers in the baseline build, one AVX register in the x86-64-v3 clone).
// aligned(4) lets them load from any float address; may_alias keeps the
// reinterpretation of float arrays well defined.
typedef float Floats __attribute__((vector_size(32), aligned(4), __may_alias__));
typedef std::int32_t Ints __attribute__((vector_size(32), aligned(4), __may_alias__));
constexpr std::size_t kLanes = 8;

#define RAG_KERNEL __attribute__((target_clones("arch=x86-64-v3", "default")))

inline Floats load(const float *p)
{
    return *reinterpret_cast<const Floats *>(p);
}

inline void store(float *p, Floats v)
{
    *reinterpret_cast<Floats *>(p) = v;
}

inline Floats splat(float v)
{
    return Floats{} + v;
}

inline float horizontalSum(Floats v)
{
    float sum = 0;
    for (std::size_t i = 0; i < kLanes; ++i)
        sum += v[i];
    return sum;
}

inline float horizontalMax(Floats v)
{
    float top = v[0];
    for (std::size_t i = 1; i < kLanes; ++i)
        top = std::max(top, v[i]);
    return top;
}

// exp(x) for x <= 0 (softmax arguments), Cephes' expf: x = n ln2 + r, |r| <= ln2/2,
// a degree-6 polynomial for e^r, and 2^n built in the exponent bits. Relative
// error about 1e-7, far inside the model's float32 noise.
inline Floats expNonPositive(Floats x)
{
    x = x < splat(-87.0f) ? splat(-87.0f) : x;
    const Floats magic = splat(12582912.0f);  // 1.5 * 2^23: adding it rounds to an integer
    const Floats n = (x * 1.44269504088896341f + magic) - magic;
    const Floats r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
    Floats p = splat(1.9875691500e-4f);
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    const Ints bits = (__builtin_convertvector(n, Ints) + 127) << 23;
    return p * reinterpret_cast<const Floats &>(bits);
}

} // namespace

RAG_KERNEL void layerNorm(const float *x, float *y, std::size_t rows, std::size_t width, const float *scale,
                          const float *bias, float epsilon)
{
    const std::size_t vectorEnd = width - width % kLanes;
    for (std::size_t r = 0; r < rows; ++r) {
        const float *in = x + r * width;
        float *out = y + r * width;
        Floats acc = {};
        for (std::size_t i = 0; i < vectorEnd; i += kLanes)
            acc += load(in + i);
        float sum = horizontalSum(acc);
        for (std::size_t i = vectorEnd; i < width; ++i)
            sum += in[i];
        const float mean = sum / float(width);

        acc = Floats{};
        for (std::size_t i = 0; i < vectorEnd; i += kLanes) {
            const Floats d = load(in + i) - mean;
            acc += d * d;
        }
        float squares = horizontalSum(acc);
        for (std::size_t i = vectorEnd; i < width; ++i)
            squares += (in[i] - mean) * (in[i] - mean);
        const float inverse = 1.0f / std::sqrt(squares / float(width) + epsilon);

        for (std::size_t i = 0; i < vectorEnd; i += kLanes)
            store(out + i, load(scale + i) * inverse * (load(in + i) - mean) + load(bias + i));
        for (std::size_t i = vectorEnd; i < width; ++i)
            out[i] = scale[i] * inverse * (in[i] - mean) + bias[i];
    }
}

RAG_KERNEL void relu(float *x, std::size_t count)
{
    const std::size_t vectorEnd = count - count % kLanes;
    const Floats zero = {};
    for (std::size_t i = 0; i < vectorEnd; i += kLanes) {
        const Floats v = load(x + i);
        store(x + i, v > zero ? v : zero);
    }
    for (std::size_t i = vectorEnd; i < count; ++i)
        x[i] = std::max(x[i], 0.0f);
}

RAG_KERNEL void softmaxRows(float *x, std::size_t rows, std::size_t width, float scale)
{
    const std::size_t vectorEnd = width - width % kLanes;
    for (std::size_t r = 0; r < rows; ++r) {
        float *row = x + r * width;
        float top = row[0];
        if (vectorEnd > 0) {
            Floats best = load(row);
            for (std::size_t i = kLanes; i < vectorEnd; i += kLanes) {
                const Floats v = load(row + i);
                best = v > best ? v : best;
            }
            top = horizontalMax(best);
        }
        for (std::size_t i = vectorEnd; i < width; ++i)
            top = std::max(top, row[i]);

        Floats acc = {};
        for (std::size_t i = 0; i < vectorEnd; i += kLanes) {
            const Floats e = expNonPositive((load(row + i) - top) * scale);
            store(row + i, e);
            acc += e;
        }
        float sum = horizontalSum(acc);
        for (std::size_t i = vectorEnd; i < width; ++i) {
            row[i] = std::exp((row[i] - top) * scale);
            sum += row[i];
        }
        const float inverse = 1.0f / sum;
        for (std::size_t i = 0; i < vectorEnd; i += kLanes)
            store(row + i, load(row + i) * inverse);
        for (std::size_t i = vectorEnd; i < width; ++i)
            row[i] *= inverse;
    }
}

RAG_KERNEL void accumulate(float *sum, const float *x, std::size_t count)
{
    const std::size_t vectorEnd = count - count % kLanes;
    for (std::size_t i = 0; i < vectorEnd; i += kLanes)
        store(sum + i, load(sum + i) + load(x + i));
    for (std::size_t i = vectorEnd; i < count; ++i)
        sum[i] += x[i];
}

} // namespace rag::uselite
