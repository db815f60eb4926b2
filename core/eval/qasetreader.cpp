#include "core/eval/qasetreader.h"

#include "core/eval/textfile.h"
#include "core/ingest/csvreader.h"

#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace rag {

namespace {

using nlohmann::json;

// Collects items in first-seen order; later lines of the same id add judgments.
class QaCollector {
public:
    explicit QaCollector(std::string path) : m_path(std::move(path)) {}

    Result<QaItem *> item(const std::string &id, const std::string &question, const std::string &answer,
                          const std::string &split, std::size_t line)
    {
        const auto found = m_index.find(id);
        if (found == m_index.end()) {
            m_index[id] = m_items.size();
            m_items.push_back(QaItem{id, question, answer, split, {}, {}});
            return &m_items.back();
        }
        QaItem &existing = m_items[found->second];
        if (existing.question != question || existing.split != split)
            return fail(ErrorCode::InvalidArgument, "query id \"" + id + "\" is repeated with another question or split",
                        evalio::lineSource(m_path, line));
        if (existing.answer.empty())
            existing.answer = answer;
        return &existing;
    }

    Result<void> addDoc(QaItem &item, const std::string &doc, int relevance, std::size_t line)
    {
        if (doc.empty())
            return fail(ErrorCode::Parse, "empty document id", evalio::lineSource(m_path, line));
        const auto [it, inserted] = item.relevantDocs.emplace(doc, relevance);
        if (!inserted && it->second != relevance)
            return fail(ErrorCode::Parse, "document \"" + doc + "\" judged twice with different relevance",
                        evalio::lineSource(m_path, line));
        return {};
    }

    Result<void> addSpan(QaItem &item, QaSpan span, std::size_t line)
    {
        if (span.docId.empty())
            return fail(ErrorCode::Parse, "empty document id in a span", evalio::lineSource(m_path, line));
        if (span.start < 0 || span.end <= span.start)
            return fail(ErrorCode::Parse,
                        "span [" + std::to_string(span.start) + ", " + std::to_string(span.end) + ") is empty or negative",
                        evalio::lineSource(m_path, line));
        if (std::find(item.spans.begin(), item.spans.end(), span) == item.spans.end())
            item.spans.push_back(std::move(span));
        return {};
    }

    Result<QaSet> finish(const std::string &split) &&
    {
        QaSet set;
        set.name = QFileInfo(QString::fromStdString(m_path)).completeBaseName().toStdString();
        set.split = split;
        std::set<std::string> splits;
        for (QaItem &item : m_items) {
            splits.insert(item.split);
            if (split.empty() || item.split == split)
                set.items.push_back(std::move(item));
        }
        if (set.items.empty() && !split.empty()) {
            std::string known;
            for (const std::string &s : splits)
                known += (known.empty() ? "" : ", ") + (s.empty() ? std::string("(none)") : s);
            return fail(ErrorCode::NotFound, "no question in split \"" + split + "\" (splits: " + known + ")", m_path);
        }
        if (set.items.empty())
            return fail(ErrorCode::Empty, "no questions", m_path);
        return set;
    }

private:
    std::string m_path;
    std::vector<QaItem> m_items;
    std::map<std::string, std::size_t> m_index;
};

std::optional<std::string> idText(const json &value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_number_integer())
        return value.dump();
    return std::nullopt;
}

std::string stringField(const json &object, std::initializer_list<const char *> names)
{
    for (const char *name : names)
        if (const auto it = object.find(name); it != object.end() && it->is_string())
            return it->get<std::string>();
    return {};
}

Result<void> readJudgments(const json &object, QaItem &item, QaCollector &collector, const std::string &source,
                           std::size_t line)
{
    if (const auto docs = object.find("relevant_doc_ids"); docs != object.end()) {
        if (!docs->is_array())
            return fail(ErrorCode::Parse, "relevant_doc_ids must be an array", source);
        for (const json &d : *docs) {
            const auto id = idText(d.is_object() ? d.value("doc_id", json()) : d);
            const int relevance = d.is_object() ? d.value("relevance", 1) : 1;
            if (!id)
                return fail(ErrorCode::Parse, "a relevant document id must be a string or an integer", source);
            if (auto ok = collector.addDoc(item, *id, relevance, line); !ok)
                return ok;
        }
    }
    if (const auto spans = object.find("relevant_spans"); spans != object.end()) {
        if (!spans->is_array())
            return fail(ErrorCode::Parse, "relevant_spans must be an array", source);
        for (const json &s : *spans) {
            const auto id = s.is_object() ? idText(s.value("doc_id", json())) : std::nullopt;
            if (!id || !s.value("start", json()).is_number_integer() || !s.value("end", json()).is_number_integer())
                return fail(ErrorCode::Parse, "a span needs doc_id, start and end (integers)", source);
            QaSpan span{*id, s.at("start").get<std::int64_t>(), s.at("end").get<std::int64_t>(), s.value("relevance", 1)};
            if (auto ok = collector.addSpan(item, std::move(span), line); !ok)
                return ok;
        }
    }
    return {};
}

} // namespace

