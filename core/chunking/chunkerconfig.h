#pragma once
// ChunkerConfig: everything that determines how a document is cut into chunks.
//
// Its canonical JSON (only the fields that influence the output, keys sorted) is
// hashed into the chunk set's identity, so two configs that chunk identically
// hash identically and any change that could move a chunk boundary changes the
// hash. Plain value type; validate() before use.
#include "core/common/result.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

enum class ChunkStrategy { Fixed, Recursive, Sentence, Markdown };
enum class ChunkUnit { Characters, Tokens }; // Characters are Unicode code points

const char *chunkStrategyName(ChunkStrategy strategy); // "fixed", "recursive", ...
std::optional<ChunkStrategy> chunkStrategyFromName(std::string_view name);
const char *chunkUnitName(ChunkUnit unit); // "characters", "tokens"
std::optional<ChunkUnit> chunkUnitFromName(std::string_view name);

struct ChunkerConfig {
    // Bumped whenever a chunker changes its output for the same config, so chunk
    // sets made by an older engine are not mistaken for current ones.
    static constexpr int kAlgorithmVersion = 1;

    ChunkStrategy strategy = ChunkStrategy::Recursive;
    ChunkUnit unit = ChunkUnit::Characters;
    std::int64_t size = 1000;
    std::int64_t overlap = 200;
    std::string encoding = "cl100k_base"; // tokenizer encoding when unit == Tokens
    std::vector<std::string> separators = defaultSeparators();

    static std::vector<std::string> defaultSeparators(); // "\n\n", "\n", " ", ""
    static std::vector<std::string> supportedEncodings(); // "cl100k_base", "o200k_base"

    // InvalidArgument naming the offending field in Error::source.
    Result<void> validate() const;

    // The same config with fields that cannot affect the output reset to their
    // defaults (encoding for character units, separators for fixed windows).
    ChunkerConfig normalized() const;

    // Canonical JSON: the fields of normalized(), keys in sorted order, plus the
    // algorithm version. fromJson(toJson(c)) == c.normalized().
    nlohmann::json toJson() const;
    std::string canonicalJson() const;
    // Missing optional fields take defaults; unknown keys and wrong types are
    // Parse errors naming the key. The result is not validated.
    static Result<ChunkerConfig> fromJson(const nlohmann::json &json);
    static Result<ChunkerConfig> fromJsonText(std::string_view text);

    // sha256 (hex) of canonicalJson(): the chunk set's identity.
    std::string hash() const;

    bool operator==(const ChunkerConfig &) const = default;
};

} // namespace rag
