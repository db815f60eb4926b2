#pragma once
// Query transforms: a chat model rewrites a query before retrieval.
//  - HyDE (Gao et al. 2022, "Precise Zero-Shot Dense Retrieval without Relevance
//    Labels"): the model writes N hypothetical passages that answer the query; the
//    dense leg searches with the normalised mean of the query's and the passages'
//    vectors, as the paper does. The BM25 leg keeps the original query, because a
//    hallucinated passage adds confident wrong terms that BM25 weighs as much as the
//    user's own; QueryTransform::hydeInKeyword adds the passages to it on request.
//  - Multi-query (RAG-Fusion): the model writes N alternative phrasings; each one
//    and the original run through the configured lane and the chunk rankings are
//    fused by reciprocal rank fusion (k = the pipeline's rrf_k), every fused hit
//    keeping which phrasings found it.
// A failed model call fails the transform with the provider's error, naming the
// transform and the model; only QueryTransform::fallbackOnError searches the plain
// query instead, and the result then says it fell back. Free functions run on a job
// thread; the model's chat() may be shared between threads.
#include "core/config/pipelineconfig.h"
#include "core/generate/chatmodel.h"
#include "core/generate/prompttemplate.h"
#include "core/pipeline/evaluation.h"
#include "core/retrieve/searcher.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

// What a transform's model calls used, summed over the calls.
struct TransformUsage {
    int calls = 0;
    std::int64_t inputTokens = 0;   // of the calls that reported usage
    std::int64_t outputTokens = 0;
    bool usageKnown = true;         // every call reported its usage
    std::optional<double> costUsd;  // set when every call's cost is known
    double totalMs = 0;
};

// A query as a transform rewrote it: the texts the model wrote, kept so views and
// the CLI can show them, and how to search it.
struct TransformedQuery {
    std::string query;                   // the original
    QueryTransform transform;
    std::vector<std::string> passages;   // HyDE: hypothetical answer passages
    std::vector<std::string> phrasings;  // multi-query: alternatives, without the original
    std::string model;                   // "provider:model" that wrote them
    std::string promptKey;               // "hyde@v1"
    std::string promptHash;
    TransformUsage usage;
    bool fellBack = false;               // the model failed; the plain query is searched
    std::string fallbackReason;

    // The searches to run (see Searcher::searchExpanded): the plain query when the
    // transform is none or fell back; HyDE: one search with the mean vector;
    // multi-query: the original first, then each phrasing.
    std::vector<QuerySearch> searches() const;
};

// The transform's prompt: its own key, or the newest built-in of its kind.
Result<PromptTemplate> transformPrompt(const QueryTransform &transform);

// Parses a model's list of phrasings, one per line: numbering ("1.", "2)", "(3)"),
// bullets and surrounding quotes are stripped, preamble lines ending in ':' and
// empty lines dropped, as are repeats and restatements of the original (compared
// case- and punctuation-insensitively); at most maxVariants are kept.
std::vector<std::string> parseQueryVariants(std::string_view reply, std::string_view original, int maxVariants);

// Asks the model (HyDE: `variants` calls, seeds 1..N; multi-query: one call).
// Errors keep the provider's code and source; the detail names the transform and
// the model. Cancellation is never turned into a fallback.
Result<TransformedQuery> transformQuery(const std::string &query, const QueryTransform &transform,
                                        const ChatModel &model, const JobContext &ctx);

struct TransformedSearch {
    TransformedQuery transformed;
    ExpandedLaneResult result;
};

// transformQuery, then the searches through the lane (legs `candidates` deep).
Result<TransformedSearch> searchTransformed(const Searcher &searcher, const Database &db, Lane lane,
                                            const std::string &query, const QueryTransform &transform,
                                            const ChatModel &model, const LaneParams &params, int candidates,
                                            const JobContext &ctx);

// The evaluation's query-rewrite hook for a pipeline's transform (runEvalSet caches
// it per query text). `onTransformed`, when set, sees every transformed query on
// the evaluation's thread.
QueryExpander makeQueryExpander(const QueryTransform &transform, std::shared_ptr<const ChatModel> model,
                                std::function<void(const TransformedQuery &)> onTransformed = {});

} // namespace rag
