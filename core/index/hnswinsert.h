#pragma once
// Inserts into the graph (see hnswgraph.h for what these routines keep from
// hnswlib and what they change): hnswlib's addPoint for fresh labels, its
// neighbour heuristic and its mutuallyConnectNewElement, with the same links in
// the same order (tst_hnswreference compares the graphs byte for byte). Split
// from the walks, which inserts and queries share, so each header holds one
// concern. Templates over the graph type, like hnswgraph.h.
#include "core/index/hnswgraph.h"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <queue>
#include <stdexcept>
#include <vector>

namespace rag::hnswgraph {

// hnswlib's getNeighborsByHeuristic2, same selection in the same order: walks
// the candidates closest first (ties: larger id first, as hnswlib's heap of
// (-distance, id) pops them) and keeps one unless a kept one is closer to it than
// the point is; leaves the kept ones in `top`, pushed in hnswlib's order.
template <typename Graph, typename Queue>
void selectNeighbours(const Graph &h, Queue &top, std::size_t m, Scratch &scratch)
{
    if (top.size() < m)
        return;
    auto &closest = scratch.closest;
    auto &kept = scratch.kept;
    closest.clear();
    kept.clear();
    for (; !top.empty(); top.pop())
        closest.emplace_back(-top.top().first, top.top().second);
    std::sort(closest.begin(), closest.end(), std::greater<>());
    for (const Candidate &c : closest) {
        if (kept.size() >= m)
            break;
        const float toPoint = -c.first;
        bool good = true;
        for (const Candidate &k : kept) {
            if (h.fstdistfunc_(h.getDataByInternalId(k.second), h.getDataByInternalId(c.second), h.dist_func_param_)
                < toPoint) {
                good = false;
                break;
            }
        }
        if (good)
            kept.push_back(c);
    }
    for (const Candidate &k : kept)
        top.emplace(-k.first, k.second);
}

// A full neighbour list of `other` (`ids`, `count` long, written under its lock
// by the caller) given `cur` as one more candidate: rewritten by hnswlib's
// heuristic, with every candidate's vector requested before any is measured.
// Returns the new length.
template <typename Queue, typename Graph>
std::size_t repruneFull(const Graph &h, unsigned other, unsigned *ids, std::size_t count, unsigned cur,
                        std::size_t maxLinks, Scratch &scratch)
{
    for (std::size_t j = 0; j < count; ++j)
        prefetchVector(h.getDataByInternalId(ids[j]), h.data_size_);
    const char *otherData = h.getDataByInternalId(other);
    Queue candidates;
    candidates.emplace(h.fstdistfunc_(h.getDataByInternalId(cur), otherData, h.dist_func_param_), cur);
    for (std::size_t j = 0; j < count; ++j)
        candidates.emplace(h.fstdistfunc_(h.getDataByInternalId(ids[j]), otherData, h.dist_func_param_), ids[j]);
    selectNeighbours(h, candidates, maxLinks, scratch);
    std::size_t at = 0;
    for (; !candidates.empty(); candidates.pop())
        ids[at++] = candidates.top().second;
    return at;
}

// hnswlib's mutuallyConnectNewElement (fresh element), same links in the same
// order: the new element's list from the heuristic, then each selected neighbour
// gets the new element appended, or, when its list is full, re-pruned by the
// heuristic. Differs in memory access only: a full neighbour's vectors are all
// requested before its distances are computed (hnswlib measures them one miss
// at a time while holding the neighbour's lock), and the next neighbour's link
// list and lock are requested while this one is processed. Returns the entry
// point for the next layer down.
template <typename Graph, typename Queue>
unsigned connectNewElement(Graph &h, unsigned cur, Queue &top, int layer, Scratch &scratch)
{
    const std::size_t maxLinks = layer ? h.maxM_ : h.maxM0_;
    selectNeighbours(h, top, h.M_, scratch);
    if (top.size() > h.M_)
        throw std::runtime_error("Should be not be more than M_ candidates returned by the heuristic");
    auto &selected = scratch.selected;
    selected.clear();
    for (; !top.empty(); top.pop())
        selected.push_back(top.top().second);
    if (selected.empty())
        throw std::runtime_error("HNSW insert found no neighbour");
    const unsigned next = selected.back();
    const auto listOf = [&h, layer](unsigned n) {
        return layer == 0 ? h.get_linklist0(n) : h.get_linklist(n, layer);
    };
    {
        auto *own = listOf(cur);
        if (*own)
            throw std::runtime_error("The newly inserted element should have blank link list");
        h.setListCount(own, static_cast<unsigned short>(selected.size()));
        auto *ids = reinterpret_cast<unsigned *>(own + 1);
        for (std::size_t i = 0; i < selected.size(); ++i) {
            if (layer > h.element_levels_[selected[i]])
                throw std::runtime_error("Trying to make a link on a non-existent level");
            ids[i] = selected[i];
        }
    }
    for (std::size_t i = 0; i < selected.size(); ++i) {
        const unsigned other = selected[i];
        if (i + 1 < selected.size()) {
            const char *links = reinterpret_cast<const char *>(listOf(selected[i + 1]));
            __builtin_prefetch(links, 1, 3);
            __builtin_prefetch(links + 64, 1, 3);
            __builtin_prefetch(&h.link_list_locks_[selected[i + 1]], 1, 3);
        }
        std::unique_lock<std::mutex> lock(h.link_list_locks_[other]);
        auto *list = listOf(other);
        const std::size_t count = h.getListCount(list);
        if (count > maxLinks)
            throw std::runtime_error("Bad value of sz_link_list_other");
        if (other == cur)
            throw std::runtime_error("Trying to connect an element to itself");
        if (layer > h.element_levels_[other])
            throw std::runtime_error("Trying to make a link on a non-existent level");
        auto *ids = reinterpret_cast<unsigned *>(list + 1);
        if (count < maxLinks) {
            ids[count] = cur;
            h.setListCount(list, static_cast<unsigned short>(count + 1));
            continue;
        }
        const std::size_t kept = repruneFull<Queue>(h, other, ids, count, cur, maxLinks, scratch);
        h.setListCount(list, static_cast<unsigned short>(kept));
    }
    return next;
}

// Inserts a point whose label is not in the graph (hnswlib's addPoint, fresh-label
// branch). `point` is the stored form; `exact` measures the point (possibly in
// float) against stored vectors. The descent and the ef_construction beams walk
// `walk`; when `approximate` (walk measures a compact copy, like Int8Distance) the
// beam is re-measured with `exact` before hnswlib's neighbour heuristic, so the
// links are chosen and stored on exact distances either way. `publish(cur)` runs
// once the element's id is known and before any link to it exists: it writes what
// `walk` reads for element cur (its 8-bit row). Other threads reach cur only
// through a link list they read under that list's lock, which this thread takes
// to add cur after publish, or as the entry point, set under the global lock;
// either way the row's writes happen before their reads. Thread-safe against
// other insertFresh calls, like addPoint.
template <typename Graph, typename Exact, typename Walk, typename Publish>
void insertFresh(Graph &h, const void *point, std::size_t label, const Exact &exact, const Walk &walk,
                 bool approximate, Publish &&publish, Scratch &scratch)
{
    unsigned cur = 0;
    int level = 0;
    {
        std::unique_lock<std::mutex> guard(h.cur_element_count_guard_);
        if (h.cur_element_count >= h.max_elements_)
            throw std::runtime_error("The number of elements exceeds the specified limit");
        cur = unsigned(h.cur_element_count);
        h.cur_element_count++;
        h.label_lookup_[label] = cur;
        level = h.getRandomLevel(h.mult_);
    }
    std::unique_lock<std::mutex> updateLock(h.link_list_update_locks_[cur & (Graph::max_update_element_locks - 1)]);
    std::unique_lock<std::mutex> elementLock(h.link_list_locks_[cur]);
    h.element_levels_[cur] = level;
    std::unique_lock<std::mutex> globalLock(h.global);
    const int maxLevel = h.maxlevel_;
    if (level <= maxLevel)
        globalLock.unlock();
    const unsigned entry = h.enterpoint_node_;

    std::memset(h.data_level0_memory_ + std::size_t(cur) * h.size_data_per_element_ + h.offsetLevel0_, 0,
                h.size_data_per_element_);
    std::memcpy(h.getExternalLabeLp(cur), &label, sizeof label);
    std::memcpy(h.getDataByInternalId(cur), point, h.data_size_);
    publish(cur);
    if (level > 0) {
        const std::size_t bytes = linkListAllocation(h.size_links_per_element_ * std::size_t(level));
        h.linkLists_[cur] = static_cast<char *>(std::malloc(bytes));
        if (!h.linkLists_[cur])
            throw std::runtime_error("Not enough memory: addPoint failed to allocate linklist");
        std::memset(h.linkLists_[cur], 0, bytes);
    }

    if (static_cast<int>(entry) != -1) {
        unsigned node = level < maxLevel ? descend(h, walk, entry, maxLevel, level, true, scratch.neighbours) : entry;
        const bool entryDeleted = h.isMarkedDeleted(entry);
        using Queue = std::priority_queue<Candidate, std::vector<Candidate>, typename Graph::CompareByFirst>;
        for (int layer = std::min(level, maxLevel); layer >= 0; --layer) {
            std::vector<Candidate> storage;
            storage.reserve(h.ef_construction_ + 1);
            Queue top(typename Graph::CompareByFirst(), std::move(storage));
            searchLayer(h, walk, node, layer, h.ef_construction_, true, scratch, top);
            if (entryDeleted) {
                top.emplace(walk.distance(entry), entry);
                if (top.size() > h.ef_construction_)
                    top.pop();
            }
            if (approximate)
                remeasure(top, exact, scratch.remeasured);
            node = connectNewElement(h, cur, top, layer, scratch);
        }
    } else {
        h.enterpoint_node_ = 0;
        h.maxlevel_ = level;
    }
    if (level > maxLevel) {
        h.enterpoint_node_ = cur;
        h.maxlevel_ = level;
    }
}

// The same insert walking the stored vectors themselves (float and l2 graphs, and
// half graphs without 8-bit rows): hnswlib's addPoint step for step.
template <typename Graph>
void insertFresh(Graph &h, const void *point, std::size_t label, const void *probe, DistanceFn distance,
                 Scratch &scratch)
{
    const StoredVectors<Graph> vectors(h, probe, distance);
    insertFresh(h, point, label, vectors, vectors, false, [](unsigned) {}, scratch);
}

} // namespace rag::hnswgraph
