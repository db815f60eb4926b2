#pragma once
// Resolves an embedder name to a ready Embedder for a project.
//
// "use-lite" is the neural default (its files come from packaging/setup.sh);
// "lexical" is the offline fallback whose IDF statistics are fitted on a chunk
// set once and then frozen in the project (table embedders), so later builds
// and every query embed exactly as the index did and unchanged text keeps its
// cached vectors. "openai:", "ollama:" and "cohere:" name remote models; their
// endpoint (never a key) is saved in the project so queries reach the same server.
// Runs on a job thread with the Project it opened.
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

// "openai:MODEL", "ollama:MODEL" or "cohere:MODEL": an embedder behind an HTTP API.
bool isRemoteEmbedderName(const std::string &name);

// A remote embedder outside any project (ragwb embed), at `baseUrl` or, when that is
// empty, where OPENAI_BASE_URL / OLLAMA_HOST / COHERE_BASE_URL point (else the
// provider's default); keys from the environment. The dimension is probed with one request.
Result<std::shared_ptr<Embedder>> remoteEmbedderByName(const std::string &name, const std::string &baseUrl,
                                                       const JobContext &ctx);

// For building an index over a chunk set. For "lexical", reuses the statistics
// of `previousKey` (the embedder of the index being rebuilt) unless `refit`. For a
// remote embedder, `baseUrl` is its endpoint (empty: the endpoint the index being
// rebuilt saved, if it used the same embedder, else as remoteEmbedderByName says).
Result<std::shared_ptr<Embedder>> embedderForBuild(const Project &project, const std::string &name,
                                                   std::int64_t chunkSetId, const std::string &previousKey,
                                                   bool refit, const std::string &baseUrl, const JobContext &ctx);

// For querying an index that was built with the embedder of this identity key.
Result<std::shared_ptr<Embedder>> embedderForKey(const Project &project, const std::string &key);

} // namespace rag
