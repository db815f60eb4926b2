#include "core/ingest/jsonlloader.h"

#include "core/ingest/recordfields.h"
#include "core/ingest/textdecoder.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <unordered_map>

namespace rag {

namespace {

using nlohmann::json;

struct RecordContext {
    const std::string &path;
    const LoadOptions &options;
    std::int64_t line;
};

std::string describeType(const json &value)
{
    return std::string(value.type_name());
}

// "[json.exception.parse_error.101] parse error at line 1, column 7: ..." -> "column 7: ..."
std::string parseErrorReason(const json::exception &e)
{
    std::string reason = e.what();
    if (const std::size_t bracket = reason.find("] "); bracket != std::string::npos)
        reason.erase(0, bracket + 2);
    if (const std::size_t column = reason.find("column "); column != std::string::npos && column < 40)
        reason.erase(0, column);
    return reason;
}

std::optional<std::string> idString(const json &value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_number_integer())
        return value.dump();
    return std::nullopt;
}

// The document for one parsed object, or the reason it cannot be one.
Result<SourceDocument> recordDocument(const json &object, const RecordContext &ctx)
{
    const std::string source = ctx.path + ":" + std::to_string(ctx.line);
    std::vector<std::string> keys;
    for (const auto &item : object.items())
        keys.push_back(item.key());
    const int idField = findField(keys, FieldRole::Id);
    const int titleField = findField(keys, FieldRole::Title);
    const int textField = findField(keys, FieldRole::Text);

    SourceDocument doc;
    if (idField >= 0) {
        const std::string &key = keys[std::size_t(idField)];
        const auto id = idString(object.at(key));
        if (!id)
            return fail(ErrorCode::Parse, "field '" + key + "' must be a string or an integer, not "
                                              + describeType(object.at(key)), source);
        if (id->empty())
            return fail(ErrorCode::Parse, "field '" + key + "' is empty", source);
        doc.externalId = *id;
    } else {
        doc.externalId = std::to_string(ctx.line);
    }
    if (titleField >= 0) {
        const std::string &key = keys[std::size_t(titleField)];
        const json &title = object.at(key);
        if (!title.is_string() && !title.is_null())
            return fail(ErrorCode::Parse, "field '" + key + "' must be a string, not " + describeType(title), source);
        if (title.is_string())
            doc.title = title.get<std::string>();
    }

    const auto metadataIt = object.find("metadata");
    const bool metadataObject = metadataIt != object.end() && metadataIt->is_object();
    json metadata = metadataObject ? *metadataIt : json::object();
    if (textField >= 0) {
        const std::string &key = keys[std::size_t(textField)];
        const json &text = object.at(key);
        if (!text.is_string())
            return fail(ErrorCode::Parse, "field '" + key + "' must be a string, not " + describeType(text), source);
        doc.text = text.get<std::string>();
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const int field = int(i);
        if (field == idField || field == titleField || field == textField || (metadataObject && keys[i] == "metadata"))
            continue;
        const json &value = object.at(keys[i]);
        if (textField >= 0) {
            if (!metadata.contains(keys[i]))
                metadata[keys[i]] = value;
        } else {
            appendFieldLine(doc.text, keys[i], value.is_string() ? value.get<std::string>() : value.dump());
        }
    }
    doc.metadataJson = dumpJson(metadata);
    return finishDocument(std::move(doc), ctx.options, source, "record", true);
}

} // namespace

Result<void> JsonlLoader::load(RawFile &&raw, const LoadOptions &options, LoadedFile &out)
{
    auto decoded = decodeText(std::move(raw.bytes), raw.path);
    if (!decoded)
        return std::unexpected(decoded.error());
    const std::string_view text = decoded->text;

    std::unordered_map<std::string, std::int64_t> seenIds;
    bool formatDecided = false;
    std::int64_t line = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        std::string_view content = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++line;
        if (content.ends_with('\r'))
            content.remove_suffix(1);
        if (content.find_first_not_of(" \t") == std::string_view::npos)
            continue;

        json object;
        try {
            object = json::parse(content);
        } catch (const json::exception &e) {
            out.recordErrors.push_back(recordError(ErrorCode::Parse, raw.path, line, "invalid JSON (" + parseErrorReason(e) + ")"));
            continue;
        }
        if (!object.is_object()) {
            out.recordErrors.push_back(recordError(ErrorCode::Parse, raw.path, line,
                                                   "expected a JSON object, found " + describeType(object)));
            continue;
        }
        if (!formatDecided) {
            formatDecided = true;
            if (object.contains("_id") && object.contains("text"))
                out.format = "beir";
        }
        Result<SourceDocument> doc;
        try {
            doc = recordDocument(object, RecordContext{raw.path, options, line});
        } catch (const json::exception &e) {
            doc = fail(ErrorCode::Parse, std::string("unusable record: ") + e.what(),
                       raw.path + ":" + std::to_string(line));
        }
        if (!doc) {
            out.recordErrors.push_back(doc.error());
            continue;
        }
        if (const auto it = seenIds.find(doc->externalId); it != seenIds.end()) {
            out.recordErrors.push_back(recordError(ErrorCode::Parse, raw.path, line,
                                                   "repeats id '" + doc->externalId + "' from line "
                                                       + std::to_string(it->second)));
            continue;
        }
        seenIds.emplace(doc->externalId, line);
        out.documents.push_back(std::move(*doc));
    }
    return {};
}

} // namespace rag
