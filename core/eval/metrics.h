#pragma once
// Retrieval metrics with trec_eval's definitions (usnistgov/trec_eval 9.x:
// m_ndcg_cut.c, m_recall.c, m_P.c, m_recip_rank.c, m_map.c, m_success.c),
// evaluated on rankings in the order given (rank = position + 1; the TREC
// writer guarantees trec_eval sees the same order). Pure functions, safe on
// any thread; no state.
//
// Per query, with rel(d) the judged relevance (0 when unjudged) and
// R = number of judged docs with rel >= 1:
//   ndcg@k   DCG = sum_{r<=k} max(rel,0) / log2(r+1); ideal DCG from all
//            judged docs sorted by relevance, cut at k; 0 when ideal is 0
//   recall@k relevant retrieved in the top k / R
//   p@k      relevant retrieved in the top k / k (k even when fewer retrieved)
//   mrr      1 / rank of the first relevant doc, 0 if none (within k for mrr@k)
//   map      sum over relevant retrieved of precision at its rank, / R
//   hit@k    1 if any relevant doc is in the top k
// Duplicated doc ids in a ranking count once, at their first rank (see
// withoutDuplicates); later repeats are removed and the ranks close up.
//
// Which queries are averaged: every query in the qrels that has at least one
// relevant judgement. A query absent from the run (or with an empty ranking)
// is scored 0 on every metric, as `trec_eval -c` does. Run queries without
// qrels are ignored, as trec_eval does. Queries whose judgements are all
// below 1 are excluded by default: no measure is defined for them. (trec_eval
// before 8.1 ignored them too; 9.x scores them 0 — set
// includeQueriesWithoutRelevant to reproduce 9.x means exactly.)
#include "core/eval/evalset.h"
#include "core/eval/metricspec.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

struct EvalOptions {
    bool includeQueriesWithoutRelevant = false;
};

struct PerQueryMetrics {
    std::vector<MetricSpec> metrics;
    // query id -> one value per metric, in `metrics` order.
    std::map<std::string, std::vector<double>> perQuery;
    // Arithmetic means over perQuery, in `metrics` order; 0 when no query was evaluated.
    std::vector<double> means;
    std::vector<std::string> withoutResults;  // evaluated, but no ranking: scored 0
    std::vector<std::string> withoutRelevant; // judged, none relevant: excluded unless included by option
    std::vector<std::string> notInQrels;      // in the run only: ignored

    std::size_t evaluatedQueries() const { return perQuery.size(); }
    // Index of a metric by canonical name, or nullopt.
    std::optional<std::size_t> indexOf(std::string_view metricName) const;
    std::optional<double> mean(std::string_view metricName) const;
    std::optional<double> value(const std::string &queryId, std::string_view metricName) const;
};

// Values of `metrics` for one query's ranking against its judgements.
std::vector<double> evaluateQuery(const std::map<std::string, int> &judgements, const Ranking &ranking,
                                  const std::vector<MetricSpec> &metrics);

PerQueryMetrics evaluate(const Qrels &qrels, const Run &run, const std::vector<MetricSpec> &metrics,
                         const EvalOptions &options = {});

} // namespace rag
