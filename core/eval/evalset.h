#pragma once
// The value types of retrieval evaluation: queries, graded judgements (qrels),
// the eval set that bundles them, and the rankings a retriever produces.
//
// EvalSet is a plain value: readers build it, jobs copy it, nothing owns it.
// Its hash() is the eval-set half of a run's identity (see ARCHITECTURE.md,
// "run = (pipeline config hash, eval set hash, engine version)"), so it covers
// exactly what changes a score: query ids and texts, and every judgement.
#include <map>
#include <string>
#include <vector>

namespace rag {

// A query as the retriever sees it. Deliberately only an id and a text: the
// readers never copy any other field (SciFact's "metadata" holds the answers),
// so there is no place where leaked labels could travel to a retriever.
struct EvalQuery {
    std::string id;
    std::string text;

    bool operator==(const EvalQuery &) const = default;
};

// Judgements: query id -> (doc id -> graded relevance). Judged non-relevant 0s
// and negative codes are kept as given; the metrics decide what counts
// (relevance >= 1 is relevant, gain = max(relevance, 0)).
using Qrels = std::map<std::string, std::map<std::string, int>>;

struct ScoredDoc {
    std::string docId;
    double score = 0.0;

    bool operator==(const ScoredDoc &) const = default;
};

// One query's result list, best first: rank = position + 1. The order of the
// vector is the ranking; scores are carried along but never re-sorted.
using Ranking = std::vector<ScoredDoc>;

// Keeps the first (best) occurrence of each doc id, in order. Rankings of
// chunks mapped to documents repeat ids; a document counts once, at its best
// rank (max-pooling, as BEIR does), and trec_eval rejects repeated docnos, so
// the metrics and the TREC writer both apply this.
Ranking withoutDuplicates(const Ranking &ranking);

// A whole run: query id -> ranking.
using Run = std::map<std::string, Ranking>;

struct EvalSet {
    std::string name;   // "scifact", "cranfield": for people, not part of the hash
    std::string split;  // "test", "train"; empty when the collection has no splits
    std::vector<EvalQuery> queries;
    Qrels qrels;

    // Number of (query, doc) judgements over all queries.
    std::size_t judgementCount() const;

    // sha256 (lowercase hex) over the canonical content: queries sorted by id
    // (id, text) and the qrels sorted by query id then doc id. Independent of
    // name, split and the order the files listed things in.
    std::string hash() const;
};

} // namespace rag
