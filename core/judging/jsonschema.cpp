#include "core/judging/jsonschema.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace rag {

namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 10> kKeywords = {
    "type", "required", "properties", "additionalProperties", "enum", "minimum", "maximum", "items", "minItems",
    "description"};
constexpr std::array<std::string_view, 7> kTypes = {"object", "array", "string", "number", "integer", "boolean", "null"};

Result<void> checkSchema(const Json &schema, const std::string &at)
{
    const std::string where = at.empty() ? "(schema root)" : at;
    if (!schema.is_object())
        return fail(ErrorCode::InvalidArgument, "a schema must be an object", where);
    for (const auto &[key, value] : schema.items()) {
        if (std::find(kKeywords.begin(), kKeywords.end(), key) == kKeywords.end())
            return fail(ErrorCode::InvalidArgument, "unsupported schema keyword \"" + key + "\"", where);
        const std::string here = at + "/" + jsonPointerToken(key);
        if (key == "type") {
            const Json names = value.is_array() ? value : Json::array({value});
            for (const Json &n : names)
                if (!n.is_string() || std::find(kTypes.begin(), kTypes.end(), n.get<std::string>()) == kTypes.end())
                    return fail(ErrorCode::InvalidArgument, "unknown type " + n.dump(), here);
        } else if (key == "required") {
            if (!value.is_array() || !std::all_of(value.begin(), value.end(), [](const Json &v) { return v.is_string(); }))
                return fail(ErrorCode::InvalidArgument, "required must be an array of names", here);
        } else if (key == "properties") {
            if (!value.is_object())
                return fail(ErrorCode::InvalidArgument, "properties must be an object", here);
            for (const auto &[name, sub] : value.items())
                if (auto ok = checkSchema(sub, here + "/" + jsonPointerToken(name)); !ok)
                    return ok;
        } else if (key == "additionalProperties") {
            if (!value.is_boolean())
                return fail(ErrorCode::InvalidArgument, "additionalProperties must be true or false here", here);
        } else if (key == "enum") {
            if (!value.is_array() || value.empty())
                return fail(ErrorCode::InvalidArgument, "enum must be a non-empty array", here);
        } else if (key == "minimum" || key == "maximum") {
            if (!value.is_number())
                return fail(ErrorCode::InvalidArgument, key + " must be a number", here);
        } else if (key == "items") {
            if (auto ok = checkSchema(value, here); !ok)
                return ok;
        } else if (key == "minItems") {
            if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0))
                return fail(ErrorCode::InvalidArgument, "minItems must be a non-negative integer", here);
        } else if (key == "description" && !value.is_string()) {
            return fail(ErrorCode::InvalidArgument, "description must be a string", here);
        }
    }
    return {};
}

// JSON Schema's view of a value's type: an integer-valued number is an "integer" too.
bool hasType(const Json &value, std::string_view type)
{
    if (type == "object")
        return value.is_object();
    if (type == "array")
        return value.is_array();
    if (type == "string")
        return value.is_string();
    if (type == "boolean")
        return value.is_boolean();
    if (type == "null")
        return value.is_null();
    if (type == "number")
        return value.is_number();
    if (type == "integer") {
        if (value.is_number_integer())
            return true;
        if (!value.is_number_float())
            return false;
        const double d = value.get<double>();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
}

std::string typeName(const Json &value)
{
    if (value.is_number_integer())
        return "integer";
    if (value.is_number_float())
        return "number";
    return value.type_name();
}

void validateAt(const Json &schema, const Json &value, const std::string &at, std::vector<SchemaViolation> &out)
{
    if (const auto type = schema.find("type"); type != schema.end()) {
        const Json names = type->is_array() ? *type : Json::array({*type});
        const bool ok = std::any_of(names.begin(), names.end(),
                                    [&](const Json &n) { return hasType(value, n.get<std::string>()); });
        if (!ok) {
            std::string expected;
            for (const Json &n : names)
                expected += (expected.empty() ? "" : " or ") + n.get<std::string>();
            out.push_back({at, "expected " + expected + ", got " + typeName(value)});
            return;  // the other keywords would only repeat the same mistake
        }
    }
    if (const auto values = schema.find("enum"); values != schema.end()) {
        if (std::find(values->begin(), values->end(), value) == values->end())
            out.push_back({at, value.dump() + " is not one of " + values->dump()});
    }
    if (value.is_number()) {
        const double v = value.get<double>();
        if (const auto min = schema.find("minimum"); min != schema.end() && v < min->get<double>())
            out.push_back({at, value.dump() + " is below the minimum " + min->dump()});
        if (const auto max = schema.find("maximum"); max != schema.end() && v > max->get<double>())
            out.push_back({at, value.dump() + " is above the maximum " + max->dump()});
    }
    if (value.is_object()) {
        if (const auto required = schema.find("required"); required != schema.end())
            for (const Json &name : *required)
                if (!value.contains(name.get<std::string>()))
                    out.push_back({at, "missing required property \"" + name.get<std::string>() + "\""});
        const auto properties = schema.find("properties");
        const auto additional = schema.find("additionalProperties");
        const bool closed = additional != schema.end() && !additional->get<bool>();
        for (const auto &[key, member] : value.items()) {
            const std::string here = at + "/" + jsonPointerToken(key);
            if (properties != schema.end() && properties->contains(key))
                validateAt(properties->at(key), member, here, out);
            else if (closed)
                out.push_back({here, "unexpected property \"" + key + "\""});
        }
    }
    if (value.is_array()) {
        if (const auto min = schema.find("minItems"); min != schema.end() && value.size() < min->get<std::size_t>())
            out.push_back({at, "expected at least " + min->dump() + " items, got " + std::to_string(value.size())});
        if (const auto items = schema.find("items"); items != schema.end())
            for (std::size_t i = 0; i < value.size(); ++i)
                validateAt(*items, value[i], at + "/" + std::to_string(i), out);
    }
}

} // namespace

std::string SchemaViolation::text() const
{
    return (pointer.empty() ? std::string("(root)") : pointer) + ": " + message;
}

std::string jsonPointerToken(std::string_view key)
{
    std::string out;
    out.reserve(key.size());
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

Result<JsonSchema> JsonSchema::compile(const nlohmann::json &schema)
{
    if (auto ok = checkSchema(schema, ""); !ok)
        return std::unexpected(ok.error());
    return JsonSchema(schema);
}

Result<JsonSchema> JsonSchema::compileText(std::string_view schemaText)
{
    Json schema;
    try {
        schema = Json::parse(schemaText);
    } catch (const Json::exception &e) {
        return fail(ErrorCode::Parse, e.what(), "(schema)");
    }
    return compile(schema);
}

std::vector<SchemaViolation> JsonSchema::validate(const nlohmann::json &value) const
{
    std::vector<SchemaViolation> out;
    validateAt(m_schema, value, "", out);
    return out;
}

} // namespace rag
