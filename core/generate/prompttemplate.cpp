#include "core/generate/prompttemplate.h"

#include "core/common/hashing.h"

#include <algorithm>
#include <charconv>

namespace rag {

namespace {

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

std::string fillPlaceholders(std::string_view text, std::span<const PromptSlot> slots)
{
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t brace = text.find('{', at);
        if (brace == std::string_view::npos)
            break;
        out.append(text, at, brace - at);
        at = brace;
        const auto slot = std::find_if(slots.begin(), slots.end(),
                                       [&](const PromptSlot &s) { return text.substr(at).starts_with(s.first); });
        if (slot == slots.end()) {
            out += '{';
            ++at;
            continue;
        }
        out.append(slot->second);
        at += slot->first.size();
    }
    out.append(text.substr(std::min(at, text.size())));
    return out;
}

Result<VersionedKey> parseVersionedKey(std::string_view key)
{
    const std::size_t at = key.find("@v");
    VersionedKey parsed{key.substr(0, at), 0};
    if (at == std::string_view::npos)
        return parsed;
    const std::string_view digits = key.substr(at + 2);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed.version);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || parsed.version < 1)
        return fail(ErrorCode::InvalidArgument, "the version after '@v' must be a positive number", std::string(key));
    return parsed;
}

std::vector<ChatMessage> PromptTemplate::render(std::string_view question, std::string_view context) const
{
    const PromptSlot slots[] = {{"{question}", question}, {"{context}", context}};
    std::vector<ChatMessage> messages;
    if (!system.empty())
        messages.push_back({ChatRole::System, fillPlaceholders(system, slots)});
    messages.push_back({ChatRole::User, fillPlaceholders(user, slots)});
    return messages;
}

const std::vector<PromptTemplate> &builtinPromptTemplates()
{
    static const std::vector<PromptTemplate> all = makeBuiltins();
    return all;
}

Result<PromptTemplate> findPromptTemplate(std::string_view key)
{
    auto parsed = parseVersionedKey(key);
    if (!parsed)
        return std::unexpected(parsed.error());
    const PromptTemplate *best = nullptr;
    for (const PromptTemplate &t : builtinPromptTemplates())
        if (t.id == parsed->id
            && (parsed->version == 0 ? (!best || t.version > best->version) : t.version == parsed->version))
            best = &t;
    if (!best)
        return fail(ErrorCode::NotFound, "no such prompt template", std::string(key));
    return *best;
}

} // namespace rag
