#include "core/generate/pricetable.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace rag {

const char *chatRoleName(ChatRole role)
{
    switch (role) {
    case ChatRole::System: return "system";
    case ChatRole::User: return "user";
    case ChatRole::Assistant: return "assistant";
    }
    return "user";
}

namespace {

Result<double> nonNegative(const nlohmann::json &entry, const char *field, const std::string &where)
{
    const auto it = entry.find(field);
    if (it == entry.end() || !it->is_number())
        return fail(ErrorCode::Parse, std::string("missing or non-numeric '") + field + "'", where + "." + field);
    const double value = it->get<double>();
    if (value < 0)
        return fail(ErrorCode::InvalidArgument, "a price cannot be negative", where + "." + field);
    return value;
}

} // namespace

Result<PriceTable> PriceTable::fromJson(std::string_view json, const std::string &source)
{
    const auto doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return fail(ErrorCode::Parse, "not a JSON object", source);
    if (doc.value("version", 0) != 1)
        return fail(ErrorCode::Unsupported, "unknown price table version (expected 1)", source + ":version");
    const auto prices = doc.find("prices");
    if (prices == doc.end() || !prices->is_array())
        return fail(ErrorCode::Parse, "'prices' must be an array", source + ":prices");
    PriceTable table;
    if (doc.contains("currency") && doc["currency"].is_string())
        table.m_currency = doc["currency"].get<std::string>();
    for (std::size_t i = 0; i < prices->size(); ++i) {
        const auto &entry = (*prices)[i];
        const std::string where = source + ":prices[" + std::to_string(i) + "]";
        if (!entry.is_object() || !entry.contains("provider") || !entry["provider"].is_string()
            || !entry.contains("model") || !entry["model"].is_string())
            return fail(ErrorCode::Parse, "each price needs string 'provider' and 'model'", where);
        ModelPrice price{entry["provider"].get<std::string>(), entry["model"].get<std::string>(), 0, 0};
        auto in = nonNegative(entry, "input_per_mtok", where);
        if (!in)
            return std::unexpected(in.error());
        auto out = nonNegative(entry, "output_per_mtok", where);
        if (!out)
            return std::unexpected(out.error());
        price.inputPerMTok = *in;
        price.outputPerMTok = *out;
        table.m_prices.push_back(std::move(price));
    }
    return table;
}

Result<PriceTable> PriceTable::load(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(ErrorCode::NotFound, "cannot open the price table", path);
    std::ostringstream text;
    text << in.rdbuf();
    return fromJson(text.str(), path);
}

std::string PriceTable::toJson() const
{
    nlohmann::json prices = nlohmann::json::array();
    for (const ModelPrice &p : m_prices)
        prices.push_back({{"provider", p.provider}, {"model", p.model}, {"input_per_mtok", p.inputPerMTok},
                          {"output_per_mtok", p.outputPerMTok}});
    return nlohmann::json{{"version", 1}, {"currency", m_currency}, {"prices", prices}}.dump(2);
}

std::optional<ModelPrice> PriceTable::find(std::string_view provider, std::string_view model) const
{
    const ModelPrice *best = nullptr;
    std::size_t bestLength = 0;
    for (const ModelPrice &p : m_prices) {
        if (p.provider != provider)
            continue;
        if (p.model == model)
            return p;  // an exact entry beats every prefix
        if (!p.model.empty() && p.model.back() == '*') {
            const std::string_view prefix(p.model.data(), p.model.size() - 1);
            if (model.substr(0, prefix.size()) == prefix && (best == nullptr || prefix.size() > bestLength)) {
                best = &p;
                bestLength = prefix.size();
            }
        }
    }
    if (best == nullptr)
        return std::nullopt;
    return *best;
}

std::optional<double> PriceTable::cost(std::string_view provider, std::string_view model, const TokenUsage &usage) const
{
    if (!usage.known())
        return std::nullopt;
    const auto price = find(provider, model);
    if (!price)
        return std::nullopt;
    return (double(usage.inputTokens) * price->inputPerMTok + double(usage.outputTokens) * price->outputPerMTok) / 1e6;
}

} // namespace rag
