#include "core/generate/querytransform.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace rag {

namespace {

// Token limits of one call: a HyDE passage is a paragraph (the paper samples up to
// 512 tokens); a phrasing is one line.
constexpr int kPassageMaxTokens = 384;
constexpr int kPhrasingMaxTokens = 64;

bool isSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s)
{
    while (!s.empty() && isSpace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Bullets and quotes a model wraps list items in (UTF-8 for the typographic ones).
constexpr std::string_view kBullets[] = {"-", "*", "+", "\u2022", "\u2013", "\u2014", "\u00b7"};
constexpr std::string_view kQuotes[] = {"\"", "'", "`", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb"};

bool stripPrefix(std::string_view &s, std::string_view prefix)
{
    if (!s.starts_with(prefix))
        return false;
    s.remove_prefix(prefix.size());
    return true;
}

// "1." "2)" "3:" "(4)" "[5]" "Q6:" "Query 7:" followed by a space or the end.
bool stripNumbering(std::string_view &s)
{
    std::string_view t = s;
    if (!t.empty() && (t.front() == '(' || t.front() == '['))
        t.remove_prefix(1);
    else if (t.starts_with("Query ") || t.starts_with("query "))
        t.remove_prefix(6);
    else if (t.size() > 1 && (t.front() == 'Q' || t.front() == 'q') && std::isdigit(static_cast<unsigned char>(t[1])))
        t.remove_prefix(1);
    std::size_t digits = 0;
    while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits])))
        ++digits;
    if (digits == 0 || digits > 3 || digits == t.size())
        return false;
    const char mark = t[digits];
    if (mark != '.' && mark != ')' && mark != ':' && mark != ']')
        return false;
    t.remove_prefix(digits + 1);
    if (!t.empty() && !isSpace(static_cast<unsigned char>(t.front())))
        return false;  // "3.5 mm cables": a number, not a list mark
    s = t;
    return true;
}

// Markers stripped until none is left: "1. - "quoted"" -> quoted.
std::string cleanLine(std::string_view line)
{
    std::string_view s = trim(line);
    for (bool changed = true; changed && !s.empty();) {
        changed = false;
        if (stripNumbering(s)) {
            changed = true;
        } else {
            // A bullet is followed by a space: "-5 degrees" keeps its sign.
            for (std::string_view b : kBullets)
                if (s.size() > b.size() && s.starts_with(b) && isSpace(static_cast<unsigned char>(s[b.size()]))) {
                    s.remove_prefix(b.size());
                    changed = true;
                    break;
                }
        }
        if (stripPrefix(s, "**")) {  // markdown bold around the whole item
            if (s.ends_with("**"))
                s.remove_suffix(2);
            changed = true;
        }
        s = trim(s);
        for (std::string_view opening : kQuotes)
            for (std::string_view closing : kQuotes)
                if (s.size() >= opening.size() + closing.size() && s.starts_with(opening) && s.ends_with(closing)) {
                    s = trim(s.substr(opening.size(), s.size() - opening.size() - closing.size()));
                    changed = true;
                }
    }
    return std::string(s);
}

// For repeat detection: ASCII-lowercased words, punctuation and spacing ignored.
std::string comparable(std::string_view text)
{
    std::string out;
    bool space = false;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c >= 0x80) {
            if (space && !out.empty())
                out += ' ';
            out += char(std::tolower(c));
            space = false;
        } else {
            space = true;
        }
    }
    return out;
}

void addUsage(TransformUsage &usage, const ChatResponse &r)
{
    ++usage.calls;
    if (r.usage.known()) {
        usage.inputTokens += r.usage.inputTokens;
        usage.outputTokens += r.usage.outputTokens;
    } else {
        usage.usageKnown = false;
    }
    if (usage.calls == 1)
        usage.costUsd = r.costUsd;
    else if (usage.costUsd && r.costUsd)
        usage.costUsd = *usage.costUsd + *r.costUsd;
    else
        usage.costUsd.reset();
}

Error transformError(const Error &cause, const QueryTransform &transform, const std::string &model)
{
    return Error{cause.code,
                 std::string(transformKindName(transform.kind)) + " query transform with " + model + " failed: "
                     + cause.detail,
                 cause.source.empty() ? model : cause.source};
}

std::string passageText(std::string_view reply)
{
    std::string_view s = trim(reply);
    if (stripPrefix(s, "Passage:"))
        s = trim(s);
    return std::string(s);
}

// The model calls of one transform; fills passages or phrasings and the usage.
Result<void> askModel(TransformedQuery &out, const PromptTemplate &prompt, const ChatModel &model,
                      const JobContext &ctx)
{
    const QueryTransform &t = out.transform;
    const bool hyde = t.kind == TransformKind::Hyde;
    PromptTemplate filled = prompt;
    const std::string variants = std::to_string(t.variants);
    const PromptSlot count[] = {{"{n}", variants}};
    filled.system = fillPlaceholders(filled.system, count);
    filled.user = fillPlaceholders(filled.user, count);
    ChatRequest request;
    request.messages = filled.render(out.query, {});
    request.temperature = t.temperature;
    request.maxTokens = hyde ? kPassageMaxTokens : kPhrasingMaxTokens * (t.variants + 2);
    // HyDE samples one passage per call; each call has its own seed so a provider
    // that honours seeds returns the same N passages on a rerun.
    const int calls = hyde ? t.variants : 1;
    for (int i = 0; i < calls; ++i) {
        if (ctx.cancelled())
            return fail(ErrorCode::Cancelled, "query transform cancelled", model.name());
        request.seed = i + 1;
        auto response = model.chat(request, {}, ctx);
        if (!response)
            return std::unexpected(response.error());
        addUsage(out.usage, *response);
        if (hyde) {
            std::string passage = passageText(response->text);
            if (!passage.empty())
                out.passages.push_back(std::move(passage));
        } else {
            out.phrasings = parseQueryVariants(response->text, out.query, t.variants);
        }
    }
    if (hyde && out.passages.empty())
        return fail(ErrorCode::Provider, "the model wrote no passage", model.name());
    if (!hyde && out.phrasings.empty())
        return fail(ErrorCode::Parse, "the model's reply holds no phrasing other than the question", model.name());
    return {};
}

} // namespace

