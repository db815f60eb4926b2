#pragma once
// ProjectState: one immutable read of the open project for the views: the
// engine snapshot plus each chunk set's chunk count per document. Produced on a
// job thread by readProjectState(), shared read-only with the GUI.
#include "core/workbench.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

namespace rag {

struct ProjectState {
    ProjectSnapshot snapshot;
    // chunk set name -> document id -> chunks
    std::map<std::string, std::unordered_map<std::int64_t, std::int64_t>> chunkCounts;
};

Result<std::shared_ptr<const ProjectState>> readProjectState(const Workbench &workbench);

} // namespace rag
