#pragma once
// Resolves an embedder name to a ready Embedder for a project.
//
// "use-lite" is the neural default (its files come from packaging/setup.sh);
// "lexical" is the offline fallback whose IDF statistics are fitted on a chunk
// set once and then frozen in the project (table embedders), so later builds
// and every query embed exactly as the index did and unchanged text keeps its
// cached vectors. Runs on a job thread with the Project it opened.
#include "core/common/result.h"
#include "core/embed/embedder.h"
#include "core/jobs/jobcontext.h"

#include <cstdint>
#include <memory>
#include <string>

namespace rag {

class Project;

// The names accepted by --embedder, for messages.
std::string knownEmbedderNames();

// For building an index over a chunk set. For "lexical", reuses the statistics
// of `previousKey` (the embedder of the index being rebuilt) unless `refit`.
Result<std::shared_ptr<Embedder>> embedderForBuild(const Project &project, const std::string &name,
                                                   std::int64_t chunkSetId, const std::string &previousKey,
                                                   bool refit, const JobContext &ctx);

// For querying an index that was built with the embedder of this identity key.
Result<std::shared_ptr<Embedder>> embedderForKey(const Project &project, const std::string &key);

} // namespace rag
