#pragma once
// Context assembly: puts retrieved chunks into a prompt as numbered passages
// ([1] is the best-ranked chunk that fits) and keeps the whole prompt inside a token
// budget counted with the exact tokenizer. When the prompt is over budget the
// lowest-ranked chunk is dropped first, and again, until it fits; every dropped chunk
// is reported with its token count so a view can show what the model never saw.
// Stateless functions over values; thread-safe when the TokenCounter is.
#include "core/common/result.h"
#include "core/generate/chatmodel.h"
#include "core/generate/prompttemplate.h"
#include "core/tokenize/tokencounter.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

struct ContextChunk {
    std::int64_t chunkId = 0;
    std::string documentKey;
    std::string text;
    int rank = 0;  // 1 = best; chunks are ordered by it
    double score = 0;
};

struct CitedChunk {
    int number = 0;  // the n of "[n]" in the prompt and the answer
    ContextChunk chunk;
    std::size_t tokens = 0;  // of its passage block
};

struct DroppedChunk {
    ContextChunk chunk;
    std::size_t tokens = 0;  // of its passage block, had it been included
};

struct AssembledContext {
    std::vector<CitedChunk> included;   // numbered 1..n in rank order
    std::vector<DroppedChunk> dropped;  // lowest rank first dropped, in the order they were dropped
    std::string contextText;            // the numbered passages as they appear in the prompt
    std::vector<ChatMessage> messages;  // the rendered prompt
    std::size_t promptTokens = 0;       // counted as promptTokenCount() counts
    std::size_t budgetTokens = 0;

    // The chunk cited as [number], or nullptr when no included chunk has it.
    const CitedChunk *cited(int number) const;
};

// One passage as it appears in the prompt: "[n] (source: doc)\ntext\n\n".
std::string passageBlock(int number, const ContextChunk &chunk);

// Tokens of a chat prompt: the content of every message plus the framing chat
// formats add (3 per message and 3 to prime the reply, as OpenAI counts it).
std::size_t promptTokenCount(const std::vector<ChatMessage> &messages, const TokenCounter &counter);

// TooLarge when even the prompt without any passage exceeds the budget.
Result<AssembledContext> assembleContext(std::string_view question, std::vector<ContextChunk> chunks,
                                         const PromptTemplate &prompt, const TokenCounter &counter,
                                         std::size_t budgetTokens);

} // namespace rag
