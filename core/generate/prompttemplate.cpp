#include "core/generate/prompttemplate.h"

#include "core/common/hashing.h"

namespace rag {

namespace {

std::string replaceAll(std::string text, std::string_view from, std::string_view to)
{
    std::string out;
    out.reserve(text.size() + to.size());
    std::size_t start = 0;
    for (std::size_t at; (at = text.find(from, start)) != std::string::npos; start = at + from.size()) {
        out.append(text, start, at - start);
        out.append(to);
    }
    out.append(text, start, std::string::npos);
    return out;
}

std::vector<PromptTemplate> makeBuiltins()
{
    std::vector<PromptTemplate> all;
    all.push_back(PromptTemplate{
        "grounded-answer", 1,
        "You answer questions using only the numbered context passages you are given. "
        "Cite the passage that supports each statement with its number in square brackets, "
        "like [1] or [2][3]. Do not cite numbers that are not in the context. "
        "If the passages do not contain the answer, say that the context does not answer the question.",
        "Context passages:\n\n{context}\nQuestion: {question}\n\nAnswer with citations:"});
    all.push_back(PromptTemplate{
        "listwise-rerank", 1,
        "You rank passages by how well they answer a search query. Reply with the passage numbers "
        "only, most relevant first, separated by \" > \", for example: 3 > 1 > 2. Include every passage once.",
        "Query: {question}\n\nPassages:\n\n{context}\nRanking:"});
    // Query transforms (core/generate/querytransform.h): {n} is the number of
    // phrasings asked for, filled in before rendering. HyDE asks for one passage
    // per call and samples several calls, as Gao et al. (2022) do.
    all.push_back(PromptTemplate{
        "hyde", 1,
        "You write a short passage, in the style of a reference document or paper, that answers the question. "
        "State the facts directly and use the terms an expert source would use. Reply with the passage only, "
        "without a title, preamble or notes.",
        "Question: {question}\n\nPassage:"});
    all.push_back(PromptTemplate{
        "multi-query", 1,
        "You help a search engine find documents. Rewrite the user's question as {n} different search queries "
        "that ask for the same information with other words, synonyms or a different focus. Reply with exactly "
        "{n} queries, one per line, and nothing else.",
        "Question: {question}\n\nSearch queries:"});
    return all;
}

} // namespace

std::string PromptTemplate::textHash() const
{
    return sha256Hex(key() + "\n" + system + "\n\x1f\n" + user);
}

std::vector<ChatMessage> PromptTemplate::render(std::string_view question, std::string_view context) const
{
    // {context} first: a question may itself contain the text "{context}".
    const auto fill = [&](const std::string &text) {
        std::string withContext = replaceAll(text, "{context}", "\x1e");
        withContext = replaceAll(std::move(withContext), "{question}", question);
        return replaceAll(std::move(withContext), "\x1e", context);
    };
    std::vector<ChatMessage> messages;
    if (!system.empty())
        messages.push_back({ChatRole::System, fill(system)});
    messages.push_back({ChatRole::User, fill(user)});
    return messages;
}

const std::vector<PromptTemplate> &builtinPromptTemplates()
{
    static const std::vector<PromptTemplate> all = makeBuiltins();
    return all;
}

Result<PromptTemplate> findPromptTemplate(std::string_view key)
{
    const std::size_t at = key.find("@v");
    const std::string_view id = key.substr(0, at);
    int version = 0;
    if (at != std::string_view::npos) {
        try {
            version = std::stoi(std::string(key.substr(at + 2)));
        } catch (const std::exception &) {
            return fail(ErrorCode::InvalidArgument, "bad template version", std::string(key));
        }
    }
    const PromptTemplate *best = nullptr;
    for (const PromptTemplate &t : builtinPromptTemplates())
        if (t.id == id && (version == 0 ? (!best || t.version > best->version) : t.version == version))
            best = &t;
    if (!best)
        return fail(ErrorCode::NotFound, "no such prompt template", std::string(key));
    return *best;
}

} // namespace rag
