#include "ui/projectstate.h"

#include "core/store/chunkrepository.h"
#include "core/store/project.h"

namespace rag {

Result<std::shared_ptr<const ProjectState>> readProjectState(const Workbench &workbench)
{
    auto snapshot = workbench.snapshot();
    if (!snapshot)
        return std::unexpected(snapshot.error());
    auto state = std::make_shared<ProjectState>();
    state->snapshot = std::move(*snapshot);
    auto project = Project::openExisting(workbench.projectPath());
    if (!project)
        return std::unexpected(project.error());
    ChunkRepository chunks((*project)->db());
    for (const ChunkSetInfo &set : state->snapshot.chunkSets) {
        auto counts = chunks.countsByDocument(set.id);
        if (!counts)
            return std::unexpected(counts.error());
        state->chunkCounts[set.name] = std::move(*counts);
    }
    return std::shared_ptr<const ProjectState>(std::move(state));
}

} // namespace rag
