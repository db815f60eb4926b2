#pragma once
// Index builds over a chunk set: the BM25 keyword index (FTS5, in the project
// file) or a vector index (HNSW or exact flat, in a file beside the project).
//
// Vectors come from the content-addressed cache first; only text the embedder
// has never seen is embedded, and new vectors are committed to the cache batch
// by batch. The index file is written atomically and its catalog row replaced
// only after the write succeeded, so a cancelled or failed build leaves the
// previous index usable. Runs on a job thread with the Project it opened.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"
#include "core/store/indexcatalog.h"

#include <string>

namespace rag {

class Project;

struct IndexBuildSpec {
    std::string chunkSet;
    std::string kind = "bm25";   // bm25 | hnsw | flat
    std::string embedder;        // for hnsw / flat
    // Remote embedders: the endpoint; empty means the provider's environment variable
    // (OPENAI_BASE_URL, OLLAMA_HOST, COHERE_BASE_URL) or its default. Saved in the project.
    std::string baseUrl;
    int M = 16;
    int efConstruction = 100;
    int efSearch = 128;
    bool refit = false;          // lexical: fit new statistics instead of reusing the index's
    std::string name;            // empty: defaultIndexName()
};

struct IndexBuildSummary {
    IndexRecord record;
    std::int64_t embedded = 0;   // texts that went through the embedder
    std::int64_t cached = 0;     // texts whose vectors came from the cache
    std::int64_t elapsedMs = 0;
};

std::string defaultIndexName(const IndexBuildSpec &spec);

Result<IndexBuildSummary> buildIndex(const Project &project, const IndexBuildSpec &spec, const JobContext &ctx);

// True when the chunk set changed since the index was built.
Result<bool> isStale(const Project &project, const IndexRecord &record);

} // namespace rag