std::vector<QuerySearch> TransformedQuery::searches() const
{
    if (!transform.active() || fellBack)
        return {QuerySearch{query, {query}}};
    if (transform.kind == TransformKind::Hyde) {
        QuerySearch search{query, {query}};
        for (const std::string &p : passages) {
            search.denseTexts.push_back(p);
            if (transform.hydeInKeyword)
                search.keywordText += "\n" + p;
        }
        return {search};
    }
    std::vector<QuerySearch> all{QuerySearch{query, {query}}};
    for (const std::string &p : phrasings)
        all.push_back(QuerySearch{p, {p}});
    return all;
}

Result<PromptTemplate> transformPrompt(const QueryTransform &transform)
{
    if (!transform.prompt.empty())
        return findPromptTemplate(transform.prompt);
    switch (transform.kind) {
    case TransformKind::Hyde: return findPromptTemplate("hyde");
    case TransformKind::MultiQuery: return findPromptTemplate("multi-query");
    case TransformKind::None: break;
    }
    return fail(ErrorCode::InvalidArgument, "no query transform is configured", "transform");
}

std::vector<std::string> parseQueryVariants(std::string_view reply, std::string_view original, int maxVariants)
{
    std::vector<std::string> out;
    std::unordered_set<std::string> seen{comparable(original)};
    std::size_t start = 0;
    while (start <= reply.size() && int(out.size()) < maxVariants) {
        std::size_t end = reply.find('\n', start);
        if (end == std::string_view::npos)
            end = reply.size();
        const std::string_view raw = trim(reply.substr(start, end - start));
        start = end + 1;
        if (raw.empty() || raw.ends_with(':'))  // blank, or "Here are three queries:"
            continue;
        std::string line = cleanLine(raw);
        const std::string key = comparable(line);
        if (key.empty() || !seen.insert(key).second)
            continue;
        out.push_back(std::move(line));
    }
    return out;
}

Result<TransformedQuery> transformQuery(const std::string &query, const QueryTransform &transform,
                                        const ChatModel &model, const JobContext &ctx)
{
    TransformedQuery out;
    out.query = query;
    out.transform = transform;
    out.model = model.name();
    if (!transform.active())
        return out;
    auto prompt = transformPrompt(transform);
    if (!prompt)
        return std::unexpected(prompt.error());
    out.promptKey = prompt->key();
    out.promptHash = prompt->textHash();
    QElapsedTimer timer;
    timer.start();
    auto asked = askModel(out, *prompt, model, ctx);
    out.usage.totalMs = double(timer.nsecsElapsed()) / 1e6;
    if (asked)
        return out;
    if (asked.error().code == ErrorCode::Cancelled || ctx.cancelled())
        return fail(ErrorCode::Cancelled, std::string(transformKindName(transform.kind)) + " query transform cancelled",
                    out.model);
    const Error error = transformError(asked.error(), transform, out.model);
    if (!transform.fallbackOnError)
        return std::unexpected(error);
    out.fellBack = true;
    out.fallbackReason = error.message();
    out.passages.clear();
    out.phrasings.clear();
    return out;
}

Result<TransformedSearch> searchTransformed(const Searcher &searcher, const Database &db, Lane lane,
                                            const std::string &query, const QueryTransform &transform,
                                            const ChatModel &model, const LaneParams &params, int candidates,
                                            const JobContext &ctx)
{
    auto transformed = transformQuery(query, transform, model, ctx);
    if (!transformed)
        return std::unexpected(transformed.error());
    auto result = searcher.searchExpanded(db, lane, transformed->searches(), params, candidates, ctx);
    if (!result)
        return std::unexpected(result.error());
    return TransformedSearch{std::move(*transformed), std::move(*result)};
}

QueryExpander makeQueryExpander(const QueryTransform &transform, std::shared_ptr<const ChatModel> model,
                                std::function<void(const TransformedQuery &)> onTransformed)
{
    return [transform, model = std::move(model), onTransformed = std::move(onTransformed)](
               const std::string &query, const JobContext &ctx) -> Result<QueryExpansion> {
        auto transformed = transformQuery(query, transform, *model, ctx);
        if (!transformed)
            return std::unexpected(transformed.error());
        if (onTransformed)
            onTransformed(*transformed);
        QueryExpansion expansion;
        expansion.searches = transformed->searches();
        expansion.modelCalls = transformed->usage.calls;
        expansion.inputTokens = transformed->usage.inputTokens;
        expansion.outputTokens = transformed->usage.outputTokens;
        expansion.costUsd = transformed->usage.costUsd;
        expansion.fellBack = transformed->fellBack;
        return expansion;
    };
}

} // namespace rag
