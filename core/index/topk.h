#pragma once
// TopK: keeps the k largest (score, id) pairs seen so far in a min-heap whose root is
// the admission threshold, so scanning n scores costs n comparisons plus O(log k)
// per admitted candidate. Ties on score prefer the smaller id, which makes exact
// search results deterministic. One per query; not thread-safe.
#include "core/index/vectorkernels.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace rag {

class TopK {
public:
    explicit TopK(std::size_t k) : m_k(k) { m_heap.reserve(k); }

    // The score a candidate must beat to enter (lowest kept score once full).
    float threshold() const
    {
        return m_heap.size() < m_k ? -std::numeric_limits<float>::infinity() : m_heap.front().score;
    }

    void push(float score, std::int64_t id)
    {
        if (m_k == 0)
            return;
        if (m_heap.size() < m_k) {
            m_heap.push_back({score, id});
            std::push_heap(m_heap.begin(), m_heap.end(), better);
        } else if (better({score, id}, m_heap.front())) {
            std::pop_heap(m_heap.begin(), m_heap.end(), better);
            m_heap.back() = {score, id};
            std::push_heap(m_heap.begin(), m_heap.end(), better);
        }
    }

    // Scans a row of scores whose ids are firstId, firstId + 1, ...; ids must grow
    // from one call to the next, so a score equal to the threshold never wins a tie.
    void scan(const float *scores, std::size_t n, std::int64_t firstId)
    {
        for (std::size_t j = kernels::firstAbove(scores, n, threshold()); j < n;
             j += 1 + kernels::firstAbove(scores + j + 1, n - j - 1, threshold())) {
            push(scores[j], firstId + std::int64_t(j));
        }
    }

    struct Entry {
        float score;
        std::int64_t id;
    };
    // The kept entries, best first; empties the heap.
    std::vector<Entry> take()
    {
        std::sort(m_heap.begin(), m_heap.end(), better);
        return std::move(m_heap);
    }

private:
    // Used as the heap's less-than, so the root is the worst entry kept.
    static bool better(const Entry &a, const Entry &b)
    {
        return a.score > b.score || (a.score == b.score && a.id < b.id);
    }

    std::size_t m_k;
    std::vector<Entry> m_heap;
};

} // namespace rag
