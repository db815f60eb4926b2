#include "core/generate/reranker.h"

#include "core/generate/prompttemplate.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace rag {

namespace {

std::string cutUtf8(const std::string &text, std::size_t maxBytes)
{
    if (text.size() <= maxBytes)
        return text;
    std::size_t end = maxBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;  // never split a multi-byte character
    return text.substr(0, end) + "...";
}

} // namespace

RemoteReranker::RemoteReranker(RemoteRerankerOptions options, std::shared_ptr<const HttpClient> http)
    : m_options(std::move(options))
    , m_client(m_options.provider, std::move(http), RetryPolicy(m_options.retry))
{
    while (!m_options.baseUrl.empty() && m_options.baseUrl.back() == '/')
        m_options.baseUrl.pop_back();
    m_options.maxCandidatesPerRequest = std::max(1, m_options.maxCandidatesPerRequest);
}

Result<void> RemoteReranker::scoreBatch(const std::string &query, std::span<const std::string> batch, double *out,
                                        const JobContext &ctx) const
{
    using nlohmann::json;
    HttpRequest request;
    request.url = m_options.baseUrl + "/rerank";
    request.timeouts = m_options.timeouts;
    request.source = name();
    if (!m_options.apiKey.empty())
        request.headers.push_back(HttpHeader::bearer(m_options.apiKey));
    json body;
    std::int64_t tokens = std::int64_t(query.size() / 4);
    json docs = json::array();
    for (const std::string &c : batch) {
        docs.push_back(c);
        tokens += std::int64_t(c.size() / 4);
    }
    if (m_options.wire == RerankWire::Tei) {
        body = {{"query", query}, {"texts", docs}, {"raw_scores", false}};
    } else {
        body = {{"model", m_options.model}, {"query", query}, {"documents", docs}, {"top_n", batch.size()}};
    }
    auto answer = m_client.sendJson(request, body, tokens, ctx);
    if (!answer)
        return std::unexpected(answer.error());
    const json *results = answer->is_array() ? &*answer : nullptr;
    if (!results && answer->is_object() && answer->contains("results") && (*answer)["results"].is_array())
        results = &(*answer)["results"];
    if (!results)
        return fail(ErrorCode::Parse, "the rerank answer has no results array", request.source);
    std::vector<bool> seen(batch.size(), false);
    for (const json &r : *results) {
        if (!r.is_object() || !r.contains("index") || !r["index"].is_number_integer())
            return fail(ErrorCode::Parse, "a rerank result has no integer index", request.source);
        const auto index = r["index"].get<std::int64_t>();
        const char *field = r.contains("relevance_score") ? "relevance_score" : "score";
        if (index < 0 || std::size_t(index) >= batch.size() || seen[std::size_t(index)] || !r.contains(field)
            || !r[field].is_number())
            return fail(ErrorCode::Parse, "a rerank result has a bad index or score", request.source);
        seen[std::size_t(index)] = true;
        out[index] = r[field].get<double>();
    }
    if (std::find(seen.begin(), seen.end(), false) != seen.end())
        return fail(ErrorCode::Parse,
                    "the reranker scored " + std::to_string(results->size()) + " of " + std::to_string(batch.size())
                        + " candidates",
                    request.source);
    return {};
}

Result<std::vector<double>> RemoteReranker::score(const std::string &query, std::span<const std::string> candidates,
                                                  const JobContext &ctx) const
{
    std::vector<double> scores(candidates.size(), 0.0);
    const std::size_t step = std::size_t(m_options.maxCandidatesPerRequest);
    for (std::size_t first = 0; first < candidates.size(); first += step) {
        if (ctx.cancelled())
            return fail(ErrorCode::Cancelled, "reranking was cancelled", name());
        const std::size_t count = std::min(step, candidates.size() - first);
        if (auto ok = scoreBatch(query, candidates.subspan(first, count), scores.data() + first, ctx); !ok)
            return std::unexpected(ok.error());
    }
    return scores;
}

RerankFunction RemoteReranker::function() const
{
    return [self = *this](const std::string &q, std::span<const std::string> c, const JobContext &ctx) {
        return self.score(q, c, ctx);
    };
}

LlmListwiseReranker::LlmListwiseReranker(std::shared_ptr<const ChatModel> model, std::size_t maxPassageChars)
    : m_model(std::move(model))
    , m_maxPassageChars(maxPassageChars)
{
}

std::vector<std::size_t> LlmListwiseReranker::parseRanking(std::string_view reply, std::size_t candidates)
{
    std::vector<std::size_t> order;
    std::vector<bool> taken(candidates, false);
    for (std::size_t i = 0; i < reply.size();) {
        if (reply[i] < '0' || reply[i] > '9') {
            ++i;
            continue;
        }
        std::size_t n = 0;
        while (i < reply.size() && reply[i] >= '0' && reply[i] <= '9' && n < 100000)
            n = n * 10 + std::size_t(reply[i++] - '0');
        if (n >= 1 && n <= candidates && !taken[n - 1]) {
            taken[n - 1] = true;
            order.push_back(n - 1);
        }
    }
    return order;
}

Result<std::vector<double>> LlmListwiseReranker::score(const std::string &query,
                                                       std::span<const std::string> candidates,
                                                       const JobContext &ctx) const
{
    if (candidates.empty())
        return std::vector<double>();
    auto prompt = findPromptTemplate("listwise-rerank");
    if (!prompt)
        return std::unexpected(prompt.error());
    std::string passages;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        passages += "[" + std::to_string(i + 1) + "] " + cutUtf8(candidates[i], m_maxPassageChars) + "\n\n";
    ChatRequest request;
    request.messages = prompt->render(query, passages);
    request.maxTokens = int(8 * candidates.size() + 16);
    auto reply = m_model->chat(request, {}, ctx);
    if (!reply)
        return std::unexpected(reply.error());
    const std::vector<std::size_t> order = parseRanking(reply->text, candidates.size());
    if (order.empty())
        return fail(ErrorCode::Parse, "the model's reply names no passage number", m_model->name());
    const double n = double(candidates.size());
    std::vector<double> scores(candidates.size(), -1.0);
    for (std::size_t pos = 0; pos < order.size(); ++pos)
        scores[order[pos]] = n - double(pos);
    double below = n - double(order.size());
    for (double &s : scores)
        if (s < 0)
            s = below--;  // left out by the model: keep input order, under every ranked one
    return scores;
}

RerankFunction LlmListwiseReranker::function() const
{
    return [self = *this](const std::string &q, std::span<const std::string> c, const JobContext &ctx) {
        return self.score(q, c, ctx);
    };
}

} // namespace rag
