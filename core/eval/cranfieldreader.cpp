#include "core/eval/cranfieldreader.h"

#include "core/common/logging.h"
#include "core/eval/textfile.h"

#include <map>

namespace rag {

namespace {

// One SMART record: ".I <id>" followed by tagged fields. ".W" is the last
// field of a record, so once it starts it absorbs every line up to the next
// ".I" (stray tag lines inside it are dropped and counted).
struct SmartRecord {
    std::string id;
    std::size_t line = 0;  // 1-based line of ".I"
    std::map<char, std::vector<std::string_view>> fields;
    int strayTags = 0;
};

bool isTagLine(std::string_view line, char &tag)
{
    if (line.size() < 2 || line[0] != '.' || line[1] < 'A' || line[1] > 'Z')
        return false;
    if (line.size() > 2 && line[2] != ' ' && line[2] != '\t')
        return false;
    tag = line[1];
    return true;
}

Result<std::vector<SmartRecord>> parseSmart(std::string_view content, const std::string &path,
                                            std::string_view allowedTags)
{
    std::vector<SmartRecord> records;
    char current = 0;
    const auto lines = evalio::splitLines(content);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        char tag = 0;
        if (isTagLine(line, tag)) {
            if (tag == 'I') {
                const std::string_view id = evalio::trim(line.substr(2));
                if (id.empty())
                    return fail(ErrorCode::Parse, "\".I\" without a number", evalio::lineSource(path, i + 1));
                records.push_back(SmartRecord{std::string(id), i + 1, {}, 0});
                current = 0;
                continue;
            }
            if (records.empty())
                return fail(ErrorCode::Parse, "field before the first \".I\"", evalio::lineSource(path, i + 1));
            if (current == 'W') {
                ++records.back().strayTags;
                continue;
            }
            if (allowedTags.find(tag) == std::string_view::npos)
                return fail(ErrorCode::Parse, std::string("unexpected field \".") + tag + "\"",
                            evalio::lineSource(path, i + 1));
            current = tag;
            records.back().fields[tag];  // a present-but-empty field is still present
            continue;
        }
        if (records.empty()) {
            if (evalio::trim(line).empty())
                continue;
            return fail(ErrorCode::Parse, "text before the first \".I\"", evalio::lineSource(path, i + 1));
        }
        if (current == 0) {
            if (evalio::trim(line).empty())
                continue;
            return fail(ErrorCode::Parse, "text outside any field", evalio::lineSource(path, i + 1));
        }
        records.back().fields[current].push_back(line);
    }
    return records;
}

std::string joinWithSpaces(const std::vector<std::string_view> &lines)
{
    std::string out;
    for (std::string_view line : lines) {
        for (std::string_view word : evalio::splitWhitespace(line)) {
            if (!out.empty())
                out += ' ';
            out += word;
        }
    }
    return out;
}

std::string joinKeepingLines(const std::vector<std::string_view> &lines)
{
    std::string out;
    for (std::string_view line : lines) {
        std::string_view body = line;
        while (!body.empty() && (body.back() == ' ' || body.back() == '\t'))
            body.remove_suffix(1);
        out.append(body);
        out += '\n';
    }
    return std::string(evalio::trim(out));
}

// Maps a Cranfield code to the relevance the chosen convention assigns.
bool relevanceFor(int code, CranfieldRelevance convention, int &relevance)
{
    if (code != -1 && (code < 1 || code > 4))
        return false;
    switch (convention) {
    case CranfieldRelevance::BinaryAll: relevance = 1; break;
    case CranfieldRelevance::BinaryCodes1To4: relevance = code == -1 ? 0 : 1; break;
    case CranfieldRelevance::GradedFiveMinusCode: relevance = code == -1 ? 0 : 5 - code; break;
    }
    return true;
}

Result<Qrels> readCranfieldQrels(const std::string &path, std::size_t queryCount, CranfieldRelevance convention)
{
    auto content = evalio::readTextFile(path);
    if (!content)
        return std::unexpected(content.error());
    Qrels qrels;
    std::map<std::pair<std::string, std::string>, std::pair<int, std::size_t>> codeAt;
    const auto lines = evalio::splitLines(*content);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string source = evalio::lineSource(path, i + 1);
        const auto fields = evalio::splitWhitespace(lines[i]);
        if (fields.empty())
            continue;
        int query = 0, doc = 0, code = 0, relevance = 0;
        if (fields.size() != 3 || !evalio::parseInt(fields[0], query) || !evalio::parseInt(fields[1], doc)
            || !evalio::parseInt(fields[2], code))
            return fail(ErrorCode::Parse, "expected \"query-number doc-id code\" (three integers)", source);
        if (query < 1 || static_cast<std::size_t>(query) > queryCount)
            return fail(ErrorCode::Mismatch,
                        "query number " + std::to_string(query) + " is outside 1.." + std::to_string(queryCount)
                            + " (queries are numbered by position in cran.qry)",
                        source);
        if (doc < 1)
            return fail(ErrorCode::Parse, "doc id must be positive", source);
        if (!relevanceFor(code, convention, relevance))
            return fail(ErrorCode::Parse, "unknown judgement code " + std::to_string(code) + " (expected -1, 1..4)",
                        source);
        const std::string qid = std::to_string(query), docId = std::to_string(doc);
        const auto [where, inserted] = codeAt.try_emplace({qid, docId}, code, i + 1);
        if (!inserted) {
            if (where->second.first != code)
                return fail(ErrorCode::Parse,
                            "conflicting code for query " + qid + ", doc " + docId + " (first given on line "
                                + std::to_string(where->second.second) + ")",
                            source);
            continue;
        }
        qrels[qid][docId] = relevance;
    }
    return qrels;
}

} // namespace

