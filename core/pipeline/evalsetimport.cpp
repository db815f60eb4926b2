#include "core/pipeline/evalsetimport.h"

#include "core/common/hashing.h"
#include "core/store/database.h"
#include "core/store/documentrepository.h"
#include "core/store/project.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace rag {

std::optional<std::size_t> codePointToByte(std::string_view text, std::int64_t index)
{
    if (index < 0)
        return std::nullopt;
    std::int64_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
            continue;  // continuation byte: part of the previous code point
        if (seen == index)
            return i;
        ++seen;
    }
    return seen == index ? std::optional(text.size()) : std::nullopt;
}

Result<StoredEvalSet> resolveQaSet(const Project &project, const QaSet &set, const std::string &source)
{
    DocumentRepository docs(project.db());
    auto list = docs.list();
    if (!list)
        return std::unexpected(list.error());
    std::map<std::string, std::int64_t> idOfKey;
    for (const DocumentInfo &d : *list)
        idOfKey.emplace(d.docKey, d.id);
    std::map<std::string, std::string> texts;  // fetched once per spanned document

    StoredEvalSet stored;
    stored.name = set.name;
    stored.split = set.split;
    stored.source = source;
    for (const QaItem &item : set.items) {
        stored.queries.emplace_back(item.id, item.question);
        if (!item.answer.empty())
            stored.referenceAnswers.emplace(item.id, item.answer);
        for (const auto &[doc, relevance] : item.relevantDocs)
            stored.judgments.push_back(StoredJudgment{item.id, doc, relevance, {}, {}});
        for (const QaSpan &span : item.spans) {
            const auto id = idOfKey.find(span.docId);
            if (id == idOfKey.end())
                return fail(ErrorCode::NotFound, "query \"" + item.id + "\": the project has no document \"" + span.docId
                                                     + "\" (import the corpus before the eval set)", source);
            auto cached = texts.find(span.docId);
            if (cached == texts.end()) {
                auto text = docs.text(id->second);
                if (!text)
                    return std::unexpected(text.error());
                cached = texts.emplace(span.docId, std::move(*text)).first;
            }
            const auto start = codePointToByte(cached->second, span.start);
            const auto end = codePointToByte(cached->second, span.end);
            if (!start || !end)
                return fail(ErrorCode::InvalidArgument,
                            "query \"" + item.id + "\": span [" + std::to_string(span.start) + ", "
                                + std::to_string(span.end) + ") is past the end of document \"" + span.docId + "\"",
                            source);
            stored.judgments.push_back(StoredJudgment{item.id, span.docId, span.relevance, std::int64_t(*start),
                                                      std::int64_t(*end)});
        }
    }
    stored.hash = storedEvalSetHash(stored);
    return stored;
}

Result<std::int64_t> importQaSet(const Project &project, const QaSet &set, const std::string &source)
{
    auto stored = resolveQaSet(project, set, source);
    if (!stored)
        return std::unexpected(stored.error());
    return EvalRepository(project.db()).saveEvalSet(*stored);
}

StoredEvalSet storedFromEvalSet(const EvalSet &set, const std::string &source)
{
    StoredEvalSet stored;
    stored.name = set.name;
    stored.split = set.split;
    stored.hash = set.hash();
    stored.source = source;
    for (const EvalQuery &q : set.queries)
        stored.queries.emplace_back(q.id, q.text);
    for (const auto &[qid, docs] : set.qrels)
        for (const auto &[doc, rel] : docs)
            stored.judgments.push_back(StoredJudgment{qid, doc, rel, {}, {}});
    return stored;
}

EvalSet documentLevelSet(const StoredEvalSet &stored)
{
    EvalSet set;
    set.name = stored.name;
    set.split = stored.split;
    for (const auto &[id, text] : stored.queries)
        set.queries.push_back(EvalQuery{id, text});
    for (const StoredJudgment &j : stored.judgments) {
        auto &docs = set.qrels[j.queryId];
        const auto [it, inserted] = docs.emplace(j.docKey, j.relevance);
        if (!inserted)
            it->second = std::max(it->second, j.relevance);
    }
    return set;
}

std::string storedEvalSetHash(const StoredEvalSet &stored)
{
    const std::string documentHash = documentLevelSet(stored).hash();
    std::vector<std::tuple<std::string, std::string, std::int64_t, std::int64_t, int>> spans;
    for (const StoredJudgment &j : stored.judgments)
        if (j.spanStart && j.spanEnd)
            spans.emplace_back(j.queryId, j.docKey, *j.spanStart, *j.spanEnd, j.relevance);
    if (spans.empty())
        return documentHash;
    std::sort(spans.begin(), spans.end());
    std::string canonical = documentHash + "\nspans\n";
    for (const auto &[qid, doc, start, end, rel] : spans)
        canonical += qid + '\t' + doc + '\t' + std::to_string(start) + '\t' + std::to_string(end) + '\t'
            + std::to_string(rel) + '\n';
    return sha256Hex(canonical);
}

Result<StoredEvalSet> loadEvalSet(const Project &project, std::int64_t id)
{
    // Read here rather than through EvalRepository::evalSet, which orders
    // eval_queries by rowid: that table is WITHOUT ROWID, so the query fails.
    auto sets = EvalRepository(project.db()).evalSets();
    if (!sets)
        return std::unexpected(sets.error());
    const auto head = std::find_if(sets->begin(), sets->end(), [&](const StoredEvalSet &s) { return s.id == id; });
    if (head == sets->end())
        return fail(ErrorCode::NotFound, "no eval set with id " + std::to_string(id), project.path());
    StoredEvalSet set = *head;
    const Database &db = project.db();
    auto queries = db.prepare(
        "SELECT query_id, text, reference_answer FROM eval_queries WHERE eval_set_id = ? ORDER BY query_id");
    if (!queries)
        return std::unexpected(queries.error());
    queries->bind(1, id);
    for (;;) {
        auto row = queries->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        set.queries.emplace_back(queries->columnText(0), queries->columnText(1));
        if (!queries->columnIsNull(2))
            set.referenceAnswers.emplace(queries->columnText(0), queries->columnText(2));
    }
    auto judgments = db.prepare("SELECT query_id, doc_key, relevance, span_start, span_end FROM eval_judgments "
                                "WHERE eval_set_id = ? ORDER BY rowid");
    if (!judgments)
        return std::unexpected(judgments.error());
    judgments->bind(1, id);
    for (;;) {
        auto row = judgments->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        StoredJudgment j{judgments->columnText(0), judgments->columnText(1), int(judgments->columnInt(2)), {}, {}};
        if (!judgments->columnIsNull(3) && !judgments->columnIsNull(4)) {
            j.spanStart = judgments->columnInt(3);
            j.spanEnd = judgments->columnInt(4);
        }
        set.judgments.push_back(std::move(j));
    }
    return set;
}

Result<StoredEvalSet> findEvalSet(const Project &project, const std::string &name, const std::string &split)
{
    EvalRepository evals(project.db());
    auto sets = evals.evalSets();
    if (!sets)
        return std::unexpected(sets.error());
    std::string known;
    for (auto it = sets->rbegin(); it != sets->rend(); ++it) {
        if (it->name == name && (split.empty() || it->split == split))
            return loadEvalSet(project, it->id);
        known += (known.empty() ? "" : ", ") + it->name + (it->split.empty() ? "" : "/" + it->split);
    }
    return fail(ErrorCode::NotFound, "no eval set \"" + name + (split.empty() ? "" : "/" + split)
                                         + "\" in the project (stored: " + (known.empty() ? "none" : known) + ")",
                project.path());
}

} // namespace rag
