#include "core/store/evalrepository.h"

#include "core/store/database.h"
#include "core/store/project.h"

namespace rag {

Result<std::int64_t> EvalRepository::saveEvalSet(const StoredEvalSet &set) const
{
    auto existing = m_db.prepare("SELECT id FROM eval_sets WHERE name = ? AND split = ? AND hash = ?");
    if (!existing)
        return std::unexpected(existing.error());
    existing->bind(1, set.name).bind(2, set.split).bind(3, set.hash);
    auto row = existing->step();
    if (!row)
        return std::unexpected(row.error());
    if (*row)
        return addReferenceAnswers(existing->columnInt(0), set);

    auto tx = m_db.begin();
    if (!tx)
        return std::unexpected(tx.error());
    auto insert = m_db.prepare("INSERT INTO eval_sets(name, split, hash, source, created_at) VALUES(?, ?, ?, ?, ?)");
    if (!insert)
        return std::unexpected(insert.error());
    if (auto ok = insert->bind(1, set.name).bind(2, set.split).bind(3, set.hash).bind(4, set.source).bind(5, nowIso()).run(); !ok)
        return std::unexpected(ok.error());
    const std::int64_t id = m_db.lastInsertId();
    auto query = m_db.prepare("INSERT INTO eval_queries(eval_set_id, query_id, text, reference_answer) VALUES(?, ?, ?, ?)");
    auto judgment = m_db.prepare("INSERT INTO eval_judgments(eval_set_id, query_id, doc_key, relevance, span_start, "
                                 "span_end) VALUES(?, ?, ?, ?, ?, ?)");
    if (!query || !judgment)
        return std::unexpected(!query ? query.error() : judgment.error());
    for (const auto &[qid, text] : set.queries) {
        query->bind(1, id).bind(2, qid).bind(3, text);
        if (const auto answer = set.referenceAnswers.find(qid); answer != set.referenceAnswers.end())
            query->bind(4, answer->second);
        else
            query->bindNull(4);
        if (auto ok = query->run(); !ok)
            return std::unexpected(ok.error());
    }
    for (const StoredJudgment &j : set.judgments) {
        judgment->bind(1, id).bind(2, j.queryId).bind(3, j.docKey).bind(4, j.relevance);
        if (j.spanStart && j.spanEnd)
            judgment->bind(5, *j.spanStart).bind(6, *j.spanEnd);
        else
            judgment->bindNull(5).bindNull(6);
        if (auto ok = judgment->run(); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = (*tx)->commit(); !ok)
        return std::unexpected(ok.error());
    return id;
}

Result<std::int64_t> EvalRepository::addReferenceAnswers(std::int64_t id, const StoredEvalSet &set) const
{
    if (set.referenceAnswers.empty())
        return id;
    auto stored = m_db.prepare("SELECT query_id, reference_answer FROM eval_queries WHERE eval_set_id = ?");
    if (!stored)
        return std::unexpected(stored.error());
    stored->bind(1, id);
    std::map<std::string, std::optional<std::string>> current;
    if (auto ok = stored->forEachRow([&](const Statement &s) {
            current.emplace(s.columnText(0), s.columnIsNull(1) ? std::nullopt : std::optional(s.columnText(1)));
        });
        !ok)
        return std::unexpected(ok.error());
    std::vector<std::pair<std::string, std::string>> missing;
    for (const auto &[qid, answer] : set.referenceAnswers) {
        const auto at = current.find(qid);
        if (at == current.end() || !at->second)
            missing.emplace_back(qid, answer);
        else if (*at->second != answer)
            return fail(ErrorCode::Mismatch,
                        "eval set '" + set.name + "' already holds a different reference answer for query " + qid
                            + "; import the new answers under another set name",
                        set.source);
    }
    if (missing.empty())
        return id;
    auto tx = m_db.begin();
    if (!tx)
        return std::unexpected(tx.error());
    auto update = m_db.prepare("UPDATE eval_queries SET reference_answer = ? WHERE eval_set_id = ? AND query_id = ?");
    if (!update)
        return std::unexpected(update.error());
    for (const auto &[qid, answer] : missing) {
        if (auto ok = update->bind(1, answer).bind(2, id).bind(3, qid).run(); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = (*tx)->commit(); !ok)
        return std::unexpected(ok.error());
    return id;
}

Result<StoredEvalSet> EvalRepository::evalSet(std::int64_t id) const
{
    auto head = m_db.prepare("SELECT id, name, split, hash, source FROM eval_sets WHERE id = ?");
    if (!head)
        return std::unexpected(head.error());
    head->bind(1, id);
    auto row = head->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, "no eval set with id " + std::to_string(id), m_db.path());
    StoredEvalSet set{head->columnInt(0), head->columnText(1), head->columnText(2), head->columnText(3),
                      head->columnText(4), {}, {}, {}};
    auto queries = m_db.prepare(
        "SELECT query_id, text, reference_answer FROM eval_queries WHERE eval_set_id = ? ORDER BY query_id");
    if (!queries)
        return std::unexpected(queries.error());
    queries->bind(1, id);
    for (;;) {
        auto q = queries->step();
        if (!q)
            return std::unexpected(q.error());
        if (!*q)
            break;
        set.queries.emplace_back(queries->columnText(0), queries->columnText(1));
        if (!queries->columnIsNull(2))
            set.referenceAnswers.emplace(queries->columnText(0), queries->columnText(2));
    }
    auto judgments = m_db.prepare("SELECT query_id, doc_key, relevance, span_start, span_end FROM eval_judgments "
                                  "WHERE eval_set_id = ? ORDER BY rowid");
    if (!judgments)
        return std::unexpected(judgments.error());
    judgments->bind(1, id);
    for (;;) {
        auto j = judgments->step();
        if (!j)
            return std::unexpected(j.error());
        if (!*j)
            break;
        StoredJudgment judgment{judgments->columnText(0), judgments->columnText(1), int(judgments->columnInt(2)), {}, {}};
        if (!judgments->columnIsNull(3)) {
            judgment.spanStart = judgments->columnInt(3);
            judgment.spanEnd = judgments->columnInt(4);
        }
        set.judgments.push_back(std::move(judgment));
    }
    return set;
}

Result<std::vector<StoredEvalSet>> EvalRepository::evalSets() const
{
    auto stmt = m_db.prepare("SELECT id, name, split, hash, source FROM eval_sets ORDER BY id");
    if (!stmt)
        return std::unexpected(stmt.error());
    std::vector<StoredEvalSet> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            return out;
        out.push_back(StoredEvalSet{stmt->columnInt(0), stmt->columnText(1), stmt->columnText(2),
                                    stmt->columnText(3), stmt->columnText(4), {}, {}, {}});
    }
}

Result<std::int64_t> EvalRepository::saveRun(const RunRecord &r) const
{
    auto stmt = m_db.prepare("INSERT INTO runs(created_at, label, config_json, config_hash, eval_set_id, eval_set_hash, "
                             "engine_version, metrics_json, report_json) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, r.createdAt.empty() ? nowIso() : r.createdAt).bind(2, r.label).bind(3, r.configJson)
        .bind(4, r.configHash);
    if (r.evalSetId > 0)
        stmt->bind(5, r.evalSetId);
    else
        stmt->bindNull(5);
    stmt->bind(6, r.evalSetHash).bind(7, r.engineVersion).bind(8, r.metricsJson).bind(9, r.reportJson);
    if (auto ok = stmt->run(); !ok)
        return std::unexpected(ok.error());
    return m_db.lastInsertId();
}

namespace {
constexpr const char *kRunColumns =
    "SELECT id, created_at, label, config_json, config_hash, coalesce(eval_set_id, 0), eval_set_hash, engine_version, "
    "metrics_json FROM runs ";

RunRecord readRun(const Statement &s)
{
    return RunRecord{s.columnInt(0), s.columnText(1), s.columnText(2), s.columnText(3), s.columnText(4),
                     s.columnInt(5), s.columnText(6), s.columnText(7), s.columnText(8), {}};
}
} // namespace

Result<RunRecord> EvalRepository::run(std::int64_t id) const
{
    auto stmt = m_db.prepare(std::string(kRunColumns) + "WHERE id = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, "no run with id " + std::to_string(id), m_db.path());
    RunRecord record = readRun(*stmt);
    auto report = m_db.prepare("SELECT report_json FROM runs WHERE id = ?");
    if (!report)
        return std::unexpected(report.error());
    report->bind(1, id);
    if (auto r = report->step(); !r)
        return std::unexpected(r.error());
    record.reportJson = report->columnText(0);
    return record;
}

Result<std::vector<RunRecord>> EvalRepository::runs() const
{
    auto stmt = m_db.prepare(std::string(kRunColumns) + "ORDER BY id");
    if (!stmt)
        return std::unexpected(stmt.error());
    std::vector<RunRecord> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            return out;
        out.push_back(readRun(*stmt));
    }
}

} // namespace rag
