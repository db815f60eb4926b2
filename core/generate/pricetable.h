#pragma once
// PriceTable: what a model costs per million input and output tokens, read from an
// editable JSON file so prices can follow the providers without a rebuild:
//   {"version": 1, "currency": "USD",
//    "prices": [{"provider": "openai", "model": "gpt-4o-mini",
//                "input_per_mtok": 0.15, "output_per_mtok": 0.60}, ...]}
// A "model" ending in '*' matches every model with that prefix (the longest match
// wins). Immutable after loading; share it freely between threads.
#include "core/common/result.h"
#include "core/generate/chatmodel.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

struct ModelPrice {
    std::string provider;
    std::string model;  // exact, or a prefix ending in '*'
    double inputPerMTok = 0;
    double outputPerMTok = 0;
};

class PriceTable {
public:
    PriceTable() = default;
    explicit PriceTable(std::vector<ModelPrice> prices) : m_prices(std::move(prices)) {}

    // Parse errors name the entry ("prices[3].input_per_mtok") in Error::source.
    static Result<PriceTable> fromJson(std::string_view json, const std::string &source = "price table");
    static Result<PriceTable> load(const std::string &path);
    std::string toJson() const;

    std::optional<ModelPrice> find(std::string_view provider, std::string_view model) const;
    // Cost in the table's currency; empty when the model is not priced or usage unknown.
    std::optional<double> cost(std::string_view provider, std::string_view model, const TokenUsage &usage) const;

    const std::vector<ModelPrice> &prices() const { return m_prices; }
    const std::string &currency() const { return m_currency; }

private:
    std::vector<ModelPrice> m_prices;
    std::string m_currency = "USD";
};

} // namespace rag
