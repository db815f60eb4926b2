#pragma once
// A parameter sweep: a grid over chunking (size, overlap, strategy) and
// retrieval (lane, RRF k, fusion weight, top-k) evaluated on one stored eval
// set, one immutable run per point. Each point goes through preparePipeline,
// so a chunk set, BM25 index or vector index (and every cached embedding) that
// an earlier point built is reused, not rebuilt: a grid over retrieval
// parameters costs queries only. Runs on a job thread with the Project it opened.
#include "core/common/result.h"
#include "core/config/pipelineconfig.h"
#include "core/jobs/jobcontext.h"
#include "core/pipeline/evaluation.h"
#include "core/store/evalrepository.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace rag {

class Project;

// An empty dimension keeps the base config's value.
struct SweepGrid {
    std::vector<std::int64_t> chunkSizes;
    std::vector<std::int64_t> chunkOverlaps;
    std::vector<std::string> strategies;   // chunkStrategyName values
    std::vector<Lane> lanes;
    std::vector<int> rrfKs;
    std::vector<double> alphas;            // dense weight in weighted fusion
    std::vector<int> topKs;
};

struct SweepPointConfig {
    PipelineConfig pipeline;
    std::string label;                     // "size=500 overlap=50 lane=hybrid": the swept values only
};

struct SweepPlan {
    std::vector<SweepPointConfig> points;  // grid order: size, overlap, strategy, lane, rrf k, alpha, top-k
    std::vector<std::string> skipped;      // invalid combinations (e.g. overlap >= size), with the reason
};

// Expands the grid over `base`. A lane other than bm25 uses `base.embedder`
// (InvalidArgument when it is empty); the bm25 lane drops the embedder so its
// config hash does not depend on it.
Result<SweepPlan> planSweep(const PipelineConfig &base, const SweepGrid &grid);

struct SweepRun {
    SweepPointConfig point;
    std::int64_t runId = 0;
    std::map<std::string, double> metrics;
    std::map<std::string, double> timingsMs;
};

// Runs every point of the plan on the stored set (metrics, depth and label
// prefix from `common`; its pipeline is ignored). onPoint is called after each
// recorded run. Cancellation stops at the current point: the runs already
// recorded stay, the interrupted one is not recorded.
Result<std::vector<SweepRun>> runSweep(const Project &project, const StoredEvalSet &set, const SweepPlan &plan,
                                       const StoredEvalSpec &common, const JobContext &ctx,
                                       const std::function<void(const SweepRun &)> &onPoint = {});

} // namespace rag
