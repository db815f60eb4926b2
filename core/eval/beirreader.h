#pragma once
// Reader for BEIR-layout eval sets (queries.jsonl + qrels/<split>.tsv).
//
// Only "_id" and "text" are read from each query line: a SAX pass skips every
// other field without materialising it, so SciFact's "metadata" (which names
// the relevant documents) never exists in memory as a value, let alone in an
// EvalQuery. Pure functions, safe on any thread.
#include "core/common/result.h"
#include "core/eval/evalset.h"

#include <string>
#include <vector>

namespace rag {

// The split names available in <folder>/qrels (file names without ".tsv"), sorted.
Result<std::vector<std::string>> beirSplits(const std::string &folder);

// Reads <folder>/queries.jsonl and <folder>/qrels/<split>.tsv (header line,
// tab-separated query-id / corpus-id / integer score, CRLF tolerated).
// Keeps only the queries judged in that split, in queries.jsonl order.
// Errors: NotFound for a missing folder/file or an unknown split (the detail
// lists the available splits); Parse naming "file:line" for malformed lines or
// conflicting duplicate judgements; Mismatch when the qrels name a query that
// queries.jsonl lacks. The set is named after the folder.
Result<EvalSet> readBeirEvalSet(const std::string &folder, const std::string &split);

} // namespace rag
