#pragma once
// EvalReport: the record of one evaluation run — metric means, per-query
// values, each query's top ranking, counts, timings, the pipeline config and
// the eval-set identity — and its JSON form, which is the CLI contract
// (`ragwb eval --json OUT.json`, read back by `ragwb compare`). A plain value:
// built on a job thread, handed to the GUI or written to disk; not shared.
//
// JSON shape (keys in this order; "metrics" and each per-query object list
// metrics in evaluation order):
//   {"metrics": {"ndcg@10": 0.66, ...}, "queries": 300,
//    "per_query": {"<qid>": {"ndcg@10": ..., ...}},
//    "eval_set": {"name": ..., "hash": ..., "split": ...},
//    "config": {...}, "engine_version": "0.1.0", "timings_ms": {"retrieve": ...},
//    "counts": {"evaluated": 300, "without_results": 0, "without_relevant": 0, "not_in_qrels": 0},
//    "rankings": {"<qid>": [{"doc": "<doc id>", "score": 12.5}, ...]},
//    "retrieved": {"<qid>": [{"chunk": 17, "doc": "<doc id>", "rank": 1, "score": 0.03,
//                 "keyword_rank": 1, "keyword_score": 12.5, "dense_rank": null, "dense_score": null}, ...]}}
// "counts", "rankings" and "retrieved" extend the contract; fromJson treats
// them, "config" and "timings_ms" as optional.
#include "core/common/result.h"
#include "core/eval/evalset.h"
#include "core/eval/metrics.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

struct EvalSetInfo {
    std::string name;
    std::string hash;
    std::string split;

    bool operator==(const EvalSetInfo &) const = default;
};

struct EvalCounts {
    std::size_t evaluated = 0;
    std::size_t withoutResults = 0;   // evaluated, scored 0: nothing retrieved
    std::size_t withoutRelevant = 0;  // judged queries with no relevant doc (see metrics.h)
    std::size_t notInQrels = 0;       // run queries that have no judgements: ignored

    bool operator==(const EvalCounts &) const = default;
};

// One retrieved chunk of a query, with its place in the fused ranking and in
// each leg (absent when that leg did not retrieve it): what the drill-down shows.
struct RetrievedChunk {
    std::int64_t chunkId = 0;
    std::string docId;
    int rank = 0;
    double score = 0.0;
    std::optional<int> keywordRank;
    std::optional<double> keywordScore;
    std::optional<int> denseRank;
    std::optional<double> denseScore;

    bool operator==(const RetrievedChunk &) const = default;
};

struct EvalReport {
    std::vector<std::string> metricNames;  // evaluation order, canonical names
    std::map<std::string, double> metrics; // name -> mean over evaluated queries
    std::size_t queries = 0;               // evaluated queries (= perQuery.size())
    std::map<std::string, std::map<std::string, double>> perQuery;  // qid -> name -> value
    Run rankings;                          // per-query top documents as retrieved
    std::map<std::string, std::vector<RetrievedChunk>> retrieved;  // per-query top chunks, fused order
    EvalCounts counts;
    EvalSetInfo evalSet;
    nlohmann::ordered_json config = nlohmann::ordered_json::object();
    std::string engineVersion;
    std::map<std::string, double> timingsMs;

    // Builds the metric part of a report; `keepTop` documents of each
    // evaluated query's ranking are kept (duplicates removed). The caller adds
    // config, engine version and timings.
    static EvalReport fromMetrics(const EvalSet &set, const PerQueryMetrics &metrics, const Run &run,
                                  std::size_t keepTop = 10);

    nlohmann::ordered_json toJson() const;
    std::string toJsonText(int indent = 2) const;
    // Errors are Parse with the offending field in the source ("OUT.json: per_query.12.ndcg@10").
    static Result<EvalReport> fromJson(const nlohmann::ordered_json &json, const std::string &source = {});
    static Result<EvalReport> fromJsonText(std::string_view text, const std::string &source = {});

    Result<void> save(const std::string &path) const;
    static Result<EvalReport> load(const std::string &path);

    bool operator==(const EvalReport &) const = default;
};

} // namespace rag
