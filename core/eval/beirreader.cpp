#include "core/eval/beirreader.h"

#include "core/eval/textfile.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <set>
#include <type_traits>

namespace rag {

namespace {

// SAX consumer that keeps the top-level "_id" and "text" scalars of one JSON
// object and drops everything else as the parser walks past it.
class QueryLineSax {
public:
    using json = nlohmann::json;

    std::string id;
    std::string text;
    bool hasId = false;
    bool hasText = false;
    std::string error;  // empty while the line is acceptable

    bool null() { return scalar(nullptr); }
    bool boolean(bool) { return scalar(nullptr); }
    bool number_integer(json::number_integer_t value) { return scalar(std::to_string(value)); }
    bool number_unsigned(json::number_unsigned_t value) { return scalar(std::to_string(value)); }
    bool number_float(json::number_float_t, const std::string &) { return scalar(nullptr); }
    bool string(std::string &value) { return scalar(value); }
    bool binary(json::binary_t &) { return scalar(nullptr); }

    bool start_object(std::size_t)
    {
        if (m_depth == 0)
            m_sawObject = true;
        else if (!containerAllowed())
            return false;
        ++m_depth;
        return true;
    }
    bool end_object()
    {
        --m_depth;
        return true;
    }
    bool start_array(std::size_t)
    {
        if (m_depth == 0) {
            error = "a query line must be a JSON object";
            return false;
        }
        if (!containerAllowed())
            return false;
        ++m_depth;
        return true;
    }
    bool end_array()
    {
        --m_depth;
        return true;
    }
    bool key(std::string &name)
    {
        if (m_depth == 1)
            m_pending = name == "_id" ? Field::Id : name == "text" ? Field::Text : Field::Other;
        return true;
    }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &ex)
    {
        error = ex.what();
        return false;
    }
    bool sawObject() const { return m_sawObject; }

private:
    enum class Field { None, Id, Text, Other };

    bool containerAllowed()
    {
        if (m_depth == 1 && (m_pending == Field::Id || m_pending == Field::Text)) {
            error = m_pending == Field::Id ? "\"_id\" must be a string or an integer"
                                           : "\"text\" must be a string";
            return false;
        }
        return true;
    }

    // Scalars at depth 1 following "_id"/"text" are kept; anything deeper is
    // inside some other field (metadata) and is dropped here.
    template <typename T>
    bool scalar(const T &value)
    {
        if (m_depth == 0) {
            error = "a query line must be a JSON object";
            return false;
        }
        if (m_depth != 1 || m_pending == Field::Other || m_pending == Field::None)
            return true;
        const Field field = m_pending;
        m_pending = Field::None;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
            error = field == Field::Id ? "\"_id\" must be a string or an integer" : "\"text\" must be a string";
            return false;
        } else {
            if (field == Field::Id) {
                id = value;
                hasId = true;
            } else {
                if constexpr (!std::is_same_v<T, std::string>) {
                    error = "\"text\" must be a string";
                    return false;
                } else {
                    text = value;
                    hasText = true;
                }
            }
            return true;
        }
    }

    int m_depth = 0;
    bool m_sawObject = false;
    Field m_pending = Field::None;
};

Result<std::vector<EvalQuery>> readBeirQueries(const std::string &path)
{
    auto content = evalio::readTextFile(path);
    if (!content)
        return std::unexpected(content.error());
    std::vector<EvalQuery> queries;
    std::set<std::string> seen;
    const auto lines = evalio::splitLines(*content);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (evalio::trim(lines[i]).empty())
            continue;
        QueryLineSax sax;
        const bool ok = nlohmann::json::sax_parse(lines[i], &sax);
        const std::string source = evalio::lineSource(path, i + 1);
        if (!ok || !sax.error.empty() || !sax.sawObject())
            return fail(ErrorCode::Parse, sax.error.empty() ? "not a JSON object" : sax.error, source);
        if (!sax.hasId)
            return fail(ErrorCode::Parse, "query has no \"_id\"", source);
        if (!sax.hasText)
            return fail(ErrorCode::Parse, "query \"" + sax.id + "\" has no \"text\"", source);
        if (!seen.insert(sax.id).second)
            return fail(ErrorCode::Parse, "duplicate query id \"" + sax.id + "\"", source);
        queries.push_back(EvalQuery{std::move(sax.id), std::move(sax.text)});
    }
    return queries;
}

