#pragma once
// Graph routines over an hnswlib HierarchicalNSW<float> (vectors in the stored form
// the graph's space defines: float or half), used by HnswIndex in place
// of hnswlib's own searchKnn and addPoint for fresh labels. They keep hnswlib's
// algorithm, graph layout and locking protocol, and change how memory is touched:
//  - every cache line of the vectors of all of a hop's candidates is requested
//    at once, into L2 (hnswlib prefetches one line of ~25, one candidate ahead,
//    into L1), and the next expanded node's link list and lock;
//  - the vectors are read through an accessor, so queries can walk a compact
//    copy of them (HnswIndex's 8-bit rows) and re-rank the beam on the originals;
//  - searches take the point in the form their distance function wants (a float
//    query against half vectors) and reuse the calling thread's buffers;
//  - inserts may walk the compact copy too and re-measure their beam on the
//    stored vectors before linking, so links are chosen on exact distances;
//  - linking a new element (hnswlib's mutuallyConnectNewElement and its
//    heuristic, same links in the same order) requests a full neighbour's
//    vectors all at once instead of one miss per distance under its lock;
//  - a node's neighbour list is copied under its lock and the distances computed
//    after releasing it, so concurrent inserts hold locks for less time;
//  - queries touch no shared statistics counters;
//  - the random level of a new point is drawn under hnswlib's element-count mutex
//    (hnswlib 0.6 draws it from a shared generator without one).
// Templates over the graph type so that this header needs no hnswlib include: the
// adapter (hnswindex.cpp) is the only translation unit that includes hnswlib.
// The walks (descent, beam search, re-ranking) are here; inserts, which also
// link the new element, are in hnswinsert.h.
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <queue>
#include <stdexcept>
#include <utility>
#include <vector>

