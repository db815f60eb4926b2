#pragma once
// Builds a reranker from a "PROVIDER[:MODEL]" spec as the settings and the CLI name it:
// cohere:rerank-v3.5, jina:jina-reranker-v2-base-multilingual (Cohere wire at the
// provider's API), tei (Hugging Face Text Embeddings Inference; its base URL is
// required), llamacpp:any (llama.cpp server, Cohere wire at the base URL) and
// llm:<chat spec> (an LlmListwiseReranker over makeChatModel, e.g. llm:openai:gpt-4o-mini).
// Keys come from the SecretStore by provider name. Stateless; call from any thread.
#include "core/common/result.h"
#include "core/generate/chatmodelfactory.h"
#include "core/generate/reranker.h"
#include "core/net/httpclient.h"
#include "core/net/secretstore.h"

#include <memory>
#include <string>

namespace rag {

struct RerankerSettings {
    std::string baseUrl;     // empty: the provider's default (tei has none)
    HttpTimeouts timeouts;
    ChatModelSettings chat;  // for llm:<chat spec>
};

struct Reranker {
    RerankFunction score;
    std::string name;  // for titles and run records: "cohere:rerank-v3.5", "llm:ollama:llama3.2"
};

std::string knownRerankProviders();

Result<Reranker> makeReranker(const std::string &spec, const RerankerSettings &settings, const SecretStore &secrets,
                              std::shared_ptr<const HttpClient> http);

} // namespace rag
