#include "core/eval/trecformat.h"

#include "core/eval/textfile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

namespace rag {

namespace {

bool isToken(std::string_view text)
{
    return !text.empty() && text.find_first_of(" \t\r\n\v\f") == std::string_view::npos;
}

Result<void> checkToken(std::string_view text, const char *what, const std::string &qid)
{
    if (isToken(text))
        return {};
    return fail(ErrorCode::InvalidArgument,
                std::string(what) + " \"" + std::string(text) + "\" is empty or contains whitespace",
                qid.empty() ? std::string("trec run") : "query " + qid);
}

} // namespace

Ranking trecEvalOrder(Ranking ranking)
{
    std::stable_sort(ranking.begin(), ranking.end(), [](const ScoredDoc &a, const ScoredDoc &b) {
        if (a.score != b.score)
            return a.score > b.score;
        return a.docId > b.docId;
    });
    return ranking;
}

Result<std::string> formatTrecRun(const Run &run, const std::string &tag)
{
    if (auto ok = checkToken(tag, "run tag", {}); !ok)
        return std::unexpected(ok.error());
    std::string out;
    for (const auto &[qid, ranking] : run) {
        if (auto ok = checkToken(qid, "query id", {}); !ok)
            return std::unexpected(ok.error());
        const Ranking unique = withoutDuplicates(ranking);
        double previous = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < unique.size(); ++i) {
            const ScoredDoc &doc = unique[i];
            if (auto ok = checkToken(doc.docId, "doc id", qid); !ok)
                return std::unexpected(ok.error());
            if (!std::isfinite(doc.score))
                return fail(ErrorCode::InvalidArgument,
                            "score of doc \"" + doc.docId + "\" is not finite", "query " + qid);
            double score = doc.score;
            if (i > 0 && !(score < previous))
                score = std::nextafter(previous, -std::numeric_limits<double>::infinity());
            if (!std::isfinite(score))
                return fail(ErrorCode::InvalidArgument, "scores cannot be made strictly decreasing", "query " + qid);
            previous = score;
            out += qid;
            out += " Q0 ";
            out += doc.docId;
            out += ' ';
            out += std::to_string(i + 1);
            out += ' ';
            out += evalio::formatDouble(score);
            out += ' ';
            out += tag;
            out += '\n';
        }
    }
    return out;
}

Result<void> writeTrecRun(const std::string &path, const Run &run, const std::string &tag)
{
    auto text = formatTrecRun(run, tag);
    if (!text)
        return std::unexpected(text.error());
    return evalio::writeTextFile(path, *text);
}

Result<Run> parseTrecRun(std::string_view content, const std::string &source)
{
    Run run;
    std::map<std::string, std::unordered_set<std::string>> seen;
    const auto lines = evalio::splitLines(content);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto fields = evalio::splitWhitespace(lines[i]);
        if (fields.empty())
            continue;
        const std::string where = evalio::lineSource(source, i + 1);
        if (fields.size() != 6)
            return fail(ErrorCode::Parse,
                        "expected 6 fields (qid Q0 docid rank score tag), found " + std::to_string(fields.size()),
                        where);
        double score = 0.0;
        if (!evalio::parseDouble(fields[4], score) || !std::isfinite(score))
            return fail(ErrorCode::Parse, "score \"" + std::string(fields[4]) + "\" is not a finite number", where);
        std::string qid(fields[0]), docId(fields[2]);
        if (!seen[qid].insert(docId).second)
            return fail(ErrorCode::Parse, "doc \"" + docId + "\" listed twice for query \"" + qid + "\"", where);
        run[qid].push_back(ScoredDoc{std::move(docId), score});
    }
    for (auto &[qid, ranking] : run)
        ranking = trecEvalOrder(std::move(ranking));
    return run;
}

Result<Run> readTrecRun(const std::string &path)
{
    auto content = evalio::readTextFile(path);
    if (!content)
        return std::unexpected(content.error());
    return parseTrecRun(*content, path);
}

Result<std::string> formatTrecQrels(const Qrels &qrels)
{
    std::string out;
    for (const auto &[qid, docs] : qrels) {
        if (auto ok = checkToken(qid, "query id", {}); !ok)
            return std::unexpected(ok.error());
        for (const auto &[docId, relevance] : docs) {
            if (auto ok = checkToken(docId, "doc id", qid); !ok)
                return std::unexpected(ok.error());
            out += qid + " 0 " + docId + ' ' + std::to_string(relevance) + '\n';
        }
    }
    return out;
}

Result<void> writeTrecQrels(const std::string &path, const Qrels &qrels)
{
    auto text = formatTrecQrels(qrels);
    if (!text)
        return std::unexpected(text.error());
    return evalio::writeTextFile(path, *text);
}

Result<Qrels> parseTrecQrels(std::string_view content, const std::string &source)
{
    Qrels qrels;
    const auto lines = evalio::splitLines(content);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto fields = evalio::splitWhitespace(lines[i]);
        if (fields.empty())
            continue;
        const std::string where = evalio::lineSource(source, i + 1);
        int relevance = 0;
        if (fields.size() != 4)
            return fail(ErrorCode::Parse,
                        "expected 4 fields (qid iter docid relevance), found " + std::to_string(fields.size()), where);
        if (!evalio::parseInt(fields[3], relevance))
            return fail(ErrorCode::Parse, "relevance \"" + std::string(fields[3]) + "\" is not an integer", where);
        auto &docs = qrels[std::string(fields[0])];
        const auto [it, inserted] = docs.try_emplace(std::string(fields[2]), relevance);
        if (!inserted && it->second != relevance)
            return fail(ErrorCode::Parse, "conflicting judgement for doc \"" + it->first + "\"", where);
    }
    return qrels;
}

Result<Qrels> readTrecQrels(const std::string &path)
{
    auto content = evalio::readTextFile(path);
    if (!content)
        return std::unexpected(content.error());
    return parseTrecQrels(*content, path);
}

} // namespace rag
