#include "core/index/screenedsearch.h"

#include "core/index/parallelbatches.h"
#include "core/index/vectorkernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>

namespace rag {

namespace {

constexpr double kUnit = 0x1p-24; // float unit roundoff
// Panels screened per row block: 16 x 32 rows x 384-d bf16 = 384 KiB, which stays
// in a core's L2 while every query block of the thread passes over it.
constexpr std::size_t kBlockPanels = 16;
// Fewer queries than this per thread and the rows are split between threads instead.
constexpr std::size_t kMinQueriesPerThread = 4 * kernels::kScreenQueries;

// gamma_m = m u / (1 - m u): the relative error bound of a float sum of m terms
// (Higham, Accuracy and Stability of Numerical Algorithms, 3.1), for any order.
double gamma(std::size_t m)
{
    return double(m) * kUnit / (1.0 - double(m) * kUnit);
}

// Rounds a non-negative double up to a float that is not below it.
float roundUp(double v)
{
    const float f = float(v);
    return double(f) >= v ? f : std::nextafter(f, std::numeric_limits<float>::infinity());
}

// The per-query constants of the bound E = c1 |x - x'| + c2 |x'| + c0 on
// |a - s| (a: screened score, s: kernels::dot(q, x); x', q': bf16 roundings):
//   |q.x - q'.x'|   <= |q| |x - x'| + |q - q'| |x'|         (Cauchy-Schwarz)
//   screen rounding <= gamma(roundings) |q'| |x'|           (bf16 products are exact)
//   float rescoring <= gamma(dim) |q| |x|, |x| <= |x'| + |x - x'|
// plus the float rounding of a, of the bound and of the comparison itself (a few
// units in the last place of |q'||x'| + E, covered by the 1 + 2^-16 margin and the
// 4u |q'| term), and c0 for products flushed to zero below 2^-126 (elements below
// 2^20 make each such product under 2^-106).
struct BoundTerms {
    float c0, c1, c2;
};

BoundTerms boundTerms(const float *q, const std::uint32_t *packed, std::size_t dim, std::size_t pairs)
{
    double qq = 0, ee = 0, pp = 0;
    for (std::size_t i = 0; i < dim; ++i) {
        const std::uint32_t word = packed[i / 2];
        const double rounded = kernels::bf16ToFloat(std::uint16_t(i % 2 ? word >> 16 : word));
        qq += double(q[i]) * q[i];
        ee += (q[i] - rounded) * (q[i] - rounded);
        pp += rounded * rounded;
    }
    const double qNorm = std::sqrt(qq), qError = std::sqrt(ee), roundedNorm = std::sqrt(pp);
    const double screen = gamma(kernels::screenRoundings(pairs)), rescore = gamma(dim);
    constexpr double margin = 1.0 + 0x1p-16;
    return BoundTerms{roundUp(double(dim) * 0x1p-100),
                      roundUp(margin * qNorm * (1.0 + rescore)),
                      roundUp(margin * (qError + screen * roundedNorm + rescore * qNorm) + 4 * kUnit * roundedNorm)};
}

struct Candidate {
    float upper;
    std::int64_t row;
};

// What one query has found so far: the k largest lower bounds (their minimum is
// the admission threshold) and every row whose upper bound reached the threshold
// when it was screened.
struct QueryState {
    explicit QueryState(std::size_t k) : lower(k), pruneAt(std::max<std::size_t>(256, 8 * k)) {}
    TopK lower;
    std::vector<Candidate> candidates;
    std::size_t pruneAt;

