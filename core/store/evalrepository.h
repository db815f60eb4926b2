#pragma once
// EvalRepository: eval sets (queries and relevance judgments against the source:
// a document key, optionally a character span) and immutable runs. A run row is
// written once, whole, and never updated: a cancelled run is simply never saved.
// Used on the thread that owns the Database.
#include "core/common/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rag {

class Database;

struct StoredJudgment {
    std::string queryId;
    std::string docKey;
    int relevance = 0;
    std::optional<std::int64_t> spanStart;  // UTF-8 byte offsets into the document text
    std::optional<std::int64_t> spanEnd;
};

struct StoredEvalSet {
    std::int64_t id = 0;
    std::string name;
    std::string split;
    std::string hash;
    std::string source;
    std::vector<std::pair<std::string, std::string>> queries;  // (id, text)
    std::vector<StoredJudgment> judgments;
    // Query id -> reference answer, for the queries that have one (QA sets). Not part
    // of `hash`: the hash names what retrieval is scored on, and sets stored before
    // answers were kept must keep their identity.
    std::map<std::string, std::string> referenceAnswers;
};

struct RunRecord {
    std::int64_t id = 0;
    std::string createdAt;
    std::string label;
    std::string configJson;
    std::string configHash;
    std::int64_t evalSetId = 0;
    std::string evalSetHash;
    std::string engineVersion;
    std::string metricsJson;
    std::string reportJson;  // the full report (per-query results); empty in list()
};

class EvalRepository {
public:
    explicit EvalRepository(const Database &db) : m_db(db) {}

    // Saves the set, or returns the id of an identical one (same name, split and
    // hash), after storing the reference answers it has and the stored set lacks
    // (answers are outside the hash). A different answer to a query that already has
    // one is a Mismatch error: judged runs may have scored against the stored one.
    Result<std::int64_t> saveEvalSet(const StoredEvalSet &set) const;
    Result<StoredEvalSet> evalSet(std::int64_t id) const;
    Result<std::vector<StoredEvalSet>> evalSets() const;  // without queries and judgments

    Result<std::int64_t> saveRun(const RunRecord &run) const;
    Result<RunRecord> run(std::int64_t id) const;
    Result<std::vector<RunRecord>> runs() const;  // newest last, without report_json

private:
    Result<std::int64_t> addReferenceAnswers(std::int64_t id, const StoredEvalSet &set) const;

    const Database &m_db;
};

} // namespace rag
