#pragma once
// LexicalFeatureTable: an open-addressing map from feature id to document frequency.
// The lexical embedder looks up every feature of every text here, millions of times
// per corpus, so it is a flat array probed linearly rather than a node-based map.
// Not thread-safe for writes; concurrent find() on a table nobody writes is safe.
#include <cstdint>
#include <utility>
#include <vector>

namespace rag {

class LexicalFeatureTable {
public:
    explicit LexicalFeatureTable(std::size_t expected = 0);

    // Adds `by` to the count of `id` (inserting it at 0 first).
    void add(std::uint64_t id, std::uint32_t by = 1);
    // The count of `id`, 0 when absent.
    std::uint32_t find(std::uint64_t id) const;

    std::size_t size() const { return m_size; }
    // All (id, count) pairs sorted by id: the canonical order for serialisation.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> sorted() const;
    // Adds every count of `other` into this table.
    void merge(const LexicalFeatureTable &other);

private:
    std::size_t slotOf(std::uint64_t id) const;
    void grow();

    // Id 0 marks an empty slot; a real id 0 (one in 2^62) is kept aside.
    std::vector<std::uint64_t> m_keys;
    std::vector<std::uint32_t> m_counts;
    std::uint32_t m_zeroCount = 0;
    bool m_hasZero = false;
    std::size_t m_size = 0;
    int m_shift = 64;
};

} // namespace rag