Result<QaSet> readQaJsonl(const std::string &path, const std::string &split)
{
    auto text = evalio::readTextFile(path);
    if (!text)
        return std::unexpected(text.error());
    QaCollector collector(path);
    const auto lines = evalio::splitLines(*text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::size_t lineNo = i + 1;
        const std::string source = evalio::lineSource(path, lineNo);
        if (evalio::trim(lines[i]).empty())
            continue;
        json object;
        try {
            object = json::parse(lines[i]);
        } catch (const json::exception &e) {
            return fail(ErrorCode::Parse, std::string("not JSON: ") + e.what(), source);
        }
        if (!object.is_object())
            return fail(ErrorCode::Parse, "expected a JSON object", source);
        const auto id = object.contains("id") ? idText(object["id"]) : std::optional(std::to_string(lineNo));
        if (!id || id->empty())
            return fail(ErrorCode::Parse, "\"id\" must be a non-empty string or an integer", source);
        const std::string question = stringField(object, {"question", "query"});
        if (question.empty())
            return fail(ErrorCode::Parse, "missing \"question\"", source);
        auto item = collector.item(*id, question, stringField(object, {"answer", "reference_answer"}),
                                   stringField(object, {"split"}), lineNo);
        if (!item)
            return std::unexpected(item.error());
        if (auto ok = readJudgments(object, **item, collector, source, lineNo); !ok)
            return std::unexpected(ok.error());
    }
    return std::move(collector).finish(split);
}

Result<QaSet> readQaCsv(const std::string &path, const std::string &split)
{
    auto text = evalio::readTextFile(path);
    if (!text)
        return std::unexpected(text.error());
    CsvReader reader(*text, CsvReader::sniffDelimiter(*text));
    CsvReader::Record record;
    if (!reader.next(record))
        return fail(ErrorCode::Empty, "no header line", path);
    std::map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
        std::string name = std::string(evalio::trim(record.fields[i]));
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        column[name] = i;
    }
    for (const char *required : {"query_id", "question", "doc_id"})
        if (!column.contains(required))
            return fail(ErrorCode::Parse, std::string("the header has no \"") + required + "\" column",
                        evalio::lineSource(path, 1));
    QaCollector collector(path);
    while (reader.next(record)) {
        const auto lineNo = std::size_t(record.line);
        const std::string source = evalio::lineSource(path, lineNo);
        if (!record.error.empty())
            return fail(ErrorCode::Parse, record.error, source);
        auto field = [&](const char *name) -> std::string {
            const auto it = column.find(name);
            return it != column.end() && it->second < record.fields.size() ? record.fields[it->second] : std::string();
        };
        auto integer = [&](const char *name, std::int64_t fallback, bool &ok) -> std::int64_t {
            const std::string value(evalio::trim(field(name)));
            if (value.empty())
                return fallback;
            int parsed = 0;
            ok = ok && evalio::parseInt(value, parsed);
            return parsed;
        };
        auto item = collector.item(field("query_id"), field("question"), field("answer"), field("split"), lineNo);
        if (!item)
            return std::unexpected(item.error());
        if ((*item)->id.empty() || (*item)->question.empty())
            return fail(ErrorCode::Parse, "query_id and question must not be empty", source);
        bool ok = true;
        const int relevance = int(integer("relevance", 1, ok));
        const bool hasSpan = !evalio::trim(field("start")).empty() || !evalio::trim(field("end")).empty();
        const std::int64_t start = integer("start", -1, ok);
        const std::int64_t end = integer("end", -1, ok);
        if (!ok)
            return fail(ErrorCode::Parse, "relevance, start and end must be integers", source);
        auto added = hasSpan ? collector.addSpan(**item, QaSpan{field("doc_id"), start, end, relevance}, lineNo)
                             : collector.addDoc(**item, field("doc_id"), relevance, lineNo);
        if (!added)
            return std::unexpected(added.error());
    }
    return std::move(collector).finish(split);
}

Result<QaSet> readQaSet(const std::string &path, const std::string &split)
{
    const QString suffix = QFileInfo(QString::fromStdString(path)).suffix().toLower();
    if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("json"))
        return readQaJsonl(path, split);
    if (suffix == QLatin1String("csv") || suffix == QLatin1String("tsv"))
        return readQaCsv(path, split);
    return fail(ErrorCode::Unsupported, "expected a .jsonl or .csv eval set", path);
}

} // namespace rag
