#pragma once
// Readers for question-answer eval sets written by people: JSONL (one object
// per question) and CSV (one row per judgment). Relevance is given against the
// source — document ids, and/or spans of a document — never against chunks.
// Pure functions, safe on any thread; spans stay in characters here and are
// resolved to byte offsets against the stored documents at import
// (core/pipeline/evalsetimport.h).
//
// Span convention: "start"/"end" are Unicode code point offsets, [start, end),
// into the document text as the project stores it: the body, or
// "title\n\nbody" for records with a separate title (BEIR, CSV, JSONL corpora;
// DocumentRepository::composeText).
//
// JSONL fields (unknown fields are ignored):
//   "id" (string or integer; default: the 1-based line number), "question"
//   (or "query"; required), "answer" (optional reference answer), "split"
//   (optional), "relevant_doc_ids" (array of ids, relevance 1, or of
//   {"doc_id": ..., "relevance": n}), "relevant_spans" (array of
//   {"doc_id": ..., "start": n, "end": n, "relevance": n (default 1)}).
// CSV header (case-insensitive, any order): query_id, question, doc_id and
// optionally relevance, start, end, answer, split. Rows of the same query_id
// add judgments; a row with start and end is a span, without them a document.
#include "core/common/result.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rag {

struct QaSpan {
    std::string docId;
    std::int64_t start = 0;  // code points, [start, end)
    std::int64_t end = 0;
    int relevance = 1;

    bool operator==(const QaSpan &) const = default;
};

struct QaItem {
    std::string id;
    std::string question;
    std::string answer;
    std::string split;
    std::map<std::string, int> relevantDocs;  // document-level judgments
    std::vector<QaSpan> spans;                // span-level judgments

    bool operator==(const QaItem &) const = default;
};

struct QaSet {
    std::string name;   // the file's base name
    std::string split;  // the split kept (empty: all)
    std::vector<QaItem> items;
};

// Keeps only the items of `split` when it is not empty (NotFound, listing the
// splits present, when none match). Errors name "file:line": Parse for
// malformed lines, missing questions, bad spans (end <= start, negative) or
// conflicting duplicate judgments; InvalidArgument for a duplicate query id
// with a different question; Empty when no item remains.
Result<QaSet> readQaJsonl(const std::string &path, const std::string &split = {});
Result<QaSet> readQaCsv(const std::string &path, const std::string &split = {});
// By extension: .jsonl/.json -> JSONL, .csv/.tsv -> CSV.
Result<QaSet> readQaSet(const std::string &path, const std::string &split = {});

} // namespace rag
