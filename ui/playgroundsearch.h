#pragma once
// The Playground's query job: opens (or reuses) the Searcher for a chunk set and
// dense index, runs both legs once at a generous depth and fetches every
// candidate chunk's text, so the view can re-fuse with other parameters without
// querying again. Runs on a job thread; the Searcher is shared read-only.
#include "core/workbench.h"

#include <memory>
#include <string>
#include <unordered_map>

namespace rag {

struct PlaygroundQuery {
    std::string chunkSet;
    std::string denseIndex;  // empty: keyword only
    std::string text;
    int depth = 100;
    std::shared_ptr<const Searcher> searcher;  // reused when it matches
};

struct PlaygroundCandidates {
    std::shared_ptr<const Searcher> searcher;
    std::string chunkSet;
    std::string denseIndex;
    std::string query;
    QueryLegs legs;
    std::unordered_map<std::int64_t, ChunkView> chunks;
};

Result<std::shared_ptr<const PlaygroundCandidates>> runPlaygroundQuery(const Workbench &workbench,
                                                                      const PlaygroundQuery &query);

} // namespace rag
