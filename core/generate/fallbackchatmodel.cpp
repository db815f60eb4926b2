#include "core/generate/fallbackchatmodel.h"

#include "core/net/fallbackchain.h"

#include <optional>

namespace rag {

std::string FallbackChatModel::name() const
{
    std::string joined;
    for (const auto &m : m_models)
        joined += (joined.empty() ? "" : ",") + m->name();
    return joined;
}

Result<ChatResponse> FallbackChatModel::chat(const ChatRequest &request, const DeltaSink &onDelta,
                                             const JobContext &ctx) const
{
    std::vector<std::string> names;
    for (const auto &m : m_models)
        names.push_back(m->name());
    bool streamed = false;
    std::optional<Error> afterStreaming;  // the final failure of a model that had streamed text
    std::size_t next = 0;
    const std::function<Result<ChatResponse>(const std::string &)> call =
        [&](const std::string &) -> Result<ChatResponse> {
        const ChatModel &model = *m_models[next++];
        auto answer = model.chat(request, [&](std::string_view delta) {
            streamed = true;
            if (onDelta)
                onDelta(delta);
        }, ctx);
        if (!answer && streamed) {
            // Text already reached the caller: stop the chain (InvalidArgument never
            // falls back) and hand the model's own error back below.
            afterStreaming = std::move(answer.error());
            afterStreaming->detail += " (after part of the answer was streamed, so no other model was tried)";
            return fail(ErrorCode::InvalidArgument, afterStreaming->detail, afterStreaming->source);
        }
        return answer;
    };
    auto result = FallbackChain(names).run<ChatResponse>(call, ctx);
    if (afterStreaming)
        return std::unexpected(std::move(*afterStreaming));
    if (!result)
        return std::unexpected(std::move(result.error()));
    ChatResponse response = std::move(result->value);
    for (std::size_t i = 0; i < result->failures.size(); ++i)
        response.skipped.push_back(names[i] + ": " + result->failures[i].message());
    return response;
}

} // namespace rag
