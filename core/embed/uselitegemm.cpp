#include "core/embed/uselitegemm.h"

#include <algorithm>

// The kernels pass 32-byte vectors by value between inlined helpers only; the
// AVX calling-convention note GCC attaches to them does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace rag::uselite {

namespace {

typedef float Floats __attribute__((vector_size(32), aligned(4), __may_alias__));

constexpr int kMr = 6;    // rows of C per micro-tile
constexpr int kNr = 16;   // columns of C per micro-tile (two 8-float vectors)
// Block sizes measured on Zen 4 (1 MB L2 per core): deeper blocks halve the
// passes over C, and C's rows are prefetched before each micro-tile.
constexpr int kKc = 512;  // depth of a block: a 512 x 16 B panel is 32 KB
constexpr int kMc = 192;  // rows of a packed A block (192 x 512 floats, 384 KB, in L2)
// B blocks span the full width (1536 at most here: 1.5 MB, in L2/L3).

int paddedColumns(int n)
{
    return (n + kNr - 1) / kNr * kNr;
}

inline Floats load(const float *p)
{
    return *reinterpret_cast<const Floats *>(p);
}

inline void store(float *p, Floats v)
{
    *reinterpret_cast<Floats *>(p) = v;
}

// Where a micro-tile goes. Passed by pointer so that none of it occupies a vector
// register during the loop.
struct TileTarget {
    float *c;
    int ldc;
    bool accumulate;     // C += a b, else C = a b
    const float *bias;   // when set, added to every row (16 floats, zero-padded)
    int rows;            // valid rows of the 6 x 16 tile
    int cols;
};

// C tile (+)= a b (+ bias) over kc steps of packed A (6 floats per step) and packed
// B (16 floats per step). Twelve named accumulators and nothing else live across the
// loop keep all of them in registers (AVX2: 12 + 2 B vectors + 1 broadcast of 16
// ymm). Full tiles are written straight into C; edge tiles go through a buffer.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void microKernel(int kc, const float *a, const float *b,
                                                                             const TileTarget *target)
{
    Floats c00 = {}, c01 = {};
    if (target->bias) {
        c00 = load(target->bias);
        c01 = load(target->bias + 8);
    }
    for (int r = 0; r < target->rows; ++r)
        __builtin_prefetch(target->c + std::size_t(r) * target->ldc, 1);
    Floats c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01, c40 = c00, c41 = c01, c50 = c00,
           c51 = c01;
    for (int p = 0; p < kc; ++p) {
        const Floats b0 = load(b);
        const Floats b1 = load(b + 8);
        c00 += a[0] * b0;
        c01 += a[0] * b1;
        c10 += a[1] * b0;
        c11 += a[1] * b1;
        c20 += a[2] * b0;
        c21 += a[2] * b1;
        c30 += a[3] * b0;
        c31 += a[3] * b1;
        c40 += a[4] * b0;
        c41 += a[4] * b1;
        c50 += a[5] * b0;
        c51 += a[5] * b1;
        a += kMr;
        b += kNr;
    }
    const Floats acc[kMr][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
    const bool full = target->rows == kMr && target->cols == kNr;
    alignas(32) float tile[kMr][kNr];
    for (int r = 0; r < kMr; ++r) {
        float *row = full ? target->c + std::size_t(r) * target->ldc : tile[r];
        if (full && target->accumulate) {
            store(row, load(row) + acc[r][0]);
            store(row + 8, load(row + 8) + acc[r][1]);
        } else {
            store(row, acc[r][0]);
            store(row + 8, acc[r][1]);
        }
    }
    if (full)
        return;
    for (int r = 0; r < target->rows; ++r) {
        float *row = target->c + std::size_t(r) * target->ldc;
        for (int j = 0; j < target->cols; ++j)
            row[j] = target->accumulate ? row[j] + tile[r][j] : tile[r][j];
    }
}

// A block (mc x kc at a, lda) -> strips of 6 rows, step-major, zero-padded:
// written in order, reading six rows side by side.
void packA(const float *a, int lda, int mc, int kc, float *out)
{
    for (int i0 = 0; i0 < mc; i0 += kMr) {
        const int rows = std::min(kMr, mc - i0);
        if (rows == kMr) {
            const float *r0 = a + std::size_t(i0) * lda;
            const float *r1 = r0 + lda, *r2 = r1 + lda, *r3 = r2 + lda, *r4 = r3 + lda, *r5 = r4 + lda;
            for (int p = 0; p < kc; ++p) {
                out[0] = r0[p];
                out[1] = r1[p];
                out[2] = r2[p];
                out[3] = r3[p];
                out[4] = r4[p];
                out[5] = r5[p];
                out += kMr;
            }
            continue;
        }
        for (int p = 0; p < kc; ++p) {
            for (int r = 0; r < kMr; ++r)
                out[r] = r < rows ? a[std::size_t(i0 + r) * lda + p] : 0.0f;
            out += kMr;
        }
    }
}

// op(B) block (kc x nc) -> panels of 16 columns, step-major, zero-padded. With
// `transposed`, op(B)[p][j] is b[j * ldb + p].
void packB(const float *b, int ldb, bool transposed, int kc, int nc, float *out)
{
    for (int j0 = 0; j0 < nc; j0 += kNr) {
        const int cols = std::min(kNr, nc - j0);
        if (!transposed) {
            for (int p = 0; p < kc; ++p) {
                const float *src = b + std::size_t(p) * ldb + j0;
                float *dst = out + std::size_t(p) * kNr;
                if (cols == kNr) {
                    store(dst, load(src));
                    store(dst + 8, load(src + 8));
                } else {
                    std::copy(src, src + cols, dst);
                    std::fill(dst + cols, dst + kNr, 0.0f);
                }
            }
        } else {
            for (int j = 0; j < kNr; ++j) {
                const float *src = j < cols ? b + std::size_t(j0 + j) * ldb : nullptr;
                for (int p = 0; p < kc; ++p)
                    out[std::size_t(p) * kNr + j] = src ? src[p] : 0.0f;
            }
        }
        out += std::size_t(kc) * kNr;
    }
}

} // namespace

