#include "core/chunking/chunkerconfig.h"

#include "core/chunking/utf8text.h"
#include "core/common/hashing.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace rag {

namespace {

// Upper bound on size: keeps unit arithmetic far from overflow and catches
// configs where a byte count was typed into the size field by mistake.
constexpr std::int64_t kMaxSize = 100'000'000;

struct StrategyName {
    ChunkStrategy strategy;
    const char *name;
};
constexpr std::array<StrategyName, 4> kStrategies{{
    {ChunkStrategy::Fixed, "fixed"},
    {ChunkStrategy::Recursive, "recursive"},
    {ChunkStrategy::Sentence, "sentence"},
    {ChunkStrategy::Markdown, "markdown"},
}};

bool usesSeparators(ChunkStrategy strategy)
{
    // Sentence and markdown fall back to recursive splitting for oversized units.
    return strategy != ChunkStrategy::Fixed;
}

} // namespace

const char *chunkStrategyName(ChunkStrategy strategy)
{
    for (const auto &entry : kStrategies) {
        if (entry.strategy == strategy)
            return entry.name;
    }
    return "unknown";
}

std::optional<ChunkStrategy> chunkStrategyFromName(std::string_view name)
{
    for (const auto &entry : kStrategies) {
        if (name == entry.name)
            return entry.strategy;
    }
    return std::nullopt;
}

const char *chunkUnitName(ChunkUnit unit)
{
    return unit == ChunkUnit::Tokens ? "tokens" : "characters";
}

std::optional<ChunkUnit> chunkUnitFromName(std::string_view name)
{
    if (name == "characters")
        return ChunkUnit::Characters;
    if (name == "tokens")
        return ChunkUnit::Tokens;
    return std::nullopt;
}

std::vector<std::string> ChunkerConfig::defaultSeparators()
{
    return {"\n\n", "\n", " ", ""};
}

std::vector<std::string> ChunkerConfig::supportedEncodings()
{
    return {"cl100k_base", "o200k_base"};
}

Result<void> ChunkerConfig::validate() const
{
    if (!chunkStrategyFromName(chunkStrategyName(strategy)))
        return fail(ErrorCode::InvalidArgument, "unknown chunking strategy", "strategy");
    if (size <= 0)
        return fail(ErrorCode::InvalidArgument,
                    "size must be positive, got " + std::to_string(size), "size");
    if (size > kMaxSize)
        return fail(ErrorCode::InvalidArgument,
                    "size must be at most " + std::to_string(kMaxSize) + ", got " + std::to_string(size),
                    "size");
    if (overlap < 0)
        return fail(ErrorCode::InvalidArgument,
                    "overlap must not be negative, got " + std::to_string(overlap), "overlap");
    if (overlap >= size)
        return fail(ErrorCode::InvalidArgument,
                    "overlap (" + std::to_string(overlap) + ") must be smaller than size ("
                        + std::to_string(size) + ")",
                    "overlap");
    if (unit == ChunkUnit::Tokens) {
        const auto known = supportedEncodings();
        if (std::find(known.begin(), known.end(), encoding) == known.end())
            return fail(ErrorCode::InvalidArgument,
                        "unknown token encoding \"" + encoding + "\" (expected cl100k_base or o200k_base)",
                        "encoding");
    }
    if (usesSeparators(strategy)) {
        if (separators.empty())
            return fail(ErrorCode::InvalidArgument, "at least one separator is required", "separators");
        for (std::size_t i = 0; i < separators.size(); ++i) {
            if (utf8::firstInvalidByte(separators[i]) != std::string_view::npos)
                return fail(ErrorCode::InvalidArgument, "separator is not valid UTF-8",
                            "separators[" + std::to_string(i) + "]");
        }
    }
    return {};
}

ChunkerConfig ChunkerConfig::normalized() const
{
    ChunkerConfig copy = *this;
    if (copy.unit == ChunkUnit::Characters)
        copy.encoding = ChunkerConfig().encoding;
    if (!usesSeparators(copy.strategy))
        copy.separators = defaultSeparators();
    return copy;
}

