#pragma once
// The Playground's jobs. The query job opens (or reuses) the Searcher for a chunk
// set and dense index, runs both legs once at a generous depth and fetches every
// candidate chunk's text, so the view can re-fuse with other parameters without
// querying again. The rerank job scores the feeding lane's top-N with the configured
// reranker; the answer job answers from a lane's best chunks in a token budget,
// streaming deltas to a sink. All run on job threads over value snapshots; the
// Searcher and the ModelServices are shared read-only.
#include "core/generate/answerer.h"
#include "core/workbench.h"
#include "ui/modelservices.h"

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

struct RerankInput {
    std::string query;
    std::vector<std::int64_t> ids;  // in the feeding lane's order
    std::vector<std::string> texts;
    ModelSpecs specs;
};

struct RerankOutcome {
    std::vector<std::int64_t> ids;
    std::vector<double> scores;  // the reranker's, per id (higher is better)
    std::string reranker;        // the reranker's name
    double ms = 0;               // the reranker call alone
};

Result<RerankOutcome> runPlaygroundRerank(const ModelServices &services, const RerankInput &input,
                                          const JobContext &ctx);

struct AnswerInput {
    std::string question;
    std::vector<ContextChunk> chunks;  // best first
    ModelSpecs specs;
    std::size_t budgetTokens = 3000;
};

Result<Answer> runPlaygroundAnswer(const ModelServices &services, const AnswerInput &input,
                                   const ChatModel::DeltaSink &onDelta, const JobContext &ctx);

} // namespace rag
