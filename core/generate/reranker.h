#pragma once
// Rerankers score (query, candidate) pairs after retrieval. A RerankFunction is what
// the Playground's Reranked lane and the evaluation call: scores come back in the
// candidates' order (higher is better). Both rerankers here are immutable after
// construction and may serve several job threads at once.
//  - RemoteReranker: Cohere-style POST {base}/rerank (Cohere, Jina, llama.cpp server,
//    {"results":[{"index","relevance_score"}]}) or TEI's {base}/rerank ([{"index","score"}]).
//  - LlmListwiseReranker: asks a ChatModel to order numbered passages ("3 > 1 > 2").
#include "core/common/result.h"
#include "core/generate/chatmodel.h"
#include "core/net/httpclient.h"
#include "core/net/providerclient.h"
#include "core/net/retrypolicy.h"

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace rag {

using RerankFunction = std::function<Result<std::vector<double>>(
    const std::string &query, std::span<const std::string> candidates, const JobContext &ctx)>;

enum class RerankWire { Cohere, Tei };

struct RemoteRerankerOptions {
    RerankWire wire = RerankWire::Cohere;
    std::string provider = "cohere";
    std::string baseUrl = "https://api.cohere.com/v1";  // "/rerank" is appended
    std::string model;                                  // not sent for TEI
    std::string apiKey;
    int maxCandidatesPerRequest = 100;
    HttpTimeouts timeouts;
    RetryOptions retry;
};

class RemoteReranker {
public:
    RemoteReranker(RemoteRerankerOptions options, std::shared_ptr<const HttpClient> http);
    Result<std::vector<double>> score(const std::string &query, std::span<const std::string> candidates,
                                      const JobContext &ctx) const;
    RerankFunction function() const;
    std::string name() const { return m_options.provider + ":" + m_options.model; }

private:
    Result<void> scoreBatch(const std::string &query, std::span<const std::string> batch, double *out,
                            const JobContext &ctx) const;
    RemoteRerankerOptions m_options;
    ProviderClient m_client;
};

class LlmListwiseReranker {
public:
    // Each passage is cut to maxPassageChars (at a UTF-8 boundary) to bound the prompt.
    explicit LlmListwiseReranker(std::shared_ptr<const ChatModel> model, std::size_t maxPassageChars = 1200);
    // Score = candidates - position in the model's ranking; passages the model left out
    // keep their input order below every ranked one. Parse when no number is usable.
    Result<std::vector<double>> score(const std::string &query, std::span<const std::string> candidates,
                                      const JobContext &ctx) const;
    RerankFunction function() const;

    // The model's reply "3 > 1 > 2" as 0-based indices (unknown and repeated numbers skipped).
    static std::vector<std::size_t> parseRanking(std::string_view reply, std::size_t candidates);

private:
    std::shared_ptr<const ChatModel> m_model;
    std::size_t m_maxPassageChars;
};

} // namespace rag