namespace rag::hnswgraph {

using Candidate = std::pair<float, unsigned>;
using MaxHeap = std::priority_queue<Candidate>;
using MinHeap = std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>>;

// Measured on the 384-d benchmark: prefetching every line beats prefetching the
// first line only (hnswlib's choice) or none, for inserts and for queries.
// Bytes to allocate for upper-layer links of `bytes`: hnswlib's searchBaseLayer
// (still used when a deleted label is re-added) reads one id past the end of a
// list to prefetch, and its own allocation has 1 spare byte for that 4-byte read.
inline std::size_t linkListAllocation(std::size_t bytes)
{
    return bytes + 2 * sizeof(unsigned);
}

// Requests every line of a vector into L2 (prefetcht1, see kPrefetchAhead).
// Always inlined: GCC treats an out-of-line function made of prefetches alone as
// free of side effects and deletes the calls to it, which silently removed every
// vector prefetch of the walks once they went through an accessor.
[[gnu::always_inline]] inline void prefetchVector(const char *data, std::size_t bytes)
{
    for (std::size_t at = 0; at < bytes; at += 64)
        __builtin_prefetch(data + at, 0, 2);
    __builtin_prefetch(data + bytes - 1, 0, 2);
}

// How many candidates ahead of the distance being computed their vectors are
// prefetched: in effect all of a hop's fresh neighbours (at most 2*M) at once,
// into L2. One computation (~10 ns) hides far less than a memory access (~100 ns,
// more under a hypervisor), so many vectors must be in flight at once; L1 tracks
// few outstanding misses, and the former window of 3 vectors (7-12 lines each)
// into L1 already filled it, so the walk still waited at nearly every distance.
// L2 keeps many more lines in flight, and a load that hits it costs ~14 cycles.
// On the 100k x 384 benchmark this took queries (minimum of 5 runs per query,
// p50 / p99) from 92 / 170 to 64 / 111 us on the 8-bit walk and from 128 / 262 to
// 82 / 164 us on the half walk, and the build's CPU time from ~29 to ~22 s.
constexpr std::size_t kPrefetchAhead = 64;

// Where a search starts and how it measures: the point in the form the distance
// function takes as its first argument (a float query against half vectors, or
// the stored form itself).
using DistanceFn = float (*)(const void *, const void *, const void *);

// How a search reads and measures the vectors of the graph's elements. The
// routines below take any accessor with this shape:
//   void prefetch(unsigned n) const;   // start loading element n's vector
//   float distance(unsigned n) const;  // the search's point against element n
// StoredVectors reads the vectors inside hnswlib's level-0 block (inserts, the
// re-rank, and queries on float or l2 graphs); HnswIndex's cosine queries walk
// an accessor over a separate 8-bit copy (Int8Distance, int8rows.h).
template <typename Graph>
class StoredVectors {
public:
    StoredVectors(const Graph &h, const void *point, DistanceFn measure)
        : m_h(h), m_point(point), m_distance(measure)
    {
    }
    [[gnu::always_inline]] void prefetch(unsigned n) const
    {
        prefetchVector(m_h.getDataByInternalId(n), m_h.data_size_);
    }
    float distance(unsigned n) const
    {
        return m_distance(m_point, m_h.getDataByInternalId(n), m_h.dist_func_param_);
    }

private:
    const Graph &m_h;
    const void *m_point;
    DistanceFn m_distance;
};

// Reusable buffers of one searching thread: a search allocates nothing once they
// have grown to the beam width.
struct Scratch {
    std::vector<unsigned> fresh;
    std::vector<unsigned> neighbours;
    std::vector<std::pair<float, unsigned>> candidates;
    std::vector<std::pair<float, unsigned>> remeasured;
    std::vector<std::pair<float, unsigned>> closest;
    std::vector<std::pair<float, unsigned>> kept;
    std::vector<unsigned> selected;
};

// The unvisited neighbours of `node` on `layer`, marked visited. With a mutex, the
// list is read under the node's lock (inserts may be rewriting it).
template <typename Graph, typename Mark>
void collectFresh(const Graph &h, unsigned node, int layer, Mark *mark, Mark tag, std::vector<unsigned> &fresh,
                  std::mutex *lock)
{
    fresh.clear();
    std::unique_lock<std::mutex> guard;
    if (lock)
        guard = std::unique_lock<std::mutex>(*lock);
    auto *list = layer == 0 ? h.get_linklist0(node) : h.get_linklist(node, layer);
    const int count = h.getListCount(list);
    const auto *neighbours = reinterpret_cast<const unsigned *>(list + 1);
    for (int i = 0; i < count; ++i) {
        const unsigned n = neighbours[i];
        if (mark[n] != tag) {
            mark[n] = tag;
            fresh.push_back(n);
        }
    }
}

// Beam search on one layer from `entry`, keeping the `ef` closest non-deleted
// nodes: hnswlib's searchBaseLayer (locked = true, during inserts) and
// searchBaseLayerST (locked = false, queries on a graph nobody writes).
// `top` (a max-heap on distance, empty on entry) receives the result.
template <typename Graph, typename Vectors, typename Heap>
void searchLayer(const Graph &h, const Vectors &vectors, unsigned entry, int layer, std::size_t ef, bool locked,
                 Scratch &scratch, Heap &top)
{
    const bool deletions = h.num_deleted_ > 0;
    auto *visited = h.visited_list_pool_->getFreeVisitedList();
    auto *mark = visited->mass;
    const auto tag = visited->curV;
    std::vector<unsigned> &fresh = scratch.fresh;
    // The candidate min-heap, kept in the scratch buffer (std::greater: root = closest).
    auto &candidates = scratch.candidates;
    candidates.clear();
    const auto pushCandidate = [&candidates](float d, unsigned n) {
        candidates.emplace_back(d, n);
        std::push_heap(candidates.begin(), candidates.end(), std::greater<>());
    };

    float bound = std::numeric_limits<float>::max();
    if (!deletions || !h.isMarkedDeleted(entry)) {
        const float d = vectors.distance(entry);
        top.emplace(d, entry);
        bound = d;
        pushCandidate(d, entry);
    } else {
        pushCandidate(bound, entry);
    }
    mark[entry] = tag;

    while (!candidates.empty()) {
        const Candidate current = candidates.front();
        if (current.first > bound && (top.size() == ef || !deletions))
            break;
        std::pop_heap(candidates.begin(), candidates.end(), std::greater<>());
        candidates.pop_back();
        auto &locks = const_cast<Graph &>(h).link_list_locks_;
        collectFresh(h, current.second, layer, mark, tag, fresh, locked ? &locks[current.second] : nullptr);
        const std::size_t count = fresh.size();
        for (std::size_t i = 0; i < std::min(count, kPrefetchAhead); ++i)
            vectors.prefetch(fresh[i]);
        for (std::size_t i = 0; i < count; ++i) {
            if (i + kPrefetchAhead < count)
                vectors.prefetch(fresh[i + kPrefetchAhead]);
            const unsigned n = fresh[i];
            const float d = vectors.distance(n);
            if (top.size() < ef || d < bound) {
                pushCandidate(d, n);
                if (!deletions || !h.isMarkedDeleted(n))
                    top.emplace(d, n);
                if (top.size() > ef)
                    top.pop();
                if (!top.empty())
                    bound = top.top().first;
            }
        }
        // The next node expanded is most likely the closest candidate: fetch its
        // link list (3 lines at M = 16) and, during inserts, its lock (a random
        // line of a 4 MB array, ~8 % of build time when it misses) while the loop
        // bookkeeping runs.
        if (!candidates.empty() && layer == 0) {
            const unsigned next = candidates.front().second;
            const char *links = reinterpret_cast<const char *>(h.get_linklist0(next));
            __builtin_prefetch(links, 0, 3);
            __builtin_prefetch(links + 64, 0, 3);
            __builtin_prefetch(links + h.size_links_level0_ - 1, 0, 3);
            if (locked)
                __builtin_prefetch(&h.link_list_locks_[next], 1, 3);
        }
    }
    h.visited_list_pool_->releaseVisitedList(visited);
}

// Greedy descent from `node` through layers top..stop+1 toward `point`.
template <typename Graph, typename Vectors>
unsigned descend(const Graph &h, const Vectors &vectors, unsigned node, int top, int stop, bool locked,
                 std::vector<unsigned> &neighbours)
{
    float best = vectors.distance(node);
    for (int level = top; level > stop; --level) {
        for (bool changed = true; changed;) {
            changed = false;
            {
                std::unique_lock<std::mutex> guard;
                if (locked)
                    guard = std::unique_lock<std::mutex>(const_cast<Graph &>(h).link_list_locks_[node]);
                auto *list = h.get_linklist(node, level);
                const int count = h.getListCount(list);
                const auto *ids = reinterpret_cast<const unsigned *>(list + 1);
                neighbours.assign(ids, ids + count);
            }
            for (unsigned n : neighbours)
                vectors.prefetch(std::min<unsigned>(n, unsigned(h.max_elements_ - 1)));
            for (unsigned n : neighbours) {
                if (n >= h.max_elements_)
                    throw std::runtime_error("HNSW link to a missing element");
                const float d = vectors.distance(n);
                if (d < best) {
                    best = d;
                    node = n;
                    changed = true;
                }
            }
        }
    }
    return node;
}

// The k nearest neighbours of the query `vectors` measures from: greedy descent,
// then a beam of max(ef, k) on layer 0, into `top` (empty on entry). Safe to run
// concurrently on a graph nobody writes, each thread with its scratch.
template <typename Graph, typename Vectors>
void searchKnn(const Graph &h, const Vectors &vectors, std::size_t k, std::size_t ef, Scratch &scratch, MaxHeap &top)
{
    if (h.cur_element_count == 0)
        return;
    const unsigned entry = descend(h, vectors, h.enterpoint_node_, h.maxlevel_, 0, false, scratch.neighbours);
    searchLayer(h, vectors, entry, 0, std::max(ef, k), false, scratch, top);
    while (top.size() > k)
        top.pop();
}

// How many beam members ahead of the one being re-measured their vectors are
// prefetched. All addresses are known up front, so unlike the graph walk the
// window is bounded only by how many misses the core keeps in flight.
constexpr std::size_t kRerankAhead = 4;

// Re-measures the beam `top` (emptied) with `exact` and leaves in `best` the k
// closest by that measure, closest first, ties by element id: a search that
// walked the graph on approximate distances returns exact ones.
template <typename Vectors>
void rerank(MaxHeap &top, const Vectors &exact, std::size_t k, std::vector<Candidate> &best)
{
    best.clear();
    for (; !top.empty(); top.pop())
        best.emplace_back(0.0f, top.top().second);
    const std::size_t count = best.size();
    for (std::size_t i = 0; i < std::min(count, kRerankAhead); ++i)
        exact.prefetch(best[i].second);
    for (std::size_t i = 0; i < count; ++i) {
        if (i + kRerankAhead < count)
            exact.prefetch(best[i + kRerankAhead].second);
        best[i].first = exact.distance(best[i].second);
    }
    k = std::min(k, count);
    std::partial_sort(best.begin(), best.begin() + std::ptrdiff_t(k), best.end());
    best.resize(k);
}

// Replaces the distances in `top` (a max-heap queue, refilled) by `exact`'s, with
// every candidate's vector requested up front: an insert whose beam walked
// approximate distances hands the neighbour heuristic and the stored links the
// same exact distances a walk on the stored vectors would have found.
template <typename Queue, typename Vectors>
void remeasure(Queue &top, const Vectors &exact, std::vector<Candidate> &buffer)
{
    buffer.clear();
    for (; !top.empty(); top.pop())
        buffer.emplace_back(0.0f, top.top().second);
    for (const Candidate &c : buffer)
        exact.prefetch(c.second);
    for (Candidate &c : buffer) {
        c.first = exact.distance(c.second);
        top.push(c);
    }
}

} // namespace rag::hnswgraph