PackedMatrix PackedMatrix::pack(const float *b, int k, int n, int ldb)
{
    PackedMatrix packed;
    packed.m_k = k;
    packed.m_n = n;
    packed.m_panels.resize(std::size_t(k) * std::size_t(paddedColumns(n)));
    for (int pc = 0; pc < k; pc += kKc)
        packB(b + std::size_t(pc) * ldb, ldb, false, std::min(kKc, k - pc), n,
              packed.m_panels.data() + std::size_t(pc) * paddedColumns(n));
    return packed;
}

// C (+)= A B for one depth block: A is m x kc, the panels kc x n.
void Gemm::blockProduct(int m, int n, int kc, const float *a, int lda, const float *panels, bool accumulate,
                        const float *bias, float *c, int ldc)
{
    if (bias) {
        m_bias.assign(std::size_t(paddedColumns(n)), 0.0f);
        std::copy(bias, bias + n, m_bias.begin());
    }
    m_packedA.resize(std::size_t(kKc) * std::size_t(kMc + kMr));
    for (int ic = 0; ic < m; ic += kMc) {
        const int mc = std::min(kMc, m - ic);
        packA(a + std::size_t(ic) * lda, lda, mc, kc, m_packedA.data());
        for (int jr = 0; jr < n; jr += kNr) {
            for (int ir = 0; ir < mc; ir += kMr) {
                const TileTarget target{c + std::size_t(ic + ir) * ldc + jr, ldc, accumulate,
                                        bias ? m_bias.data() + jr : nullptr, std::min(kMr, mc - ir),
                                        std::min(kNr, n - jr)};
                microKernel(kc, m_packedA.data() + std::size_t(ir) * kc, panels + std::size_t(jr) * kc, &target);
            }
        }
    }
}

void Gemm::multiply(int m, int n, int k, const float *a, int lda, const float *b, int ldb, bool transposeB,
                    bool accumulate, float *c, int ldc)
{
    if (m <= 0 || n <= 0)
        return;
    if (k <= 0 && !accumulate) {
        for (int i = 0; i < m; ++i)
            std::fill(c + std::size_t(i) * ldc, c + std::size_t(i) * ldc + n, 0.0f);
    }
    m_packedB.resize(std::size_t(kKc) * std::size_t(paddedColumns(n)));
    for (int pc = 0; pc < k; pc += kKc) {
        const int kc = std::min(kKc, k - pc);
        packB(transposeB ? b + pc : b + std::size_t(pc) * ldb, ldb, transposeB, kc, n, m_packedB.data());
        blockProduct(m, n, kc, a + pc, lda, m_packedB.data(), accumulate || pc > 0, nullptr, c, ldc);
    }
}

void Gemm::multiply(int m, const float *a, int lda, const PackedMatrix &b, const float *bias, bool accumulate,
                    float *c, int ldc)
{
    if (m <= 0 || b.m_n <= 0 || b.m_k <= 0)
        return;  // packed matrices are never empty
    for (int pc = 0; pc < b.m_k; pc += kKc) {
        blockProduct(m, b.m_n, std::min(kKc, b.m_k - pc), a + pc, lda,
                     b.m_panels.data() + std::size_t(pc) * paddedColumns(b.m_n), accumulate || pc > 0,
                     pc == 0 ? bias : nullptr, c, ldc);
    }
}

} // namespace rag::uselite
