#pragma once
// Chunk-set builds: a named chunk set is (re)chunked for the documents that are
// new or changed since it was last built; everything else is kept as is.
// Commits every few hundred documents, whole documents only, so a cancelled
// build leaves a consistent set that the next build completes.
// Runs on a job thread with the Project it opened.
#include "core/chunking/chunkerconfig.h"
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"
#include "core/store/chunkrepository.h"

#include <memory>
#include <string>

namespace rag {

class Project;
class TokenCounter;

struct ChunkBuildSummary {
    ChunkSetInfo chunkSet;
    std::int64_t documentsChunked = 0;  // 0 when nothing had changed
    std::int64_t chunksWritten = 0;
    std::int64_t elapsedMs = 0;
};

// The token counter a config needs (nullptr for character sizes).
Result<std::shared_ptr<const TokenCounter>> tokenCounterFor(const ChunkerConfig &config);

Result<ChunkBuildSummary> buildChunkSet(const Project &project, const std::string &name, const ChunkerConfig &config,
                                        const JobContext &ctx);

} // namespace rag
