#include "ui/modelservices.h"

#include "core/generate/chatmodelfactory.h"
#include "core/tokenize/bpetokenizer.h"

namespace rag {

ModelServices::ModelServices(std::shared_ptr<SecretStore> secrets)
    : m_secrets(std::move(secrets)), m_http(std::make_shared<HttpClient>())
{
}

Result<std::shared_ptr<const TokenCounter>> ModelServices::tokenCounter() const
{
    std::lock_guard lock(m_mutex);
    if (!m_counter) {
        auto loaded = BpeTokenizer::load("cl100k_base");
        if (!loaded)
            return std::unexpected(loaded.error());
        m_counter = *loaded;
    }
    return m_counter;
}

Result<Reranker> ModelServices::reranker(const ModelSpecs &specs) const
{
    RerankerSettings settings;
    settings.baseUrl = specs.rerankerBaseUrl;
    // llm:<chat spec> talks to a chat server: the reranker's own URL when set, else the chat model's.
    settings.chat.baseUrl = specs.rerankerBaseUrl.empty() ? specs.chatBaseUrl : specs.rerankerBaseUrl;
    return makeReranker(specs.reranker, settings, *m_secrets, m_http);
}

Result<std::shared_ptr<const ChatModel>> ModelServices::chatModel(const ModelSpecs &specs) const
{
    if (specs.chatModel == "extractive")
        return std::shared_ptr<const ChatModel>();
    ChatModelSettings settings;
    settings.baseUrl = specs.chatBaseUrl;
    return makeChatModel(specs.chatModel, settings, *m_secrets, m_http);
}

} // namespace rag
