#pragma once
// ModelServices: what the Playground's rerank and answer jobs need besides the
// project — one HTTP client (connection reuse across requests), the key store, and
// the exact tokenizer for context budgets (cl100k_base, loaded once, on the first job
// that needs it). Created on the GUI thread and shared with jobs through a
// shared_ptr; every member is thread-safe.
#include "core/common/result.h"
#include "core/generate/chatmodel.h"
#include "core/generate/rerankerfactory.h"
#include "core/net/httpclient.h"
#include "core/net/secretstore.h"
#include "core/tokenize/tokencounter.h"

#include <memory>
#include <mutex>
#include <string>

namespace rag {

// A value snapshot of Settings → Models for one job.
struct ModelSpecs {
    std::string chatModel = "extractive";
    std::string chatBaseUrl;
    std::string reranker;  // empty: none
    std::string rerankerBaseUrl;
};

class ModelServices {
public:
    explicit ModelServices(std::shared_ptr<SecretStore> secrets);

    std::shared_ptr<const HttpClient> http() const { return m_http; }
    const std::shared_ptr<SecretStore> &secrets() const { return m_secrets; }

    // The shared exact token counter; NotFound (naming packaging/setup.sh) without its asset.
    Result<std::shared_ptr<const TokenCounter>> tokenCounter() const;
    // The configured reranker, built on the calling (job) thread: keys may be read there.
    Result<Reranker> reranker(const ModelSpecs &specs) const;
    // The configured chat model; nullptr for "extractive" (answerQuestion's offline path).
    Result<std::shared_ptr<const ChatModel>> chatModel(const ModelSpecs &specs) const;

private:
    std::shared_ptr<SecretStore> m_secrets;
    std::shared_ptr<const HttpClient> m_http;
    mutable std::mutex m_mutex;
    mutable std::shared_ptr<const TokenCounter> m_counter;
};

} // namespace rag
