#include "core/pipeline/runcomparison.h"

#include "core/eval/metricspec.h"
#include "core/pipeline/evalsetimport.h"
#include "core/store/project.h"

#include <algorithm>
#include <set>

namespace rag {

namespace {

void collectChanges(const nlohmann::json &a, const nlohmann::json &b, const std::string &path,
                    std::vector<std::string> &out)
{
    if (a.is_object() && b.is_object()) {
        std::set<std::string> keys;
        for (const auto &[key, value] : a.items())
            keys.insert(key);
        for (const auto &[key, value] : b.items())
            keys.insert(key);
        for (const std::string &key : keys) {
            // Derived identities restate what the leaves already show.
            if (path.empty() && (key == "config_hash" || key == "chunk_set" || key == "dense_index"))
                continue;
            static const nlohmann::json absent;
            const auto ia = a.find(key);
            const auto ib = b.find(key);
            collectChanges(ia == a.end() ? absent : *ia, ib == b.end() ? absent : *ib,
                           path.empty() ? key : path + "." + key, out);
        }
        return;
    }
    if (a != b)
        out.push_back(path + ": " + (a.is_null() ? "none" : a.dump()) + " -> " + (b.is_null() ? "none" : b.dump()));
}

// Top-k ranks of a report's kept ranking for one query.
std::map<std::string, int> topRanks(const EvalReport &report, const std::string &qid, int k)
{
    std::map<std::string, int> ranks;
    const auto found = report.rankings.find(qid);
    if (found == report.rankings.end())
        return ranks;
    for (std::size_t i = 0; i < found->second.size() && int(i) < k; ++i)
        ranks.emplace(found->second[i].docId, int(i) + 1);
    return ranks;
}

QueryDrillDown drillDownQuery(const EvalReport &a, const EvalReport &b, const std::map<std::string, int> &judged,
                              const std::string &qid, const std::string &metric, int k)
{
    QueryDrillDown q;
    q.queryId = qid;
    q.valueA = a.perQuery.at(qid).at(metric);
    q.valueB = b.perQuery.at(qid).at(metric);
    q.delta = q.valueB - q.valueA;
    const auto ranksA = topRanks(a, qid, k);
    const auto ranksB = topRanks(b, qid, k);
    std::set<std::string> docs;
    for (const auto &[doc, rank] : ranksA)
        docs.insert(doc);
    for (const auto &[doc, rank] : ranksB)
        docs.insert(doc);
    for (const std::string &doc : docs) {
        RankMove move;
        move.docId = doc;
        const auto rel = judged.find(doc);
        move.relevance = rel == judged.end() ? 0 : rel->second;
        if (const auto it = ranksA.find(doc); it != ranksA.end())
            move.rankA = it->second;
        if (const auto it = ranksB.find(doc); it != ranksB.end())
            move.rankB = it->second;
        if (move.relevance >= 1 && move.rankB && !move.rankA)
            q.entered.push_back(doc);
        if (move.relevance >= 1 && move.rankA && !move.rankB)
            q.left.push_back(doc);
        q.moves.push_back(std::move(move));
    }
    auto bestRank = [](const RankMove &m) { return std::min(m.rankA.value_or(1 << 30), m.rankB.value_or(1 << 30)); };
    std::stable_sort(q.moves.begin(), q.moves.end(), [&](const RankMove &x, const RankMove &y) {
        if ((x.relevance >= 1) != (y.relevance >= 1))
            return x.relevance >= 1;
        return bestRank(x) < bestRank(y);
    });
    return q;
}

} // namespace

Result<std::vector<RunSummary>> listRuns(const Project &project)
{
    auto runs = EvalRepository(project.db()).runs();
    if (!runs)
        return std::unexpected(runs.error());
    std::vector<RunSummary> out;
    for (const RunRecord &r : *runs) {
        RunSummary s{r.id, r.label, r.createdAt, r.configHash, r.evalSetId, r.evalSetHash, r.engineVersion, {}, {}};
        try {
            s.config = nlohmann::json::parse(r.configJson);
            const nlohmann::json metrics = nlohmann::json::parse(r.metricsJson);
            for (const auto &[name, value] : metrics.items())
                if (value.is_number())
                    s.metrics[name] = value.get<double>();
        } catch (const nlohmann::json::exception &e) {
            return fail(ErrorCode::Parse, e.what(), "run " + std::to_string(r.id));
        }
        out.push_back(std::move(s));
    }
    return out;
}

Result<EvalReport> runReport(const Project &project, std::int64_t runId)
{
    auto run = EvalRepository(project.db()).run(runId);
    if (!run)
        return std::unexpected(run.error());
    return EvalReport::fromJsonText(run->reportJson, "run " + std::to_string(runId));
}

std::vector<std::string> configChanges(const nlohmann::json &baseline, const nlohmann::json &candidate)
{
    std::vector<std::string> out;
    collectChanges(baseline, candidate, {}, out);
    return out;
}

std::vector<MetricEstimate> metricEstimates(const EvalReport &report, const PairedTestOptions &options)
{
    std::vector<MetricEstimate> out;
    for (const std::string &metric : report.metricNames) {
        std::vector<double> values;
        for (const auto &[qid, row] : report.perQuery)
            if (const auto it = row.find(metric); it != row.end())
                values.push_back(it->second);
        MetricEstimate e{metric, report.metrics.count(metric) ? report.metrics.at(metric) : 0.0, 0.0, 0.0, values.size()};
        if (!values.empty())
            std::tie(e.ciLow, e.ciHigh) = bootstrapMeanCi(values, options.bootstrapResamples, options.alpha, options.seed);
        out.push_back(std::move(e));
    }
    return out;
}

Result<RunComparison> compareEvalReports(const EvalReport &baseline, const EvalReport &candidate,
                                         const PairedTestOptions &options)
{
    auto comparisons = compareReports(baseline, candidate, options);
    if (!comparisons)
        return std::unexpected(comparisons.error());
    RunComparison out;
    out.changes = configChanges(nlohmann::json::parse(baseline.config.dump()),
                                nlohmann::json::parse(candidate.config.dump()));
    for (MetricComparison &c : *comparisons) {
        const Verdict verdict = verdictOf(c.test);
        out.metrics.push_back(MetricDelta{std::move(c), verdict});
    }
    return out;
}

Result<RunComparison> compareRuns(const Project &project, std::int64_t baselineId, std::int64_t candidateId,
                                  const PairedTestOptions &options)
{
    auto a = runReport(project, baselineId);
    if (!a)
        return std::unexpected(a.error());
    auto b = runReport(project, candidateId);
    if (!b)
        return std::unexpected(b.error());
    auto out = compareEvalReports(*a, *b, options);
    if (!out)
        return std::unexpected(out.error());
    out->baselineId = baselineId;
    out->candidateId = candidateId;
    return out;
}

std::vector<QueryDrillDown> drillDown(const EvalReport &a, const EvalReport &b, const EvalSet &set,
                                      const std::string &metric, int k)
{
    std::map<std::string, std::string> texts;
    for (const EvalQuery &q : set.queries)
        texts[q.id] = q.text;
    static const std::map<std::string, int> unjudged;
    std::vector<QueryDrillDown> out;
    for (const auto &[qid, rowA] : a.perQuery) {
        const auto rowB = b.perQuery.find(qid);
        if (rowB == b.perQuery.end() || !rowA.count(metric) || !rowB->second.count(metric))
            continue;
        const auto judged = set.qrels.find(qid);
        QueryDrillDown q = drillDownQuery(a, b, judged == set.qrels.end() ? unjudged : judged->second, qid, metric, k);
        if (const auto text = texts.find(qid); text != texts.end())
            q.queryText = text->second;
        out.push_back(std::move(q));
    }
    std::stable_sort(out.begin(), out.end(), [](const QueryDrillDown &x, const QueryDrillDown &y) {
        return x.delta < y.delta;  // perQuery is a map: ties stay in query id order
    });
    return out;
}

Result<std::vector<QueryDrillDown>> drillDownRuns(const Project &project, std::int64_t runA, std::int64_t runB,
                                                  const std::string &metric, int k)
{
    EvalRepository evals(project.db());
    auto a = runReport(project, runA);
    if (!a)
        return std::unexpected(a.error());
    auto b = runReport(project, runB);
    if (!b)
        return std::unexpected(b.error());
    if (a->evalSet.hash != b->evalSet.hash)
        return fail(ErrorCode::Mismatch, "the runs were measured on different eval sets");
    auto record = evals.run(runA);
    if (!record)
        return std::unexpected(record.error());
    auto stored = loadEvalSet(project, record->evalSetId);
    if (!stored)
        return std::unexpected(stored.error());
    return drillDown(*a, *b, documentLevelSet(*stored), metric, k);
}

const nlohmann::json *jsonAtPath(const nlohmann::json &object, const std::string &dottedPath)
{
    const nlohmann::json *at = &object;
    std::size_t begin = 0;
    while (begin <= dottedPath.size()) {
        const std::size_t dot = std::min(dottedPath.find('.', begin), dottedPath.size());
        const std::string key = dottedPath.substr(begin, dot - begin);
        if (!at->is_object() || !at->contains(key))
            return nullptr;
        at = &(*at)[key];
        begin = dot + 1;
    }
    return at;
}

Result<SweepSeries> sweepSeries(const Project &project, const std::vector<std::int64_t> &runIds,
                                const std::string &parameter, const std::string &metric,
                                const PairedTestOptions &options)
{
    SweepSeries series{parameter, metric, {}, {}};
    for (const std::int64_t id : runIds) {
        auto report = runReport(project, id);
        if (!report)
            return std::unexpected(report.error());
        const nlohmann::json config = nlohmann::json::parse(report->config.dump());
        const nlohmann::json *value = jsonAtPath(config, parameter);
        if (!value)
            return fail(ErrorCode::NotFound, "run " + std::to_string(id) + " has no config field \"" + parameter + "\"");
        const auto estimates = metricEstimates(*report, options);
        const auto found = std::find_if(estimates.begin(), estimates.end(),
                                        [&](const MetricEstimate &e) { return e.metric == metric; });
        if (found == estimates.end())
            return fail(ErrorCode::InvalidArgument, "run " + std::to_string(id) + " has no metric " + metric);
        series.points.push_back(SweepPoint{id, *value, *found});
    }
    std::stable_sort(series.points.begin(), series.points.end(),
                     [](const SweepPoint &x, const SweepPoint &y) { return x.value < y.value; });
    for (std::size_t i = 0; i < series.points.size(); ++i)
        if (!series.best || series.points[i].estimate.mean > series.points[*series.best].estimate.mean)
            series.best = i;
    return series;
}

} // namespace rag
