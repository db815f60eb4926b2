#include "core/eval/evalreport.h"

#include "core/eval/textfile.h"

#include <cmath>

namespace rag {

namespace {

using Json = nlohmann::ordered_json;

// Reads typed fields out of a report JSON, naming the field path on failure.
class FieldReader {
public:
    explicit FieldReader(std::string source) : m_source(std::move(source)) {}

    std::unexpected<Error> error(const std::string &field, const std::string &what) const
    {
        return fail(ErrorCode::Parse, what, m_source.empty() ? field : m_source + ": " + field);
    }

    Result<const Json *> member(const Json &object, const std::string &key, const std::string &path,
                                bool required) const
    {
        const auto found = object.find(key);
        if (found == object.end()) {
            if (required)
                return error(path, "missing field");
            return static_cast<const Json *>(nullptr);
        }
        return &*found;
    }

    Result<double> number(const Json &value, const std::string &path) const
    {
        if (!value.is_number())
            return error(path, "expected a number");
        const double number = value.get<double>();
        if (!std::isfinite(number))
            return error(path, "expected a finite number");
        return number;
    }

    Result<std::string> string(const Json &value, const std::string &path) const
    {
        if (!value.is_string())
            return error(path, "expected a string");
        return value.get<std::string>();
    }

    Result<std::size_t> count(const Json &value, const std::string &path) const
    {
        if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<long long>() >= 0))
            return error(path, "expected a non-negative integer");
        return value.get<std::size_t>();
    }

    // {"name": number, ...} keeping key order in `order` when given.
    Result<std::map<std::string, double>> numberMap(const Json &value, const std::string &path,
                                                    std::vector<std::string> *order = nullptr) const
    {
        if (!value.is_object())
            return error(path, "expected an object");
        std::map<std::string, double> out;
        for (const auto &[key, item] : value.items()) {
            auto number = this->number(item, path + "." + key);
            if (!number)
                return std::unexpected(number.error());
            out[key] = *number;
            if (order)
                order->push_back(key);
        }
        return out;
    }

private:
    std::string m_source;
};

#define RAG_TRY_ASSIGN(target, expr)                                                                               \
    do {                                                                                                           \
        auto ragTryValue = (expr);                                                                                 \
        if (!ragTryValue)                                                                                          \
            return std::unexpected(ragTryValue.error());                                                           \
        target = std::move(*ragTryValue);                                                                          \
    } while (false)

Result<void> readEvalSet(const FieldReader &reader, const Json &json, EvalSetInfo &info)
{
    if (!json.is_object())
        return reader.error("eval_set", "expected an object");
    const std::pair<const char *, std::string *> fields[] = {
        {"name", &info.name}, {"hash", &info.hash}, {"split", &info.split}};
    for (const auto &[key, target] : fields) {
        const Json *value = nullptr;
        RAG_TRY_ASSIGN(value, reader.member(json, key, std::string("eval_set.") + key, true));
        RAG_TRY_ASSIGN(*target, reader.string(*value, std::string("eval_set.") + key));
    }
    return {};
}

Result<void> readCounts(const FieldReader &reader, const Json &json, EvalCounts &counts)
{
    if (!json.is_object())
        return reader.error("counts", "expected an object");
    const std::pair<const char *, std::size_t *> fields[] = {{"evaluated", &counts.evaluated},
                                                             {"without_results", &counts.withoutResults},
                                                             {"without_relevant", &counts.withoutRelevant},
                                                             {"not_in_qrels", &counts.notInQrels}};
    for (const auto &[key, target] : fields) {
        const Json *value = nullptr;
        RAG_TRY_ASSIGN(value, reader.member(json, key, std::string("counts.") + key, false));
        if (value)
            RAG_TRY_ASSIGN(*target, reader.count(*value, std::string("counts.") + key));
    }
    return {};
}

Result<Run> readRankings(const FieldReader &reader, const Json &json)
{
    if (!json.is_object())
        return reader.error("rankings", "expected an object");
    Run rankings;
    for (const auto &[qid, list] : json.items()) {
        const std::string path = "rankings." + qid;
        if (!list.is_array())
            return reader.error(path, "expected an array");
        Ranking &ranking = rankings[qid];
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string itemPath = path + "[" + std::to_string(i) + "]";
            if (!list[i].is_object())
                return reader.error(itemPath, "expected an object");
            const Json *doc = nullptr;
            const Json *score = nullptr;
            RAG_TRY_ASSIGN(doc, reader.member(list[i], "doc", itemPath + ".doc", true));
            RAG_TRY_ASSIGN(score, reader.member(list[i], "score", itemPath + ".score", true));
            ScoredDoc scored;
            RAG_TRY_ASSIGN(scored.docId, reader.string(*doc, itemPath + ".doc"));
            RAG_TRY_ASSIGN(scored.score, reader.number(*score, itemPath + ".score"));
            ranking.push_back(std::move(scored));
        }
    }
    return rankings;
}

