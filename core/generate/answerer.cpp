#include "core/generate/answerer.h"

namespace rag {

Result<Answer> answerQuestion(const std::string &question, std::vector<ContextChunk> chunks, const ChatModel *model,
                              const TokenCounter &counter, const AnswerOptions &options,
                              const ChatModel::DeltaSink &onDelta, const JobContext &ctx)
{
    PromptTemplate prompt = options.prompt;
    if (prompt.id.empty()) {
        auto builtin = findPromptTemplate("grounded-answer");
        if (!builtin)
            return std::unexpected(builtin.error());
        prompt = std::move(*builtin);
    }
    auto context = assembleContext(question, std::move(chunks), prompt, counter, options.contextBudgetTokens);
    if (!context)
        return std::unexpected(context.error());
    Answer answer;
    answer.question = question;
    answer.promptKey = prompt.key();
    answer.promptHash = prompt.textHash();
    Result<ChatResponse> response = [&]() -> Result<ChatResponse> {
        if (model == nullptr)
            return ExtractiveAnswerer(options.extractive).answer(question, *context, onDelta, ctx);
        ChatRequest request;
        request.messages = context->messages;
        request.temperature = options.temperature;
        request.maxTokens = options.maxTokens;
        return model->chat(request, onDelta, ctx);
    }();
    if (!response)
        return std::unexpected(response.error());
    answer.response = std::move(*response);
    answer.context = std::move(*context);
    answer.citations = parseCitations(answer.response.text, answer.context);
    return answer;
}

} // namespace rag
