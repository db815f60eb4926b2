#pragma once
// The HNSW tuning sweep: for each graph degree M, an HNSW graph is built over
// the vectors of a vector index (read back from the project's vector cache) and
// queried at each ef_search; recall@10 is measured against exact (flat) search
// on the same vectors and latency as the median single-query time. Queries are
// a fixed-seed sample of the indexed vectors themselves. Runs on a job thread.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"
#include "core/store/indexcatalog.h"
#include "models/sweeppointmodel.h"

#include <string>
#include <vector>

namespace rag {

struct EfSweepSpec {
    std::string projectPath;
    IndexRecord index;                 // a hnsw or flat variant
    std::vector<int> Ms = {8, 16, 32};
    std::vector<int> efSearch = {10, 20, 40, 80, 160, 320};
    int efConstruction = 100;
    int queries = 200;
};

Result<std::vector<EfSweepPoint>> runEfSweep(const EfSweepSpec &spec, const JobContext &ctx);

} // namespace rag
