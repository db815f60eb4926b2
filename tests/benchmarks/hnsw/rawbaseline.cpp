#include "rawbaseline.h"

#if defined(__SANITIZE_ADDRESS__)
// hnswlib 0.6's SSE prefetch reads one id past upper-layer link lists, which ASan
// stops on; sanitizer builds measure nothing anyway, so they drop it.
#define NO_MANUAL_VECTORIZATION
#endif
#include <hnswlib/hnswlib.h>

namespace rawbaseline {

bool cpuRunsBaseline()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx512f");
}

const char *simdLevel()
{
#if defined(NO_MANUAL_VECTORIZATION)
    return "scalar";
#elif defined(USE_AVX512)
    return AVX512Capable() ? "avx512" : "avx";
#elif defined(USE_AVX)
    return "avx";
#elif defined(USE_SSE)
    return "sse";
#else
    return "scalar";
#endif
}

struct RawHnsw::Impl {
    Impl(int dim, std::size_t capacity, int M, int efConstruction, std::size_t seed)
        : space(std::size_t(dim)), hnsw(&space, capacity, std::size_t(M), std::size_t(efConstruction), seed)
    {
    }
    Impl(int dim, const std::string &path) : space(std::size_t(dim)), hnsw(&space, path)
    {
        hnsw.num_deleted_ = 0; // hnswlib 0.6's loading constructor leaves it uninitialised
    }
    hnswlib::InnerProductSpace space;
    hnswlib::HierarchicalNSW<float> hnsw;
};

RawHnsw::RawHnsw(int dim, std::size_t capacity, int M, int efConstruction, std::size_t seed)
    : m(std::make_unique<Impl>(dim, capacity, M, efConstruction, seed))
{
}

RawHnsw::RawHnsw(int dim, const std::string &path) : m(std::make_unique<Impl>(dim, path)) {}

RawHnsw::~RawHnsw() = default;

void RawHnsw::add(const float *row, std::size_t label)
{
    m->hnsw.addPoint(row, label);
}

void RawHnsw::save(const std::string &path)
{
    m->hnsw.saveIndex(path);
}

void RawHnsw::setEf(int ef)
{
    m->hnsw.setEf(std::size_t(ef));
}

std::vector<std::int64_t> RawHnsw::search(const float *query, int k, long *hops) const
{
    const long before = m->hnsw.metric_hops.load();
    auto top = m->hnsw.searchKnn(query, std::size_t(k));
    if (hops)
        *hops = m->hnsw.metric_hops.load() - before;
    std::vector<std::int64_t> labels;
    for (; !top.empty(); top.pop())
        labels.push_back(std::int64_t(top.top().second));
    return labels;
}

struct RawBrute::Impl {
    Impl(int dim, std::size_t capacity) : space(std::size_t(dim)), brute(&space, capacity) {}
    hnswlib::InnerProductSpace space;
    hnswlib::BruteforceSearch<float> brute;
};

RawBrute::RawBrute(int dim, std::size_t capacity) : m(std::make_unique<Impl>(dim, capacity)) {}

RawBrute::~RawBrute() = default;

void RawBrute::add(const float *row, std::size_t label)
{
    m->brute.addPoint(row, label);
}

std::vector<std::int64_t> RawBrute::search(const float *query, int k) const
{
    auto top = m->brute.searchKnn(query, std::size_t(k));
    std::vector<std::int64_t> labels;
    for (; !top.empty(); top.pop())
        labels.push_back(std::int64_t(top.top().second));
    return labels;
}

} // namespace rawbaseline