const char *cranfieldRelevanceName(CranfieldRelevance convention)
{
    switch (convention) {
    case CranfieldRelevance::BinaryAll: return "binary-all";
    case CranfieldRelevance::BinaryCodes1To4: return "binary-codes-1-4";
    case CranfieldRelevance::GradedFiveMinusCode: return "graded-5-minus-code";
    }
    return "unknown";
}

Result<EvalSet> readCranfieldEvalSet(const std::string &folder, CranfieldRelevance convention)
{
    const std::string queryPath = folder + "/cran.qry";
    auto content = evalio::readTextFile(queryPath);
    if (!content)
        return std::unexpected(content.error());
    auto records = parseSmart(*content, queryPath, "W");
    if (!records)
        return std::unexpected(records.error());

    EvalSet set;
    set.name = "cranfield";
    for (std::size_t position = 0; position < records->size(); ++position) {
        const SmartRecord &record = (*records)[position];
        const auto text = record.fields.find('W');
        if (text == record.fields.end())
            return fail(ErrorCode::Parse, "query \".I " + record.id + "\" has no \".W\" text",
                        evalio::lineSource(queryPath, record.line));
        set.queries.push_back(EvalQuery{std::to_string(position + 1), joinWithSpaces(text->second)});
    }
    if (set.queries.empty())
        return fail(ErrorCode::Empty, "no queries", queryPath);

    auto qrels = readCranfieldQrels(folder + "/cranqrel", set.queries.size(), convention);
    if (!qrels)
        return std::unexpected(qrels.error());
    std::erase_if(set.queries, [&](const EvalQuery &query) { return !qrels->contains(query.id); });
    set.qrels = std::move(*qrels);
    return set;
}

Result<std::vector<CranfieldDoc>> readCranfieldCorpus(const std::string &folder)
{
    const std::string path = folder + "/cran.all.1400";
    auto content = evalio::readTextFile(path);
    if (!content)
        return std::unexpected(content.error());
    auto records = parseSmart(*content, path, "TABW");
    if (!records)
        return std::unexpected(records.error());

    std::vector<CranfieldDoc> docs;
    docs.reserve(records->size());
    std::map<std::string, std::size_t> seen;
    for (const SmartRecord &record : *records) {
        if (const auto [where, inserted] = seen.try_emplace(record.id, record.line); !inserted)
            return fail(ErrorCode::Parse,
                        "duplicate document \".I " + record.id + "\" (first on line " + std::to_string(where->second)
                            + ")",
                        evalio::lineSource(path, record.line));
        if (record.strayTags > 0)
            qCDebug(lcEval) << "cran.all.1400: dropped" << record.strayTags << "stray tag line(s) in doc"
                            << record.id.c_str();
        CranfieldDoc doc;
        doc.id = record.id;
        if (const auto title = record.fields.find('T'); title != record.fields.end())
            doc.title = joinWithSpaces(title->second);
        if (const auto text = record.fields.find('W'); text != record.fields.end())
            doc.text = joinKeepingLines(text->second);
        docs.push_back(std::move(doc));
    }
    return docs;
}

} // namespace rag
