#include "core/pipeline/sweep.h"

#include "core/chunking/chunkerconfig.h"

#include <sstream>

namespace rag {

namespace {

// The values of one dimension, or the single "keep the base" marker.
template <typename T>
std::vector<std::optional<T>> axis(const std::vector<T> &values)
{
    if (values.empty())
        return {std::nullopt};
    return {values.begin(), values.end()};
}

std::string shortNumber(double value)
{
    std::ostringstream out;
    out << value;
    return out.str();
}

} // namespace

Result<SweepPlan> planSweep(const PipelineConfig &base, const SweepGrid &grid)
{
    auto baseChunker = ChunkerConfig::fromJsonText(base.chunkerJson);
    if (!baseChunker)
        return std::unexpected(baseChunker.error());
    SweepPlan plan;
    for (const auto &size : axis(grid.chunkSizes))
    for (const auto &overlap : axis(grid.chunkOverlaps))
    for (const auto &strategy : axis(grid.strategies))
    for (const auto &lane : axis(grid.lanes))
    for (const auto &rrfK : axis(grid.rrfKs))
    for (const auto &alpha : axis(grid.alphas))
    for (const auto &topK : axis(grid.topKs)) {
        ChunkerConfig chunker = *baseChunker;
        SweepPointConfig point{base, {}};
        auto note = [&](const std::string &text) { point.label += (point.label.empty() ? "" : " ") + text; };
        if (size) {
            chunker.size = *size;
            note("size=" + std::to_string(*size));
        }
        if (overlap) {
            chunker.overlap = *overlap;
            note("overlap=" + std::to_string(*overlap));
        }
        if (strategy) {
            const auto parsed = chunkStrategyFromName(*strategy);
            if (!parsed)
                return fail(ErrorCode::InvalidArgument, "unknown chunk strategy '" + *strategy + "'", "--strategies");
            chunker.strategy = *parsed;
            note("strategy=" + *strategy);
        }
        if (lane) {
            point.pipeline.lane = *lane;
            note(std::string("lane=") + laneName(*lane));
        }
        if (rrfK) {
            point.pipeline.rrfK = *rrfK;
            note("rrf_k=" + std::to_string(*rrfK));
        }
        if (alpha) {
            point.pipeline.alpha = *alpha;
            note("alpha=" + shortNumber(*alpha));
        }
        if (topK) {
            point.pipeline.topK = *topK;
            note("top_k=" + std::to_string(*topK));
        }
        if (point.pipeline.lane == Lane::Keyword)
            point.pipeline.embedder.clear();
        else if (point.pipeline.embedder.empty())
            return fail(ErrorCode::InvalidArgument, "a dense or hybrid point needs an embedder", "--embedder");
        if (auto ok = chunker.validate(); !ok) {
            plan.skipped.push_back(point.label + ": " + ok.error().detail);
            continue;
        }
        point.pipeline.chunkerJson = chunker.canonicalJson();
        if (auto ok = point.pipeline.validate(); !ok) {
            plan.skipped.push_back(point.label + ": " + ok.error().message());
            continue;
        }
        plan.points.push_back(std::move(point));
    }
    return plan;
}

Result<std::vector<SweepRun>> runSweep(const Project &project, const StoredEvalSet &set, const SweepPlan &plan,
                                       const StoredEvalSpec &common, const JobContext &ctx,
                                       const std::function<void(const SweepRun &)> &onPoint)
{
    std::vector<SweepRun> runs;
    for (const SweepPointConfig &point : plan.points) {
        if (ctx.cancelled())
            return fail(ErrorCode::Cancelled, "sweep cancelled after " + std::to_string(runs.size()) + " of "
                                                  + std::to_string(plan.points.size()) + " points");
        StoredEvalSpec spec = common;
        spec.pipeline = point.pipeline;
        spec.label = (common.label.empty() ? std::string("sweep") : common.label) + " " + point.label;
        auto outcome = evaluateStoredSet(project, set, spec, ctx);
        if (!outcome)
            return std::unexpected(outcome.error());
        SweepRun run{point, outcome->runId, outcome->report.metrics, outcome->report.timingsMs};
        if (onPoint)
            onPoint(run);
        runs.push_back(std::move(run));
    }
    return runs;
}

} // namespace rag
