#pragma once
// JsonSchema: a validator for the subset of JSON Schema the judge prompts use —
// type (string or list of "object", "array", "string", "number", "integer",
// "boolean", "null"), required, properties, additionalProperties (a boolean),
// enum, minimum, maximum, items (one schema for every element) and minItems.
// A schema using any other keyword is refused at compile() rather than silently
// half-checked. Violations name the RFC 6901 JSON pointer of the bad value
// ("/claims/2/verdict"), so a judge can be told exactly what to fix.
// An immutable value after compile(); thread-safe.
#include "core/common/result.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace rag {

struct SchemaViolation {
    std::string pointer;  // "" is the document root
    std::string message;  // "expected integer, got string"

    // "<pointer>: <message>", with "(root)" for the root.
    std::string text() const;
};

class JsonSchema {
public:
    // InvalidArgument (naming the schema pointer) for unsupported keywords or
    // malformed values of supported ones.
    static Result<JsonSchema> compile(const nlohmann::json &schema);
    static Result<JsonSchema> compileText(std::string_view schemaText);

    // Every violation, in document order (object members by key); empty when valid.
    std::vector<SchemaViolation> validate(const nlohmann::json &value) const;

    const nlohmann::json &schema() const { return m_schema; }

private:
    explicit JsonSchema(nlohmann::json schema) : m_schema(std::move(schema)) {}
    nlohmann::json m_schema;
};

// "~" -> "~0" and "/" -> "~1", as a JSON pointer reference token spells them.
std::string jsonPointerToken(std::string_view key);

} // namespace rag
