#pragma once
// UseLiteGemm: single-threaded SGEMM for the USE-Lite forward pass, in the BLIS
// structure: B in 16-column panels, A in 6-row strips, a 6x16 register
// micro-kernel, depth blocks of 512. It exists because the embedder runs one
// forward pass per core on separate batches, and OpenBLAS has no per-call
// single-threaded mode: its threaded GEMM would fight those threads, while this
// one never synchronises with anything. Weight matrices are packed once, at load
// (PackedMatrix). The micro-kernel is compiled for AVX2/FMA and for baseline
// x86-64 and picked by the CPU at load time.
// Gemm: one instance per thread (it owns packing buffers). PackedMatrix: immutable.
#include <vector>

namespace rag::uselite {

// A k x n right-hand matrix in the micro-kernel's panel layout.
class PackedMatrix {
public:
    // b is row-major k x n with row stride ldb.
    static PackedMatrix pack(const float *b, int k, int n, int ldb);
    int rows() const { return m_k; }
    int cols() const { return m_n; }

private:
    friend class Gemm;
    int m_k = 0;
    int m_n = 0;
    std::vector<float> m_panels;
};

class Gemm {
public:
    // C = A op(B), or C += A op(B) with `accumulate`; all row-major. A is m x k
    // (lda); op(B) is k x n: B itself (k x n, ldb) or, with transposeB, the
    // transpose of B (n x k, ldb). Packs B on the way.
    void multiply(int m, int n, int k, const float *a, int lda, const float *b, int ldb, bool transposeB,
                  bool accumulate, float *c, int ldc);
    // C (+)= A B + bias with B packed beforehand: A is m x b.rows(), C is
    // m x b.cols(), bias (b.cols() floats) may be null.
    void multiply(int m, const float *a, int lda, const PackedMatrix &b, const float *bias, bool accumulate, float *c,
                  int ldc);

private:
    void blockProduct(int m, int n, int kc, const float *a, int lda, const float *panels, bool accumulate,
                      const float *bias, float *c, int ldc);

    std::vector<float> m_packedA;
    std::vector<float> m_packedB;
    std::vector<float> m_bias;  // the bias, zero-padded to whole 16-column panels
};

} // namespace rag::uselite
