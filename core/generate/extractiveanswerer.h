#pragma once
// ExtractiveAnswerer: the offline answer mode (no model). Splits the top passages
// of an assembled context into sentences, scores each by how many distinct query
// terms it contains (stop words ignored, ties to the better-ranked passage and the
// earlier sentence), and answers with the best few, each followed by the "[n]" of
// its passage. Deterministic; a ChatModel so the CLI and the Playground treat it
// like any provider: it answers from the passages in the prompt it is given.
// Stateless; thread-safe.
#include "core/generate/chatmodel.h"
#include "core/generate/contextassembler.h"

#include <string>
#include <string_view>
#include <vector>

namespace rag {

struct ExtractiveOptions {
    int maxSentences = 3;
    int fromTopPassages = 5;
};

struct ScoredSentence {
    std::string text;
    int passage = 0;  // its [n]
    int overlap = 0;  // distinct query terms it contains
    std::size_t position = 0;
};

// Lowercased alphanumeric words of the text minus English stop words, each once.
std::vector<std::string> contentTerms(std::string_view text);

// The chosen sentences, best first; empty when no sentence shares a term.
std::vector<ScoredSentence> pickSentences(std::string_view question, const AssembledContext &context,
                                          const ExtractiveOptions &options = {});

class ExtractiveAnswerer final : public ChatModel {
public:
    explicit ExtractiveAnswerer(ExtractiveOptions options = {}) : m_options(options) {}

    std::string name() const override { return "extractive:overlap-v1"; }
    // Answers from passages given directly (no prompt parsing).
    Result<ChatResponse> answer(std::string_view question, const AssembledContext &context,
                                const DeltaSink &onDelta, const JobContext &ctx) const;
    // Reads the question and "[n]" passages back out of a grounded-answer prompt.
    Result<ChatResponse> chat(const ChatRequest &request, const DeltaSink &onDelta,
                              const JobContext &ctx) const override;

private:
    ExtractiveOptions m_options;
};

} // namespace rag
