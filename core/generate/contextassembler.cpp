#include "core/generate/contextassembler.h"

#include <algorithm>

namespace rag {

const CitedChunk *AssembledContext::cited(int number) const
{
    for (const CitedChunk &c : included)
        if (c.number == number)
            return &c;
    return nullptr;
}

std::string passageBlock(int number, const ContextChunk &chunk)
{
    std::string block = "[" + std::to_string(number) + "]";
    if (!chunk.documentKey.empty())
        block += " (source: " + chunk.documentKey + ")";
    block += "\n";
    block += chunk.text;
    block += "\n\n";
    return block;
}

std::size_t promptTokenCount(const std::vector<ChatMessage> &messages, const TokenCounter &counter)
{
    std::size_t tokens = 3;
    for (const ChatMessage &m : messages)
        tokens += 3 + counter.countTokens(m.content);
    return tokens;
}

Result<AssembledContext> assembleContext(std::string_view question, std::vector<ContextChunk> chunks,
                                         const PromptTemplate &prompt, const TokenCounter &counter,
                                         std::size_t budgetTokens)
{
    std::stable_sort(chunks.begin(), chunks.end(),
                     [](const ContextChunk &a, const ContextChunk &b) { return a.rank < b.rank; });
    AssembledContext out;
    out.budgetTokens = budgetTokens;
    std::size_t keep = chunks.size();
    // Numbers follow the kept chunks, so dropping one renumbers the rest; recount
    // after each drop (the prompt is a few thousand tokens, counting is cheap).
    for (;;) {
        std::string context;
        for (std::size_t i = 0; i < keep; ++i)
            context += passageBlock(int(i) + 1, chunks[i]);
        auto messages = prompt.render(question, context);
        const std::size_t tokens = promptTokenCount(messages, counter);
        if (tokens <= budgetTokens) {
            out.contextText = std::move(context);
            out.messages = std::move(messages);
            out.promptTokens = tokens;
            break;
        }
        if (keep == 0)
            return fail(ErrorCode::TooLarge,
                        "the prompt without any passage needs " + std::to_string(tokens) + " tokens but the budget is "
                            + std::to_string(budgetTokens),
                        prompt.key());
        --keep;
        out.dropped.push_back(DroppedChunk{chunks[keep], counter.countTokens(passageBlock(int(keep) + 1, chunks[keep]))});
    }
    for (std::size_t i = 0; i < keep; ++i)
        out.included.push_back(
            CitedChunk{int(i) + 1, chunks[i], counter.countTokens(passageBlock(int(i) + 1, chunks[i]))});
    return out;
}

} // namespace rag
