#pragma once
// answerQuestion: the generation step of a RAG pipeline. Assembles the retrieved
// chunks into a grounded prompt within the token budget, streams the model's answer
// (or the extractive answer when no model is given), and maps the answer's "[n]"
// citations to chunks, flagging numbers that name none. Runs on a job thread; the
// delta sink is called on that thread. Stateless.
#include "core/generate/chatmodel.h"
#include "core/generate/citations.h"
#include "core/generate/contextassembler.h"
#include "core/generate/extractiveanswerer.h"
#include "core/generate/prompttemplate.h"
#include "core/tokenize/tokencounter.h"

#include <string>
#include <vector>

namespace rag {

struct AnswerOptions {
    std::size_t contextBudgetTokens = 3000;  // the whole prompt, passages included
    PromptTemplate prompt;                   // empty id: the newest grounded-answer template
    double temperature = 0.0;
    int maxTokens = 512;
    ExtractiveOptions extractive;
};

struct Answer {
    std::string question;
    AssembledContext context;
    ChatResponse response;      // text, usage, cost, timings, the model that answered
    CitationReport citations;
    std::string promptKey;      // "grounded-answer@v1"
    std::string promptHash;
};

// model == nullptr answers extractively (offline).
Result<Answer> answerQuestion(const std::string &question, std::vector<ContextChunk> chunks, const ChatModel *model,
                              const TokenCounter &counter, const AnswerOptions &options,
                              const ChatModel::DeltaSink &onDelta, const JobContext &ctx);

} // namespace rag
