#pragma once
// TREC run and qrels files, the lingua franca of IR evaluation (trec_eval,
// pytrec_eval, ir_measures, Anserini). Pure functions, safe on any thread.
//
// Run lines are "qid Q0 docid rank score tag". trec_eval ignores the rank
// column: it re-sorts each query's documents by score descending, ties by
// docid descending (strcmp). So the writer makes scores strictly decreasing
// down each ranking; only then does every TREC tool see our exact order.
#include "core/common/result.h"
#include "core/eval/evalset.h"

#include <string>
#include <string_view>

namespace rag {

// The order trec_eval evaluates: score descending, then docid descending
// (byte-wise, like strcmp). Used by the run reader.
Ranking trecEvalOrder(Ranking ranking);

// One line per (query, document), queries in id order, ranks 1..n after
// removing duplicates. Scores are written as given (shortest round-trip text)
// except where a score is not strictly below the previous written one: it is
// lowered to the next representable double below it. That keeps every score
// within rounding of the original while making trec_eval's sort reproduce the
// ranking exactly. Queries with empty rankings produce no lines.
// Errors: InvalidArgument for an empty or whitespace-containing qid/docid/tag,
// or a non-finite score.
Result<std::string> formatTrecRun(const Run &run, const std::string &tag);
Result<void> writeTrecRun(const std::string &path, const Run &run, const std::string &tag);

// Parses run files written by any tool; each query's ranking comes back in
// trecEvalOrder (the rank column is ignored, as trec_eval does). Errors are
// Parse naming "file:line": wrong field count, a bad or non-finite score, or a
// document listed twice for a query (trec_eval refuses those too).
Result<Run> parseTrecRun(std::string_view content, const std::string &source);
Result<Run> readTrecRun(const std::string &path);

// Qrels lines are "qid 0 docid relevance", sorted by qid then docid.
Result<std::string> formatTrecQrels(const Qrels &qrels);
Result<void> writeTrecQrels(const std::string &path, const Qrels &qrels);

// The iteration column is ignored. A repeated (qid, docid) with the same
// relevance is accepted once; with a different one it is a Parse error.
Result<Qrels> parseTrecQrels(std::string_view content, const std::string &source);
Result<Qrels> readTrecQrels(const std::string &path);

} // namespace rag
