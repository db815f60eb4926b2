#pragma once
// MetricSpec: one retrieval measure and its cutoff, parsed from the names the
// CLI and reports use ("ndcg@10", "recall@100", "p@10", "mrr", "map",
// "hit@10"). A plain value, safe to copy between threads.
//
// Each kind follows the trec_eval measure named beside it; the cutoff form
// follows the matching *_cut measure:
//   ndcg[@k]   ndcg / ndcg_cut.k       recall[@k]  recall.k (no k: whole list)
//   p@k        P.k                     hit@k       success.k
//   mrr[@k]    recip_rank (@k: only ranks <= k count)
//   map[@k]    map / map_cut.k
#include "core/common/result.h"

#include <string>
#include <string_view>

namespace rag {

struct MetricSpec {
    enum class Kind { Ndcg, Recall, Precision, Mrr, Map, Hit };

    Kind kind = Kind::Ndcg;
    int cutoff = 0;  // 0 = the whole ranking (allowed for ndcg, recall, mrr, map)

    // Case-insensitive; accepts the aliases "precision", "success",
    // "recip_rank" and "ndcg_cut.k"-style trec_eval names. Errors are
    // InvalidArgument naming the metric.
    static Result<MetricSpec> parse(std::string_view name);

    // Canonical name: "ndcg@10", "recall@100", "p@10", "mrr", "map", "hit@10".
    std::string name() const;

    bool operator==(const MetricSpec &) const = default;
};

} // namespace rag