// Records where each judgement came from so a conflicting duplicate can name both lines.
Result<Qrels> readBeirQrels(const std::string &path, std::map<std::string, std::size_t> &firstLineOfQuery)
{
    auto content = evalio::readTextFile(path);
    if (!content)
        return std::unexpected(content.error());
    Qrels qrels;
    std::map<std::pair<std::string, std::string>, std::size_t> judgedAt;
    const auto lines = evalio::splitLines(*content);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string source = evalio::lineSource(path, i + 1);
        if (evalio::trim(lines[i]).empty())
            continue;
        std::vector<std::string_view> fields;
        std::size_t start = 0;
        for (std::size_t tab = lines[i].find('\t'); tab != std::string_view::npos; tab = lines[i].find('\t', start)) {
            fields.push_back(evalio::trim(lines[i].substr(start, tab - start)));
            start = tab + 1;
        }
        fields.push_back(evalio::trim(lines[i].substr(start)));
        int score = 0;
        if (i == 0 && (fields.size() != 3 || !evalio::parseInt(fields[2], score)))
            continue;  // the header line ("query-id\tcorpus-id\tscore")
        if (fields.size() != 3)
            return fail(ErrorCode::Parse,
                        "expected 3 tab-separated fields (query-id, corpus-id, score), found "
                            + std::to_string(fields.size()),
                        source);
        if (fields[0].empty() || fields[1].empty())
            return fail(ErrorCode::Parse, "empty query id or corpus id", source);
        if (!evalio::parseInt(fields[2], score))
            return fail(ErrorCode::Parse, "score \"" + std::string(fields[2]) + "\" is not an integer", source);
        std::string qid(fields[0]), docId(fields[1]);
        auto [where, inserted] = judgedAt.try_emplace({qid, docId}, i + 1);
        if (!inserted) {
            if (qrels[qid][docId] != score)
                return fail(ErrorCode::Parse,
                            "conflicting judgement for query \"" + qid + "\", doc \"" + docId
                                + "\" (first given on line " + std::to_string(where->second) + ")",
                            source);
            continue;
        }
        firstLineOfQuery.try_emplace(qid, i + 1);
        qrels[qid][docId] = score;
    }
    return qrels;
}

} // namespace

Result<std::vector<std::string>> beirSplits(const std::string &folder)
{
    const QDir qrelsDir(QString::fromStdString(folder + "/qrels"));
    if (!qrelsDir.exists())
        return fail(ErrorCode::NotFound, "no qrels folder", folder + "/qrels");
    std::vector<std::string> splits;
    for (const QFileInfo &info : qrelsDir.entryInfoList({QStringLiteral("*.tsv")}, QDir::Files, QDir::Name))
        splits.push_back(info.completeBaseName().toStdString());
    return splits;
}

Result<EvalSet> readBeirEvalSet(const std::string &folder, const std::string &split)
{
    if (!QFileInfo(QString::fromStdString(folder)).isDir())
        return fail(ErrorCode::NotFound, "BEIR folder does not exist", folder);
    auto splits = beirSplits(folder);
    if (!splits)
        return std::unexpected(splits.error());
    const std::string qrelsPath = folder + "/qrels/" + split + ".tsv";
    if (split.empty() || split.find('/') != std::string::npos
        || std::find(splits->begin(), splits->end(), split) == splits->end()) {
        std::string available;
        for (const std::string &name : *splits)
            available += (available.empty() ? "" : ", ") + name;
        return fail(ErrorCode::NotFound,
                    "unknown split \"" + split + "\"; available splits: "
                        + (available.empty() ? std::string("none") : available),
                    qrelsPath);
    }

    const std::string queriesPath = folder + "/queries.jsonl";
    auto queries = readBeirQueries(queriesPath);
    if (!queries)
        return std::unexpected(queries.error());
    std::map<std::string, std::size_t> firstLineOfQuery;
    auto qrels = readBeirQrels(qrelsPath, firstLineOfQuery);
    if (!qrels)
        return std::unexpected(qrels.error());

    EvalSet set;
    set.name = QFileInfo(QDir::cleanPath(QString::fromStdString(folder))).fileName().toStdString();
    set.split = split;
    std::set<std::string> known;
    for (EvalQuery &query : *queries) {
        known.insert(query.id);
        if (qrels->contains(query.id))
            set.queries.push_back(std::move(query));
    }
    for (const auto &[qid, line] : firstLineOfQuery)
        if (!known.contains(qid))
            return fail(ErrorCode::Mismatch, "query \"" + qid + "\" is judged but missing from " + queriesPath,
                        evalio::lineSource(qrelsPath, line));
    set.qrels = std::move(*qrels);
    return set;
}

} // namespace rag
