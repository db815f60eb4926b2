#include "core/index/int8rows.h"

#include "core/index/halfkernels.h"

#include <algorithm>
#include <new>

namespace rag {

namespace {

constexpr std::size_t kLine = 64;
// Blocks of at least this size are aligned to it, so that whole 2 MiB pages can
// back them when the owner advises huge pages (see hnswindex.cpp).
constexpr std::size_t kHugePage = std::size_t(2) << 20;

std::size_t roundUp(std::size_t value, std::size_t step)
{
    return (value + step - 1) / step * step;
}

} // namespace

Int8Rows::Int8Rows(std::size_t dimension, std::size_t capacity)
    : m_dimension(dimension)
    , m_capacity(capacity)
    , m_scaleOffset(roundUp(dimension, alignof(float)))
    , m_usedBytes(m_scaleOffset + sizeof(float))
    , m_stride(roundUp(m_usedBytes, kLine))
    , m_block(allocate(capacity * m_stride))
{
}

std::unique_ptr<char, Int8Rows::Free> Int8Rows::allocate(std::size_t bytes)
{
    const std::size_t alignment = bytes >= kHugePage ? kHugePage : kLine;
    // aligned_alloc wants a multiple of the alignment (and a non-zero size).
    auto *block = static_cast<char *>(std::aligned_alloc(alignment, roundUp(std::max<std::size_t>(bytes, 1), alignment)));
    if (!block)
        throw std::bad_alloc();
    return std::unique_ptr<char, Free>(block);
}

void Int8Rows::grow(std::size_t capacity, std::size_t keep)
{
    if (capacity <= m_capacity)
        return;
    auto block = allocate(capacity * m_stride);
    std::memcpy(block.get(), m_block.get(), std::min(keep, m_capacity) * m_stride);
    m_block = std::move(block);
    m_capacity = capacity;
}

void Int8Rows::setFromHalf(std::size_t i, const std::uint16_t *half)
{
    thread_local std::vector<float> floats;
    floats.resize(m_dimension);
    // The portable conversion, not the SIMD one: equal results either way, and
    // this makes the codes depend on nothing but the stored halves.
    for (std::size_t d = 0; d < m_dimension; ++d)
        floats[d] = kernels::halfToFloat(half[d]);
    char *row = m_block.get() + i * m_stride;
    std::memset(row, 0, m_stride);
    const float scale = kernels::quantizeInt8(floats.data(), reinterpret_cast<std::int8_t *>(row), m_dimension);
    std::memcpy(row + m_scaleOffset, &scale, sizeof scale);
}

} // namespace rag
