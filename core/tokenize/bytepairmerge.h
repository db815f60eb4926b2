#pragma once
// Byte-pair merging of one pre-tokenized piece, with the tie-breaking of tiktoken
// and gpt-tokenizer: repeatedly merge the adjacent pair of lowest rank, the
// leftmost one when ranks tie. Short pieces use the linear scan (fastest for the
// few bytes of a typical word); long ones (CJK runs, base64, long digit or space
// runs) a heap over a linked list, so the cost stays O(n log n) instead of O(n^2).
// Ranks are looked up as gpt-tokenizer looks them up (see referenceRank()).
// Stateless functions: any thread.
#include <cstdint>
#include <string_view>
#include <vector>

namespace rag {

class BpeRankTable;

// The rank gpt-tokenizer 4.0.0 finds for a byte string. It differs from ranks.rank() in
// one respect: a well-formed key that starts with U+FEFF goes through a TextDecoder
// that strips that BOM before the lookup, so tokens that begin with U+FEFF are never
// found, and a BOM-led key finds the rank of the rest (in o200k_base the pair
// "\xEF\xBB" + "\xBF名" therefore merges to the id of "名"). Reproduced on purpose:
// the ids must be the reference's.
std::uint32_t referenceRank(const BpeRankTable &ranks, std::string_view bytes);

// Appends the ranks of `piece` (non-empty) to `out`.
void bytePairMerge(const BpeRankTable &ranks, std::string_view piece, std::vector<std::uint32_t> &out);

// The same merge through the given strategy, for tests that pin the two together.
enum class MergeStrategy { Linear, Heap };
void bytePairMerge(const BpeRankTable &ranks, std::string_view piece, std::vector<std::uint32_t> &out,
                   MergeStrategy strategy);

} // namespace rag