Result<void> readPerQuery(const FieldReader &reader, const Json &json, EvalReport &report)
{
    if (!json.is_object())
        return reader.error("per_query", "expected an object");
    for (const auto &[qid, values] : json.items())
        RAG_TRY_ASSIGN(report.perQuery[qid], reader.numberMap(values, "per_query." + qid));
    return {};
}

} // namespace

EvalReport EvalReport::fromMetrics(const EvalSet &set, const PerQueryMetrics &metrics, const Run &run,
                                   std::size_t keepTop)
{
    EvalReport report;
    for (std::size_t i = 0; i < metrics.metrics.size(); ++i) {
        const std::string name = metrics.metrics[i].name();
        report.metricNames.push_back(name);
        report.metrics[name] = metrics.means[i];
    }
    for (const auto &[qid, values] : metrics.perQuery) {
        auto &row = report.perQuery[qid];
        for (std::size_t i = 0; i < values.size(); ++i)
            row[report.metricNames[i]] = values[i];
        if (const auto ranking = run.find(qid); ranking != run.end() && keepTop > 0) {
            Ranking top = withoutDuplicates(ranking->second);
            if (top.size() > keepTop)
                top.resize(keepTop);
            report.rankings[qid] = std::move(top);
        }
    }
    report.queries = metrics.evaluatedQueries();
    report.counts = EvalCounts{metrics.evaluatedQueries(), metrics.withoutResults.size(),
                               metrics.withoutRelevant.size(), metrics.notInQrels.size()};
    report.evalSet = EvalSetInfo{set.name, set.hash(), set.split};
    return report;
}

namespace {

Json optionalJson(const std::optional<int> &value)
{
    return value ? Json(*value) : Json(nullptr);
}

Json optionalJson(const std::optional<double> &value)
{
    return value ? Json(*value) : Json(nullptr);
}

Json retrievedToJson(const std::map<std::string, std::vector<RetrievedChunk>> &retrieved)
{
    Json out = Json::object();
    for (const auto &[qid, chunks] : retrieved) {
        Json list = Json::array();
        for (const RetrievedChunk &c : chunks)
            list.push_back({{"chunk", c.chunkId}, {"doc", c.docId}, {"rank", c.rank}, {"score", c.score},
                            {"keyword_rank", optionalJson(c.keywordRank)}, {"keyword_score", optionalJson(c.keywordScore)},
                            {"dense_rank", optionalJson(c.denseRank)}, {"dense_score", optionalJson(c.denseScore)}});
        out[qid] = std::move(list);
    }
    return out;
}

Result<std::map<std::string, std::vector<RetrievedChunk>>> readRetrieved(const FieldReader &reader, const Json &value)
{
    if (!value.is_object())
        return reader.error("retrieved", "expected an object");
    std::map<std::string, std::vector<RetrievedChunk>> out;
    for (const auto &[qid, list] : value.items()) {
        const std::string path = "retrieved." + qid;
        if (!list.is_array())
            return reader.error(path, "expected an array");
        auto &chunks = out[qid];
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Json &item = list[i];
            const std::string itemPath = path + "." + std::to_string(i);
            if (!item.is_object() || !item.value("chunk", Json()).is_number_integer()
                || !item.value("doc", Json()).is_string() || !item.value("rank", Json()).is_number_integer()
                || !item.value("score", Json()).is_number())
                return reader.error(itemPath, "expected chunk, doc, rank and score");
            RetrievedChunk c;
            c.chunkId = item["chunk"].get<std::int64_t>();
            c.docId = item["doc"].get<std::string>();
            c.rank = item["rank"].get<int>();
            c.score = item["score"].get<double>();
            if (item.value("keyword_rank", Json()).is_number_integer())
                c.keywordRank = item["keyword_rank"].get<int>();
            if (item.value("keyword_score", Json()).is_number())
                c.keywordScore = item["keyword_score"].get<double>();
            if (item.value("dense_rank", Json()).is_number_integer())
                c.denseRank = item["dense_rank"].get<int>();
            if (item.value("dense_score", Json()).is_number())
                c.denseScore = item["dense_score"].get<double>();
            chunks.push_back(std::move(c));
        }
    }
    return out;
}

} // namespace

