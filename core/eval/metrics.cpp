#include "core/eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string_view>

namespace rag {

namespace {

// The relevance facts one query's metrics need, computed once per query.
struct QueryFacts {
    std::vector<int> rels;        // judged relevance per rank (0 unjudged), duplicates removed
    std::vector<int> idealGains;  // positive judged relevances, descending
    long relevantCount = 0;       // judgements >= 1
};

QueryFacts factsFor(const std::map<std::string, int> &judgements, const Ranking &ranking)
{
    QueryFacts facts;
    for (const auto &[docId, relevance] : judgements) {
        if (relevance >= 1) {
            ++facts.relevantCount;
            facts.idealGains.push_back(relevance);
        }
    }
    std::sort(facts.idealGains.begin(), facts.idealGains.end(), std::greater<>());
    // Same rule as withoutDuplicates(), without copying ids or allocating a
    // node per document: sort (hash, position) pairs, and among equal ids
    // keep the earliest position.
    std::vector<std::pair<std::size_t, std::size_t>> keyed(ranking.size());
    const std::hash<std::string_view> hasher;
    for (std::size_t i = 0; i < ranking.size(); ++i)
        keyed[i] = {hasher(ranking[i].docId), i};
    std::sort(keyed.begin(), keyed.end());
    std::vector<char> repeated(ranking.size(), 0);
    for (std::size_t i = 1; i < keyed.size(); ++i) {
        for (std::size_t j = i; j-- > 0 && keyed[j].first == keyed[i].first;) {
            if (ranking[keyed[j].second].docId == ranking[keyed[i].second].docId) {
                repeated[keyed[i].second] = 1;  // keyed[j] has the smaller position
                break;
            }
        }
    }
    facts.rels.reserve(ranking.size());
    for (std::size_t i = 0; i < ranking.size(); ++i) {
        if (repeated[i])
            continue;
        const auto found = judgements.find(ranking[i].docId);
        facts.rels.push_back(found == judgements.end() ? 0 : found->second);
    }
    return facts;
}

std::size_t depth(const QueryFacts &facts, int cutoff)
{
    return cutoff > 0 ? std::min(facts.rels.size(), static_cast<std::size_t>(cutoff)) : facts.rels.size();
}

double ndcg(const QueryFacts &facts, int cutoff)
{
    double dcg = 0.0;
    for (std::size_t i = 0; i < depth(facts, cutoff); ++i)
        if (facts.rels[i] > 0)
            dcg += facts.rels[i] / std::log2(static_cast<double>(i + 2));
    const std::size_t idealDepth = cutoff > 0
        ? std::min(facts.idealGains.size(), static_cast<std::size_t>(cutoff))
        : facts.idealGains.size();
    double ideal = 0.0;
    for (std::size_t i = 0; i < idealDepth; ++i)
        ideal += facts.idealGains[i] / std::log2(static_cast<double>(i + 2));
    return ideal > 0.0 ? dcg / ideal : 0.0;
}

long relevantRetrieved(const QueryFacts &facts, int cutoff)
{
    const std::size_t n = depth(facts, cutoff);
    return std::count_if(facts.rels.begin(), facts.rels.begin() + static_cast<std::ptrdiff_t>(n),
                         [](int rel) { return rel >= 1; });
}

double reciprocalRank(const QueryFacts &facts, int cutoff)
{
    for (std::size_t i = 0; i < depth(facts, cutoff); ++i)
        if (facts.rels[i] >= 1)
            return 1.0 / static_cast<double>(i + 1);
    return 0.0;
}

double averagePrecision(const QueryFacts &facts, int cutoff)
{
    if (facts.relevantCount == 0)
        return 0.0;
    long soFar = 0;
    double sum = 0.0;
    for (std::size_t i = 0; i < depth(facts, cutoff); ++i) {
        if (facts.rels[i] >= 1) {
            ++soFar;
            sum += static_cast<double>(soFar) / static_cast<double>(i + 1);
        }
    }
    return sum / static_cast<double>(facts.relevantCount);
}

double metricValue(const QueryFacts &facts, const MetricSpec &metric)
{
    switch (metric.kind) {
    case MetricSpec::Kind::Ndcg: return ndcg(facts, metric.cutoff);
    case MetricSpec::Kind::Recall:
        return facts.relevantCount == 0 ? 0.0
                                        : static_cast<double>(relevantRetrieved(facts, metric.cutoff))
                / static_cast<double>(facts.relevantCount);
    case MetricSpec::Kind::Precision:
        return static_cast<double>(relevantRetrieved(facts, metric.cutoff)) / static_cast<double>(metric.cutoff);
    case MetricSpec::Kind::Mrr: return reciprocalRank(facts, metric.cutoff);
    case MetricSpec::Kind::Map: return averagePrecision(facts, metric.cutoff);
    case MetricSpec::Kind::Hit: return relevantRetrieved(facts, metric.cutoff) > 0 ? 1.0 : 0.0;
    }
    return 0.0;
}

} // namespace

std::optional<std::size_t> PerQueryMetrics::indexOf(std::string_view metricName) const
{
    for (std::size_t i = 0; i < metrics.size(); ++i)
        if (metrics[i].name() == metricName)
            return i;
    return std::nullopt;
}

std::optional<double> PerQueryMetrics::mean(std::string_view metricName) const
{
    const auto index = indexOf(metricName);
    if (!index || *index >= means.size())
        return std::nullopt;
    return means[*index];
}

std::optional<double> PerQueryMetrics::value(const std::string &queryId, std::string_view metricName) const
{
    const auto index = indexOf(metricName);
    const auto found = perQuery.find(queryId);
    if (!index || found == perQuery.end())
        return std::nullopt;
    return found->second[*index];
}

std::vector<double> evaluateQuery(const std::map<std::string, int> &judgements, const Ranking &ranking,
                                  const std::vector<MetricSpec> &metrics)
{
    const QueryFacts facts = factsFor(judgements, ranking);
    std::vector<double> values;
    values.reserve(metrics.size());
    for (const MetricSpec &metric : metrics)
        values.push_back(metricValue(facts, metric));
    return values;
}

PerQueryMetrics evaluate(const Qrels &qrels, const Run &run, const std::vector<MetricSpec> &metrics,
                         const EvalOptions &options)
{
    PerQueryMetrics result;
    result.metrics = metrics;
    result.means.assign(metrics.size(), 0.0);
    static const Ranking kEmpty;
    for (const auto &[qid, judgements] : qrels) {
        const bool anyRelevant = std::any_of(judgements.begin(), judgements.end(),
                                             [](const auto &judgement) { return judgement.second >= 1; });
        if (!anyRelevant) {
            result.withoutRelevant.push_back(qid);
            if (!options.includeQueriesWithoutRelevant)
                continue;
        }
        const auto ranking = run.find(qid);
        const bool retrieved = ranking != run.end() && !ranking->second.empty();
        if (!retrieved)
            result.withoutResults.push_back(qid);
        result.perQuery.emplace(qid, evaluateQuery(judgements, retrieved ? ranking->second : kEmpty, metrics));
    }
    for (const auto &[qid, ranking] : run)
        if (!qrels.contains(qid))
            result.notInQrels.push_back(qid);

    if (!result.perQuery.empty()) {
        for (const auto &[qid, values] : result.perQuery)
            for (std::size_t i = 0; i < values.size(); ++i)
                result.means[i] += values[i];
        for (double &mean : result.means)
            mean /= static_cast<double>(result.perQuery.size());
    }
    return result;
}

} // namespace rag
