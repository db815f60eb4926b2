#include "core/generate/extractiveanswerer.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <chrono>
#include <unordered_set>

namespace rag {

namespace {

const std::unordered_set<std::string> &stopWords()
{
    static const std::unordered_set<std::string> words{
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does",
        "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "of", "on",
        "or", "that", "the", "their", "there", "these", "this", "those", "to", "was", "were", "what", "when",
        "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your", "we", "our", "they",
        "them", "than", "then", "so", "such", "not", "no", "about", "any", "all", "also", "may", "more", "most"};
    return words;
}

bool wordByte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

// Sentence ends: '.', '!' or '?' followed by whitespace, or a blank line.
std::vector<std::string> splitSentences(std::string_view text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    const auto emit = [&](std::size_t end) {
        std::string_view s = text.substr(start, end - start);
        while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t' || s.front() == '\r'))
            s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r'))
            s.remove_suffix(1);
        if (!s.empty()) {
            std::string sentence(s);
            std::replace(sentence.begin(), sentence.end(), '\n', ' ');
            out.push_back(std::move(sentence));
        }
        start = end;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool nextSpace = i + 1 >= text.size() || text[i + 1] == ' ' || text[i + 1] == '\n';
        if ((c == '.' || c == '!' || c == '?') && nextSpace)
            emit(i + 1);
        else if (c == '\n' && i + 1 < text.size() && text[i + 1] == '\n')
            emit(i);
    }
    emit(text.size());
    return out;
}

} // namespace

std::vector<std::string> contentTerms(std::string_view text)
{
    std::vector<std::string> terms;
    std::unordered_set<std::string> seen;
    std::string word;
    const auto flush = [&] {
        if (!word.empty() && !stopWords().contains(word) && seen.insert(word).second)
            terms.push_back(word);
        word.clear();
    };
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (wordByte(c))
            word.push_back(c < 0x80 ? char(std::tolower(c)) : ch);
        else
            flush();
    }
    flush();
    return terms;
}

std::vector<ScoredSentence> pickSentences(std::string_view question, const AssembledContext &context,
                                          const ExtractiveOptions &options)
{
    const std::vector<std::string> queryTerms = contentTerms(question);
    const std::unordered_set<std::string> query(queryTerms.begin(), queryTerms.end());
    std::vector<ScoredSentence> scored;
    std::unordered_set<std::string> seenText;
    for (const CitedChunk &passage : context.included) {
        if (passage.number > options.fromTopPassages)
            break;
        std::size_t position = 0;
        for (std::string &sentence : splitSentences(passage.chunk.text)) {
            int overlap = 0;
            for (const std::string &term : contentTerms(sentence))
                overlap += query.contains(term) ? 1 : 0;
            if (overlap > 0 && seenText.insert(sentence).second)
                scored.push_back(ScoredSentence{std::move(sentence), passage.number, overlap, position});
            ++position;
        }
    }
    std::stable_sort(scored.begin(), scored.end(), [](const ScoredSentence &a, const ScoredSentence &b) {
        if (a.overlap != b.overlap)
            return a.overlap > b.overlap;
        if (a.passage != b.passage)
            return a.passage < b.passage;
        return a.position < b.position;
    });
    if (scored.size() > std::size_t(std::max(0, options.maxSentences)))
        scored.resize(std::size_t(std::max(0, options.maxSentences)));
    return scored;
}

Result<ChatResponse> ExtractiveAnswerer::answer(std::string_view question, const AssembledContext &context,
                                                const DeltaSink &onDelta, const JobContext &ctx) const
{
    const auto start = std::chrono::steady_clock::now();
    if (ctx.cancelled())
        return fail(ErrorCode::Cancelled, "the answer was cancelled", name());
    ChatResponse response;
    response.provider = "extractive";
    response.model = "overlap-v1";
    response.finishReason = "stop";
    const auto sentences = pickSentences(question, context, m_options);
    if (sentences.empty())
        response.text = "The retrieved passages share no term with the question, so no sentence can be extracted.";
    for (const ScoredSentence &s : sentences) {
        std::string piece = (response.text.empty() ? "" : " ") + s.text + " [" + std::to_string(s.passage) + "]";
        if (onDelta)
            onDelta(piece);
        response.text += piece;
    }
    if (sentences.empty() && onDelta)
        onDelta(response.text);
    response.usage = TokenUsage{0, 0};
    response.costUsd = 0.0;
    response.totalMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    response.firstDeltaMs = response.totalMs;
    return response;
}

Result<ChatResponse> ExtractiveAnswerer::chat(const ChatRequest &request, const DeltaSink &onDelta,
                                              const JobContext &ctx) const
{
    // Reads back what passageBlock() and the grounded-answer template wrote: a
    // "[n] ..." header line, the passage text up to a blank line, a "Question: " line.
    std::string user;
    for (const ChatMessage &m : request.messages)
        if (m.role == ChatRole::User)
            user = m.content;
    AssembledContext context;
    std::string question;
    CitedChunk *open = nullptr;
    std::size_t start = 0;
    while (start <= user.size()) {
        std::size_t end = user.find('\n', start);
        if (end == std::string::npos)
            end = user.size();
        const std::string_view line(user.data() + start, end - start);
        start = end + 1;
        if (line.starts_with("Question: ")) {
            question = std::string(line.substr(10));
            open = nullptr;
        } else if (line.size() > 2 && line[0] == '[' && line.find(']') != std::string_view::npos
                   && std::isdigit(static_cast<unsigned char>(line[1]))) {
            context.included.push_back(CitedChunk{std::atoi(line.data() + 1), {}, 0});
            open = &context.included.back();
        } else if (line.empty()) {
            open = nullptr;
        } else if (open != nullptr) {
            open->chunk.text += (open->chunk.text.empty() ? "" : "\n") + std::string(line);
        }
    }
    if (question.empty())
        question = user;
    return answer(question, context, onDelta, ctx);
}

} // namespace rag