nlohmann::ordered_json EvalReport::toJson() const
{
    Json json = Json::object();
    Json means = Json::object();
    for (const std::string &name : metricNames)
        if (const auto found = metrics.find(name); found != metrics.end())
            means[name] = found->second;
    for (const auto &[name, value] : metrics)  // any mean not named in metricNames
        if (!means.contains(name))
            means[name] = value;
    json["metrics"] = std::move(means);
    json["queries"] = queries;

    Json perQueryJson = Json::object();
    for (const auto &[qid, values] : perQuery) {
        Json row = Json::object();
        for (const std::string &name : metricNames)
            if (const auto found = values.find(name); found != values.end())
                row[name] = found->second;
        for (const auto &[name, value] : values)
            if (!row.contains(name))
                row[name] = value;
        perQueryJson[qid] = std::move(row);
    }
    json["per_query"] = std::move(perQueryJson);
    json["eval_set"] = {{"name", evalSet.name}, {"hash", evalSet.hash}, {"split", evalSet.split}};
    json["config"] = config;
    json["engine_version"] = engineVersion;
    Json timings = Json::object();
    for (const auto &[stage, ms] : timingsMs)
        timings[stage] = ms;
    json["timings_ms"] = std::move(timings);
    json["counts"] = {{"evaluated", counts.evaluated},
                      {"without_results", counts.withoutResults},
                      {"without_relevant", counts.withoutRelevant},
                      {"not_in_qrels", counts.notInQrels}};
    Json rankingJson = Json::object();
    for (const auto &[qid, ranking] : rankings) {
        Json list = Json::array();
        for (const ScoredDoc &doc : ranking)
            list.push_back({{"doc", doc.docId}, {"score", doc.score}});
        rankingJson[qid] = std::move(list);
    }
    json["rankings"] = std::move(rankingJson);
    if (!retrieved.empty())
        json["retrieved"] = retrievedToJson(retrieved);
    return json;
}

std::string EvalReport::toJsonText(int indent) const
{
    return toJson().dump(indent) + "\n";
}

Result<EvalReport> EvalReport::fromJson(const nlohmann::ordered_json &json, const std::string &source)
{
    const FieldReader reader(source);
    if (!json.is_object())
        return reader.error("(top level)", "expected an object");
    EvalReport report;
    const Json *field = nullptr;

    RAG_TRY_ASSIGN(field, reader.member(json, "metrics", "metrics", true));
    RAG_TRY_ASSIGN(report.metrics, reader.numberMap(*field, "metrics", &report.metricNames));
    RAG_TRY_ASSIGN(field, reader.member(json, "queries", "queries", true));
    RAG_TRY_ASSIGN(report.queries, reader.count(*field, "queries"));
    RAG_TRY_ASSIGN(field, reader.member(json, "per_query", "per_query", true));
    if (auto ok = readPerQuery(reader, *field, report); !ok)
        return std::unexpected(ok.error());
    if (report.perQuery.size() != report.queries)
        return reader.error("queries", "says " + std::to_string(report.queries) + " but per_query has "
                                           + std::to_string(report.perQuery.size()) + " entries");
    RAG_TRY_ASSIGN(field, reader.member(json, "eval_set", "eval_set", true));
    if (auto ok = readEvalSet(reader, *field, report.evalSet); !ok)
        return std::unexpected(ok.error());
    RAG_TRY_ASSIGN(field, reader.member(json, "engine_version", "engine_version", true));
    RAG_TRY_ASSIGN(report.engineVersion, reader.string(*field, "engine_version"));

    RAG_TRY_ASSIGN(field, reader.member(json, "config", "config", false));
    if (field) {
        if (!field->is_object())
            return reader.error("config", "expected an object");
        report.config = *field;
    }
    RAG_TRY_ASSIGN(field, reader.member(json, "timings_ms", "timings_ms", false));
    if (field)
        RAG_TRY_ASSIGN(report.timingsMs, reader.numberMap(*field, "timings_ms"));
    report.counts.evaluated = report.queries;
    RAG_TRY_ASSIGN(field, reader.member(json, "counts", "counts", false));
    if (field) {
        if (auto ok = readCounts(reader, *field, report.counts); !ok)
            return std::unexpected(ok.error());
    }
    RAG_TRY_ASSIGN(field, reader.member(json, "rankings", "rankings", false));
    if (field)
        RAG_TRY_ASSIGN(report.rankings, readRankings(reader, *field));
    RAG_TRY_ASSIGN(field, reader.member(json, "retrieved", "retrieved", false));
    if (field)
        RAG_TRY_ASSIGN(report.retrieved, readRetrieved(reader, *field));
    return report;
}

Result<EvalReport> EvalReport::fromJsonText(std::string_view text, const std::string &source)
{
    Json json;
    try {
        json = Json::parse(text);
    } catch (const nlohmann::json::exception &ex) {
        return fail(ErrorCode::Parse, ex.what(), source);
    }
    return fromJson(json, source);
}

Result<void> EvalReport::save(const std::string &path) const
{
    return evalio::writeTextFile(path, toJsonText());
}

Result<EvalReport> EvalReport::load(const std::string &path)
{
    auto text = evalio::readTextFile(path);
    if (!text)
        return std::unexpected(text.error());
    return fromJsonText(*text, path);
}

} // namespace rag

#undef RAG_TRY_ASSIGN
