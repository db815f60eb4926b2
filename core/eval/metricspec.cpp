#include "core/eval/metricspec.h"

#include "core/eval/textfile.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace rag {

namespace {

constexpr int kMaxCutoff = 100'000'000;

struct KindName {
    std::string_view name;
    MetricSpec::Kind kind;
};

constexpr std::array<KindName, 12> kKindNames{{
    {"ndcg", MetricSpec::Kind::Ndcg},
    {"ndcg_cut", MetricSpec::Kind::Ndcg},
    {"recall", MetricSpec::Kind::Recall},
    {"p", MetricSpec::Kind::Precision},
    {"precision", MetricSpec::Kind::Precision},
    {"mrr", MetricSpec::Kind::Mrr},
    {"recip_rank", MetricSpec::Kind::Mrr},
    {"map", MetricSpec::Kind::Map},
    {"map_cut", MetricSpec::Kind::Map},
    {"hit", MetricSpec::Kind::Hit},
    {"success", MetricSpec::Kind::Hit},
    {"hits", MetricSpec::Kind::Hit},
}};

bool needsCutoff(MetricSpec::Kind kind)
{
    return kind == MetricSpec::Kind::Precision || kind == MetricSpec::Kind::Hit;
}

} // namespace

Result<MetricSpec> MetricSpec::parse(std::string_view name)
{
    const std::string original(name);
    std::string lower;
    for (char c : evalio::trim(name))
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto bad = [&](const std::string &why) {
        return fail(ErrorCode::InvalidArgument, "unknown metric \"" + original + "\": " + why, "metric " + original);
    };

    // "ndcg@10" or trec_eval's "ndcg_cut.10" / "P.10" / "success.10".
    std::string_view base = lower;
    std::string_view cutoffText;
    if (const auto at = base.find('@'); at != std::string_view::npos) {
        cutoffText = base.substr(at + 1);
        base = base.substr(0, at);
        if (cutoffText.empty())
            return bad("missing cutoff after '@'");
    } else if (const auto dot = base.find('.'); dot != std::string_view::npos) {
        cutoffText = base.substr(dot + 1);
        base = base.substr(0, dot);
        if (cutoffText.empty())
            return bad("missing cutoff after '.'");
    }

    const auto known = std::find_if(kKindNames.begin(), kKindNames.end(),
                                    [&](const KindName &entry) { return entry.name == base; });
    if (known == kKindNames.end())
        return bad("expected one of ndcg@k, recall@k, p@k, mrr, map, hit@k");

    MetricSpec spec;
    spec.kind = known->kind;
    if (!cutoffText.empty()) {
        if (!evalio::parseInt(cutoffText, spec.cutoff) || spec.cutoff < 1 || spec.cutoff > kMaxCutoff
            || cutoffText.front() == '+')
            return bad("cutoff must be a whole number from 1 to " + std::to_string(kMaxCutoff));
    }
    if (spec.cutoff == 0 && (needsCutoff(spec.kind) || base.ends_with("_cut")))
        return bad("this metric needs a cutoff, e.g. \"" + std::string(base) + "@10\"");
    return spec;
}

std::string MetricSpec::name() const
{
    std::string base;
    switch (kind) {
    case Kind::Ndcg: base = "ndcg"; break;
    case Kind::Recall: base = "recall"; break;
    case Kind::Precision: base = "p"; break;
    case Kind::Mrr: base = "mrr"; break;
    case Kind::Map: base = "map"; break;
    case Kind::Hit: base = "hit"; break;
    }
    return cutoff > 0 ? base + "@" + std::to_string(cutoff) : base;
}

} // namespace rag
