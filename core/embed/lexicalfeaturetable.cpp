#include "core/embed/lexicalfeaturetable.h"

#include <algorithm>
#include <bit>

namespace rag {

LexicalFeatureTable::LexicalFeatureTable(std::size_t expected)
{
    // Keep the load factor at or under 1/2 so that linear probes stay short.
    const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, expected * 2));
    m_keys.assign(capacity, 0);
    m_counts.assign(capacity, 0);
    m_shift = 64 - std::countr_zero(capacity);
}

std::size_t LexicalFeatureTable::slotOf(std::uint64_t id) const
{
    // Fibonacci hashing: the ids are already well mixed, this only picks the top bits.
    return std::size_t((id * 0x9E3779B97F4A7C15ull) >> m_shift);
}

void LexicalFeatureTable::add(std::uint64_t id, std::uint32_t by)
{
    if (id == 0) {
        m_size += m_hasZero ? 0 : 1;
        m_hasZero = true;
        m_zeroCount += by;
        return;
    }
    if ((m_size + 1) * 2 > m_keys.size())
        grow();
    const std::size_t mask = m_keys.size() - 1;
    for (std::size_t i = slotOf(id);; i = (i + 1) & mask) {
        if (m_keys[i] == id) {
            m_counts[i] += by;
            return;
        }
        if (m_keys[i] == 0) {
            m_keys[i] = id;
            m_counts[i] = by;
            ++m_size;
            return;
        }
    }
}

std::uint32_t LexicalFeatureTable::find(std::uint64_t id) const
{
    if (id == 0)
        return m_zeroCount;
    const std::size_t mask = m_keys.size() - 1;
    for (std::size_t i = slotOf(id);; i = (i + 1) & mask) {
        if (m_keys[i] == id)
            return m_counts[i];
        if (m_keys[i] == 0)
            return 0;
    }
}

void LexicalFeatureTable::grow()
{
    std::vector<std::uint64_t> keys = std::move(m_keys);
    std::vector<std::uint32_t> counts = std::move(m_counts);
    const std::size_t capacity = keys.size() * 2;
    m_keys.assign(capacity, 0);
    m_counts.assign(capacity, 0);
    m_shift = 64 - std::countr_zero(capacity);
    const std::size_t mask = capacity - 1;
    for (std::size_t k = 0; k < keys.size(); ++k) {
        if (keys[k] == 0)
            continue;
        std::size_t i = slotOf(keys[k]);
        while (m_keys[i] != 0)
            i = (i + 1) & mask;
        m_keys[i] = keys[k];
        m_counts[i] = counts[k];
    }
}

std::vector<std::pair<std::uint64_t, std::uint32_t>> LexicalFeatureTable::sorted() const
{
    std::vector<std::pair<std::uint64_t, std::uint32_t>> out;
    out.reserve(m_size);
    if (m_hasZero)
        out.emplace_back(0, m_zeroCount);
    for (std::size_t i = 0; i < m_keys.size(); ++i) {
        if (m_keys[i] != 0)
            out.emplace_back(m_keys[i], m_counts[i]);
    }
    std::sort(out.begin(), out.end());
    return out;
}

void LexicalFeatureTable::merge(const LexicalFeatureTable &other)
{
    if (other.m_hasZero)
        add(0, other.m_zeroCount);
    for (std::size_t i = 0; i < other.m_keys.size(); ++i) {
        if (other.m_keys[i] != 0)
            add(other.m_keys[i], other.m_counts[i]);
    }
}

} // namespace rag
