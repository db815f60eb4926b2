#pragma once
// The raw-hnswlib baselines of bench_hnsw, in their own translation unit so that
// it alone is compiled with -mavx2 -mfma -mavx512f: hnswlib 0.6 (header-only)
// picks its SIMD distance by those compile-time macros, and the comparison must be
// against hnswlib at its best on this CPU, not its scalar fallback. The benchmark
// calls cpuRunsBaseline() before any of this runs and refuses a CPU without those
// instructions. Single-owner objects; RawHnsw::add is thread-safe like addPoint.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rawbaseline {

// True when this CPU has every instruction set the baseline was compiled for.
bool cpuRunsBaseline();
// The SIMD distance hnswlib selected ("avx512", "avx", "sse" or "scalar").
const char *simdLevel();

// hnswlib's HierarchicalNSW over InnerProductSpace (1 - dot on unit vectors).
class RawHnsw {
public:
    RawHnsw(int dim, std::size_t capacity, int M, int efConstruction, std::size_t seed);
    RawHnsw(int dim, const std::string &path); // loads a saved graph
    ~RawHnsw();
    void add(const float *row, std::size_t label);
    void save(const std::string &path);
    void setEf(int ef);
    // `hops`, when given, receives the number of nodes whose links the search
    // expanded (hnswlib's own metric; call from one thread at a time).
    std::vector<std::int64_t> search(const float *query, int k, long *hops = nullptr) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

// hnswlib's BruteforceSearch (exact, one query at a time).
class RawBrute {
public:
    RawBrute(int dim, std::size_t capacity);
    ~RawBrute();
    void add(const float *row, std::size_t label);
    std::vector<std::int64_t> search(const float *query, int k) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

} // namespace rawbaseline
