#include "core/eval/evalset.h"

#include "core/common/hashing.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string_view>
#include <unordered_set>

namespace rag {

Ranking withoutDuplicates(const Ranking &ranking)
{
    Ranking unique;
    unique.reserve(ranking.size());
    std::unordered_set<std::string_view> seen;
    seen.reserve(ranking.size());
    for (const ScoredDoc &doc : ranking)
        if (seen.insert(doc.docId).second)
            unique.push_back(doc);
    return unique;
}

std::size_t EvalSet::judgementCount() const
{
    std::size_t count = 0;
    for (const auto &[qid, docs] : qrels)
        count += docs.size();
    return count;
}

std::string EvalSet::hash() const
{
    // JSON arrays give an unambiguous, escape-safe serialisation: no separator
    // character inside an id or a query text can make two sets collide.
    std::vector<const EvalQuery *> sorted;
    sorted.reserve(queries.size());
    for (const EvalQuery &query : queries)
        sorted.push_back(&query);
    std::sort(sorted.begin(), sorted.end(), [](const EvalQuery *a, const EvalQuery *b) {
        return a->id != b->id ? a->id < b->id : a->text < b->text;
    });

    nlohmann::json queryArray = nlohmann::json::array();
    for (const EvalQuery *query : sorted)
        queryArray.push_back({query->id, query->text});
    nlohmann::json qrelArray = nlohmann::json::array();
    for (const auto &[qid, docs] : qrels)  // std::map: already sorted
        for (const auto &[docId, relevance] : docs)
            qrelArray.push_back({qid, docId, relevance});

    const nlohmann::json canonical = {{"format", "ragwb-evalset-v1"},
                                      {"queries", std::move(queryArray)},
                                      {"qrels", std::move(qrelArray)}};
    return sha256Hex(canonical.dump());
}

} // namespace rag