nlohmann::json ChunkerConfig::toJson() const
{
    // nlohmann::json objects are std::map-backed, so keys serialise sorted.
    nlohmann::json json = nlohmann::json::object();
    json["version"] = kAlgorithmVersion;
    json["strategy"] = chunkStrategyName(strategy);
    json["unit"] = chunkUnitName(unit);
    json["size"] = size;
    json["overlap"] = overlap;
    if (unit == ChunkUnit::Tokens)
        json["encoding"] = encoding;
    if (usesSeparators(strategy))
        json["separators"] = separators;
    return json;
}

std::string ChunkerConfig::canonicalJson() const
{
    // Replace rather than throw on invalid UTF-8: an unvalidated config still hashes.
    return toJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ChunkerConfig::hash() const
{
    return sha256Hex(canonicalJson());
}

namespace {

Result<std::string> stringField(const nlohmann::json &value, const std::string &key)
{
    if (!value.is_string())
        return fail(ErrorCode::Parse, "must be a string", key);
    return value.get<std::string>();
}

Result<std::int64_t> integerField(const nlohmann::json &value, const std::string &key)
{
    if (!value.is_number_integer())
        return fail(ErrorCode::Parse, "must be an integer", key);
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > std::uint64_t(INT64_MAX))
        return fail(ErrorCode::Parse, "is out of range", key);
    return value.get<std::int64_t>();
}

Result<void> applyField(ChunkerConfig &config, const std::string &key, const nlohmann::json &value)
{
    if (key == "version") {
        auto version = integerField(value, key);
        if (!version)
            return std::unexpected(version.error());
        if (*version > ChunkerConfig::kAlgorithmVersion)
            return fail(ErrorCode::SchemaTooNew,
                        "written by a newer engine (chunker version " + std::to_string(*version) + ")", key);
        return {};
    }
    if (key == "strategy" || key == "unit" || key == "encoding") {
        auto text = stringField(value, key);
        if (!text)
            return std::unexpected(text.error());
        if (key == "encoding") {
            config.encoding = *text;
        } else if (key == "strategy") {
            const auto strategy = chunkStrategyFromName(*text);
            if (!strategy)
                return fail(ErrorCode::Parse, "unknown strategy \"" + *text + "\"", key);
            config.strategy = *strategy;
        } else {
            const auto unit = chunkUnitFromName(*text);
            if (!unit)
                return fail(ErrorCode::Parse, "unknown unit \"" + *text + "\"", key);
            config.unit = *unit;
        }
        return {};
    }
    if (key == "size" || key == "overlap") {
        auto number = integerField(value, key);
        if (!number)
            return std::unexpected(number.error());
        (key == "size" ? config.size : config.overlap) = *number;
        return {};
    }
    if (key == "separators") {
        if (!value.is_array())
            return fail(ErrorCode::Parse, "must be an array of strings", key);
        config.separators.clear();
        for (std::size_t i = 0; i < value.size(); ++i) {
            auto text = stringField(value[i], key + "[" + std::to_string(i) + "]");
            if (!text)
                return std::unexpected(text.error());
            config.separators.push_back(std::move(*text));
        }
        return {};
    }
    return fail(ErrorCode::Parse, "unknown key", key);
}

} // namespace

Result<ChunkerConfig> ChunkerConfig::fromJson(const nlohmann::json &json)
{
    if (!json.is_object())
        return fail(ErrorCode::Parse, "chunker config must be a JSON object");
    ChunkerConfig config;
    for (const char *required : {"strategy", "unit", "size", "overlap"}) {
        if (!json.contains(required))
            return fail(ErrorCode::Parse, "missing required key", required);
    }
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (auto applied = applyField(config, it.key(), it.value()); !applied)
            return std::unexpected(applied.error());
    }
    return config;
}

Result<ChunkerConfig> ChunkerConfig::fromJsonText(std::string_view text)
{
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception &error) {
        return fail(ErrorCode::Parse, error.what(), "chunker config");
    }
    return fromJson(json);
}

} // namespace rag
