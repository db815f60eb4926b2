#pragma once
// Includes hnswlib for the HNSW adapter (hnswindex.cpp, its only includer).
//
// hnswlib 0.6 is header-only but defines non-inline functions and variables in its
// headers (cpuid, xgetbv, AVXCapable, the SIMD function-pointer globals). Any other
// translation unit of the same program that includes hnswlib (a benchmark comparing
// against raw hnswlib, a future plugin) would collide with ours at link time, so the
// adapter's copy is renamed: its namespace becomes rag_hnswlib and the four global
// functions get a rag_hnswlib_ prefix. System headers hnswlib pulls in are included
// first so that the renaming macros cannot reach into them.
#include <atomic>
#include <cassert>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <list>
#include <mutex>
#include <queue>
#include <random>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <vector>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#include <x86intrin.h>
#endif

#define hnswlib rag_hnswlib
#define cpuid rag_hnswlib_cpuid
#define xgetbv rag_hnswlib_xgetbv
#define AVXCapable rag_hnswlib_AVXCapable
#define AVX512Capable rag_hnswlib_AVX512Capable
#include <hnswlib/hnswlib.h>
#undef AVX512Capable
#undef AVXCapable
#undef xgetbv
#undef cpuid
