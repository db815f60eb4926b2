#pragma once
// FallbackChatModel: asks its models in order until one answers (a provider that is
// down, overloaded after retries, or missing the model moves the request on to the
// next one). Once a model has streamed text to the caller the chain never switches,
// since the caller cannot take text back: a failure after the first delta is final.
// Cancellation and malformed requests stop the chain at once. Owns shared references
// to its models; thread-safe like the models it holds.
#include "core/generate/chatmodel.h"

#include <memory>
#include <vector>

namespace rag {

class FallbackChatModel final : public ChatModel {
public:
    explicit FallbackChatModel(std::vector<std::shared_ptr<const ChatModel>> models) : m_models(std::move(models)) {}

    std::string name() const override;
    Result<ChatResponse> chat(const ChatRequest &request, const DeltaSink &onDelta,
                              const JobContext &ctx) const override;

private:
    std::vector<std::shared_ptr<const ChatModel>> m_models;
};

} // namespace rag