    void prune()
    {
        const float bar = lower.threshold();
        std::erase_if(candidates, [bar](const Candidate &c) { return c.upper < bar; });
        if (candidates.size() * 2 > pruneAt)
            pruneAt *= 2;
    }
};

struct PreparedQueries {
    std::size_t pairs = 0;
    std::vector<std::uint32_t> packed; // nq x pairs
    std::vector<BoundTerms> bounds;
};

PreparedQueries prepareQueries(const float *queries, std::size_t nq, std::size_t dim)
{
    PreparedQueries out;
    out.pairs = (dim + 1) / 2;
    out.packed.resize(nq * out.pairs);
    out.bounds.resize(nq);
    for (std::size_t i = 0; i < nq; ++i) {
        std::uint32_t *packed = out.packed.data() + i * out.pairs;
        kernels::packBf16Pairs(queries + i * dim, dim, packed);
        out.bounds[i] = boundTerms(queries + i * dim, packed, dim, out.pairs);
    }
    return out;
}

// Screens queries [q0, q1) against panels [p0, p1) into states[0 .. q1 - q0).
void screenRange(const ScreenedRows &screen, const PreparedQueries &prepared, kernels::ScreenFunction kernel,
                 std::size_t q0, std::size_t q1, std::size_t p0, std::size_t p1, std::vector<QueryState> &states)
{
    using kernels::kPanelRows;
    using kernels::kScreenQueries;
    const std::uint32_t *queryWords[kScreenQueries];
    float c0[kScreenQueries], c1[kScreenQueries], c2[kScreenQueries], bars[kScreenQueries];
    alignas(64) float scores[kScreenQueries * kPanelRows];
    std::uint32_t masks[kScreenQueries];
    for (std::size_t block = p0; block < p1; block += kBlockPanels) {
        const std::size_t blockEnd = std::min(p1, block + kBlockPanels);
        for (std::size_t qb = q0; qb < q1; qb += kScreenQueries) {
            const std::size_t count = std::min(kScreenQueries, q1 - qb);
            for (std::size_t m = 0; m < count; ++m) {
                queryWords[m] = prepared.packed.data() + (qb + m) * prepared.pairs;
                c0[m] = prepared.bounds[qb + m].c0;
                c1[m] = prepared.bounds[qb + m].c1;
                c2[m] = prepared.bounds[qb + m].c2;
            }
            for (std::size_t p = block; p < blockEnd; ++p) {
                for (std::size_t m = 0; m < count; ++m)
                    bars[m] = states[qb - q0 + m].lower.threshold();
                const std::size_t firstRow = p * kPanelRows;
                const float *error = screen.rowError(p), *norm = screen.rowNorm(p);
                kernels::ScreenTile tile{queryWords, count, screen.panel(p), screen.pairs(),
                                         std::min(kPanelRows, screen.size() - firstRow), error, norm, c0, c1, c2,
                                         bars, scores, masks};
                kernel(tile);
                for (std::size_t m = 0; m < count; ++m) {
                    QueryState &state = states[qb - q0 + m];
                    for (std::uint32_t mask = masks[m]; mask; mask &= mask - 1) {
                        const auto r = std::size_t(__builtin_ctz(mask));
                        const float bound = c1[m] * error[r] + c2[m] * norm[r] + c0[m];
                        const float a = scores[m * kPanelRows + r];
                        const auto row = std::int64_t(firstRow + r);
                        state.lower.push(a - bound, row);
                        state.candidates.push_back({a + bound, row});
                    }
                    if (state.candidates.size() > state.pruneAt)
                        state.prune();
                }
            }
        }
    }
}

} // namespace

ScreenedRows::ScreenedRows(const float *rows, std::size_t n, std::size_t dim) : m_count(n), m_dim(dim)
{
    using kernels::kPanelRows;
    const std::size_t pairCount = pairs();
    const std::size_t words = std::max<std::size_t>(1, panels() * pairCount * kPanelRows);
    const std::size_t bytes = (words * sizeof(std::uint32_t) + 63) / 64 * 64;
    m_panels.reset(static_cast<std::uint32_t *>(std::aligned_alloc(64, bytes)));
    if (!m_panels)
        throw std::bad_alloc();
    std::memset(m_panels.get(), 0, bytes);
    m_error.assign(panels() * kPanelRows, 0.0f);
    m_norm.assign(panels() * kPanelRows, 0.0f);
    // Rows are packed on all cores (each batch writes its own panels): an index is
    // packed whenever it is built or loaded, ~0.25 s per 100k x 384 on one core.
    parallelBatches(panels(), 64, JobContext(), {}, [&](std::size_t firstPanel, std::size_t endPanel) {
        std::vector<std::uint32_t> packed(pairCount);
        for (std::size_t i = firstPanel * kPanelRows; i < std::min(n, endPanel * kPanelRows); ++i) {
            const float *x = rows + i * dim;
            kernels::packBf16Pairs(x, dim, packed.data());
            std::uint32_t *panel = m_panels.get() + (i / kPanelRows) * pairCount * kPanelRows + i % kPanelRows;
            double ee = 0, pp = 0;
            for (std::size_t p = 0; p < pairCount; ++p) {
                panel[p * kPanelRows] = packed[p];
                for (std::size_t half = 0; half < 2 && 2 * p + half < dim; ++half) {
                    const double rounded = kernels::bf16ToFloat(std::uint16_t(packed[p] >> (16 * half)));
                    const double diff = double(x[2 * p + half]) - rounded;
                    ee += diff * diff;
                    pp += rounded * rounded;
                }
            }
            m_error[i] = roundUp(std::sqrt(ee) * (1.0 + 0x1p-40));
            m_norm[i] = roundUp(std::sqrt(pp) * (1.0 + 0x1p-40));
        }
    });
}

std::size_t ScreenedRows::bytes() const
{
    return panels() * pairs() * kernels::kPanelRows * sizeof(std::uint32_t)
        + (m_error.size() + m_norm.size()) * sizeof(float);
}

std::vector<std::vector<TopK::Entry>> screenedSearch(const ScreenedRows &screen, const float *rows,
                                                     const float *queries, std::size_t nq, std::size_t k,
                                                     kernels::ScreenFunction kernel, int threads,
                                                     ScreenedSearchStats *stats)
{
    std::vector<std::vector<TopK::Entry>> results(nq);
    const std::size_t dim = screen.dimension();
    if (nq == 0 || k == 0 || screen.size() == 0)
        return results;
    if (!kernel)
        kernel = kernels::screenBf16();
    threads = threads > 0 ? threads : hardwareThreads();
    const PreparedQueries prepared = prepareQueries(queries, nq, dim);
    const std::size_t panels = screen.panels();

    // Each work item screens a range of queries against a range of panels into its
    // own states: with enough queries the queries are split (each thread streams
    // the rows once per chunk), otherwise the panels are, and the states of a
    // query are merged afterwards.
    const bool splitRows = nq < kMinQueriesPerThread * std::size_t(threads) && threads > 1;
    const std::size_t rowParts = splitRows ? std::size_t(threads) : 1;
    const std::size_t queryChunk = splitRows
        ? nq
        : std::max(kMinQueriesPerThread, (nq + 2 * std::size_t(threads) - 1) / (2 * std::size_t(threads)));
    const std::size_t queryChunks = (nq + queryChunk - 1) / queryChunk;
    std::vector<std::vector<QueryState>> parts(queryChunks * rowParts);
    parallelBatches(parts.size(), 1, JobContext(), {}, [&](std::size_t begin, std::size_t end) {
        for (std::size_t item = begin; item < end; ++item) {
            const std::size_t chunk = item / rowParts, part = item % rowParts;
            const std::size_t q0 = chunk * queryChunk, q1 = std::min(nq, q0 + queryChunk);
            const std::size_t p0 = panels * part / rowParts, p1 = panels * (part + 1) / rowParts;
            parts[item].assign(q1 - q0, QueryState(k));
            screenRange(screen, prepared, kernel, q0, q1, p0, p1, parts[item]);
        }
    }, threads);

    std::size_t rescored = 0;
    for (std::size_t i = 0; i < nq; ++i) {
        const std::size_t chunk = i / queryChunk;
        QueryState &state = parts[chunk * rowParts][i - chunk * queryChunk];
        for (std::size_t part = 1; part < rowParts; ++part) {
            QueryState &other = parts[chunk * rowParts + part][i - chunk * queryChunk];
            for (const auto &entry : other.lower.take())
                state.lower.push(entry.score, entry.id);
            state.candidates.insert(state.candidates.end(), other.candidates.begin(), other.candidates.end());
        }
        const float bar = state.lower.threshold();
        TopK best(k);
        const float *query = queries + i * dim;
        for (const Candidate &c : state.candidates) {
            if (c.upper < bar)
                continue;
            best.push(kernels::dot(query, rows + std::size_t(c.row) * dim, dim), c.row);
            ++rescored;
        }
        results[i] = best.take();
    }
    if (stats)
        stats->rescored = rescored;
    return results;
}

} // namespace rag
