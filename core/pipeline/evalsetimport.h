#pragma once
// Eval sets inside a project: a QA set (JSONL/CSV) or a BEIR/Cranfield set is
// stored through EvalRepository with its judgments against document keys, and
// span labels resolved from code point offsets to the UTF-8 byte offsets every
// chunk uses — against the document text as stored (composeText). Stored sets
// come back as the document-level EvalSet the metrics need.
// Functions over a Project, used on the thread that opened it.
#include "core/common/result.h"
#include "core/eval/evalset.h"
#include "core/eval/qasetreader.h"
#include "core/store/evalrepository.h"

#include <string>

namespace rag {

class Project;

// Resolves every span of `set` against the project's documents: NotFound for
// a document key the project lacks, InvalidArgument for a span past the end of
// its document (both naming the query). Document-only judgments are kept as
// given (a key the project lacks simply cannot be retrieved).
Result<StoredEvalSet> resolveQaSet(const Project &project, const QaSet &set, const std::string &source);

// Resolves and saves; returns the eval set id (an identical set is reused).
Result<std::int64_t> importQaSet(const Project &project, const QaSet &set, const std::string &source);

// An EvalSet (BEIR, Cranfield) as stored: document-level judgments only.
StoredEvalSet storedFromEvalSet(const EvalSet &set, const std::string &source);

// The document-level view of a stored set: a document's relevance is the
// largest of its document judgment and its spans' relevances.
EvalSet documentLevelSet(const StoredEvalSet &stored);

// The identity a run records: EvalSet::hash() of the document-level view when
// the set has no spans; with spans, sha256 over that hash and every span
// (query, doc, byte start, byte end, relevance), sorted.
std::string storedEvalSetHash(const StoredEvalSet &stored);

// A stored set with its queries (by id), reference answers and judgments. NotFound
// for an unknown id.
Result<StoredEvalSet> loadEvalSet(const Project &project, std::int64_t id);

// The newest stored set called `name` (and of `split` when not empty), with
// its queries and judgments. NotFound lists the stored sets.
Result<StoredEvalSet> findEvalSet(const Project &project, const std::string &name, const std::string &split = {});

// Byte offset of code point `index` in UTF-8 `text`; nullopt past the end
// (index == number of code points gives text.size()).
std::optional<std::size_t> codePointToByte(std::string_view text, std::int64_t index);

} // namespace rag
