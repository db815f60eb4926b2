#pragma once
// Int8Rows: the 8-bit copy of a cosine HNSW graph's vectors that queries walk the
// graph on; HnswIndex then re-ranks the beam with the stored half vectors, so the
// scores it returns are unchanged in kind. A query's time goes to cache misses on
// vectors at random addresses, and an 8-bit row is 7 cache lines at 384-d where a
// half vector is 12. One contiguous block apart from hnswlib's level-0 block, one
// row per element id, 64-byte aligned: the codes, then the float scale, padded to
// whole cache lines, so a distance reads only its own lines. The rows are derived
// from the stored half vectors (at build, add and load), never saved: the index
// file keeps its format and a loaded index traverses exactly as the one saved.
// Thread affinity: written by the index's owner (build, add, load), read by any
// number of concurrent queries. Owns its block.
#include "core/index/int8kernels.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace rag {

class Int8Rows {
public:
    Int8Rows() = default;
    // Room for `capacity` rows of `dimension` codes. Throws std::bad_alloc.
    Int8Rows(std::size_t dimension, std::size_t capacity);

    std::size_t dimension() const { return m_dimension; }
    std::size_t capacity() const { return m_capacity; }
    std::size_t stride() const { return m_stride; }
    std::size_t bytes() const { return m_capacity * m_stride; }
    char *block() { return m_block.get(); }

    // Makes room for `capacity` rows, keeping the first `keep`. Throws std::bad_alloc.
    void grow(std::size_t capacity, std::size_t keep);
    // Row i from a stored half-precision vector of dimension() values.
    void setFromHalf(std::size_t i, const std::uint16_t *half);

    const std::int8_t *codes(std::size_t i) const
    {
        return reinterpret_cast<const std::int8_t *>(m_block.get() + i * m_stride);
    }
    float scale(std::size_t i) const
    {
        float value;
        std::memcpy(&value, m_block.get() + i * m_stride + m_scaleOffset, sizeof value);
        return value;
    }
    // Starts loading every line of row i (codes and scale) into L2 (see
    // hnswgraph::kPrefetchAhead). Always inlined: an out-of-line function of
    // prefetches alone counts as side-effect free and its calls get deleted.
    [[gnu::always_inline]] void prefetch(std::size_t i) const
    {
        const char *row = m_block.get() + i * m_stride;
        for (std::size_t at = 0; at < m_usedBytes; at += 64)
            __builtin_prefetch(row + at, 0, 2);
    }

private:
    struct Free {
        void operator()(char *p) const { std::free(p); }
    };
    static std::unique_ptr<char, Free> allocate(std::size_t bytes);

    std::size_t m_dimension = 0;
    std::size_t m_capacity = 0;
    std::size_t m_scaleOffset = 0; // the codes rounded up to the float's alignment
    std::size_t m_usedBytes = 0;   // codes, padding and scale
    std::size_t m_stride = 0;      // m_usedBytes rounded up to whole cache lines
    std::unique_ptr<char, Free> m_block;
};

// A query as the walk measures it against the rows: 16-bit codes and their scale
// (kernels::quantizeInt16), fine enough that the rows' rounding is the walk's
// only error. Reused by one searching thread from query to query.
struct Int8Query {
    std::vector<std::int16_t> codes;
    float scale = 0;

    void prepare(const float *query, std::size_t dimension)
    {
        codes.resize(dimension);
        scale = kernels::quantizeInt16(query, codes.data(), dimension);
    }
};

// A query measured against Int8Rows, in the shape hnswgraph's searches take a
// vector accessor (prefetch, distance): 1 - the dequantised dot product, the
// same kind of distance the half graph measures, to ~5e-4 rms at 384-d.
class Int8Distance {
public:
    Int8Distance(const Int8Rows &rows, const Int8Query &query)
        : m_rows(rows), m_query(query), m_dot(kernels::dotInt8Int16Function())
    {
    }
    [[gnu::always_inline]] void prefetch(unsigned n) const { m_rows.prefetch(n); }
    float distance(unsigned n) const
    {
        const std::int64_t dot = m_dot(m_rows.codes(n), m_query.codes.data(), m_rows.dimension());
        return 1.0f - m_query.scale * m_rows.scale(n) * float(dot);
    }

private:
    const Int8Rows &m_rows;
    const Int8Query &m_query;
    kernels::DotInt8Int16Function m_dot;
};

} // namespace rag
