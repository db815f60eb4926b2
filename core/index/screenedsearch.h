#pragma once
// Screened exact search: the k largest inner products of each query with a set of
// float rows, the same rows and scores a float brute force over kernels::dot finds
// (ties to the smaller row), at about half its cost.
//
// Every row is first scored in bfloat16 (bf16kernels.h), twice the arithmetic rate
// of float from half the memory. Each approximate score a comes with a certified
// bound E on its distance to the float score s, from quantities known before the
// search (|q.x - q'.x'| <= |q||x - x'| + |q - q'||x'| for the bf16 roundings q', x'
// of q and x, plus the float rounding of both sums; see boundTerms in the .cpp). So
// a - E is a lower bound on s, and the k-th largest lower bound T is a lower bound
// on the k-th best float score: a row with a + E < T cannot be in the top k. Only
// the rows with a + E >= T (typically tens per query) are re-scored with
// kernels::dot, and the top k of those are the answer.
//
// ScreenedRows is the packed bf16 copy of the rows with each row's rounding error;
// it is built once per row set and read by any number of concurrent searches.
#include "core/index/bf16kernels.h"
#include "core/index/topk.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

namespace rag {

class ScreenedRows {
public:
    ScreenedRows() = default;
    // Packs n rows of `dim` floats (row-major).
    ScreenedRows(const float *rows, std::size_t n, std::size_t dim);

    std::size_t size() const { return m_count; }
    std::size_t dimension() const { return m_dim; }
    std::size_t pairs() const { return (m_dim + 1) / 2; }
    std::size_t panels() const { return (m_count + kernels::kPanelRows - 1) / kernels::kPanelRows; }
    std::size_t bytes() const;

    const std::uint32_t *panel(std::size_t p) const { return m_panels.get() + p * pairs() * kernels::kPanelRows; }
    // Per row, padded to whole panels: |x - bf16(x)| and |bf16(x)|, rounded up.
    const float *rowError(std::size_t p) const { return m_error.data() + p * kernels::kPanelRows; }
    const float *rowNorm(std::size_t p) const { return m_norm.data() + p * kernels::kPanelRows; }

private:
    struct Free {
        void operator()(std::uint32_t *p) const { std::free(p); }
    };
    std::size_t m_count = 0;
    std::size_t m_dim = 0;
    std::unique_ptr<std::uint32_t[], Free> m_panels;
    std::vector<float> m_error;
    std::vector<float> m_norm;
};

struct ScreenedSearchStats {
    std::size_t rescored = 0; // rows re-scored in float, over all queries
};

// The top k rows (TopK entries: score = kernels::dot(query, row), id = row index,
// best first) of each of the nq queries (row-major, nq x screen.dimension()) against
// `rows`, the float rows `screen` was packed from. Vectors are expected to be
// normalised or at least of moderate size (elements below 2^20). `kernel` defaults
// to kernels::screenBf16(); `threads` 0 means all cores.
std::vector<std::vector<TopK::Entry>> screenedSearch(const ScreenedRows &screen, const float *rows,
                                                     const float *queries, std::size_t nq, std::size_t k,
                                                     kernels::ScreenFunction kernel = nullptr, int threads = 0,
                                                     ScreenedSearchStats *stats = nullptr);

} // namespace rag
