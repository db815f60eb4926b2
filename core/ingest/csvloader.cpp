#include "core/ingest/csvloader.h"

#include "core/ingest/csvreader.h"
#include "core/ingest/recordfields.h"
#include "core/ingest/textdecoder.h"

#include <nlohmann/json.hpp>

#include <unordered_map>

namespace rag {

namespace {

struct Columns {
    std::vector<std::string> names;
    int id = -1;
    int title = -1;
    int text = -1;
};

std::string trimmed(std::string_view s)
{
    const std::size_t first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

// One data row as a document; the caller has checked the field count.
SourceDocument rowDocument(const Columns &columns, std::vector<std::string> &fields, std::int64_t row)
{
    SourceDocument doc;
    doc.externalId = columns.id >= 0 ? trimmed(fields[std::size_t(columns.id)]) : std::to_string(row);
    if (columns.title >= 0)
        doc.title = fields[std::size_t(columns.title)];
    nlohmann::json metadata = nlohmann::json::object();
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const int column = int(i);
        if (column == columns.id || column == columns.title)
            continue;
        if (columns.text >= 0 && column != columns.text)
            metadata[columns.names[i]] = fields[i];
        else if (columns.text < 0)
            appendFieldLine(doc.text, columns.names[i], fields[i]);
    }
    if (columns.text >= 0)
        doc.text = std::move(fields[std::size_t(columns.text)]);
    doc.metadataJson = dumpJson(metadata);
    return doc;
}

} // namespace

Result<void> CsvLoader::load(RawFile &&raw, const LoadOptions &options, LoadedFile &out)
{
    auto decoded = decodeText(std::move(raw.bytes), raw.path);
    if (!decoded)
        return std::unexpected(decoded.error());
    const std::string &text = decoded->text;
    const bool tsv = raw.path.size() >= 4 && (raw.path.ends_with(".tsv") || raw.path.ends_with(".TSV"));
    CsvReader reader(text, CsvReader::sniffDelimiter(text, tsv ? '\t' : ','));

    CsvReader::Record record;
    if (!reader.next(record))
        return fail(ErrorCode::Empty, "the file has no rows", raw.path);
    if (!record.error.empty())
        return fail(ErrorCode::Parse, "cannot read the header row: " + record.error, raw.path + ":1");
    Columns columns;
    for (const std::string &name : record.fields)
        columns.names.push_back(trimmed(name));
    columns.id = findField(columns.names, FieldRole::Id);
    columns.title = findField(columns.names, FieldRole::Title);
    columns.text = findField(columns.names, FieldRole::Text);

    std::unordered_map<std::string, std::int64_t> seenIds;
    std::int64_t row = 1;
    while (reader.next(record)) {
        ++row;
        const std::string rowName = "row " + std::to_string(row);
        if (!record.error.empty()) {
            out.recordErrors.push_back(recordError(ErrorCode::Parse, raw.path, record.line, rowName + ": " + record.error));
            continue;
        }
        if (record.fields.size() != columns.names.size()) {
            out.recordErrors.push_back(recordError(
                ErrorCode::Parse, raw.path, record.line,
                rowName + " has " + std::to_string(record.fields.size()) + " fields, the header has "
                    + std::to_string(columns.names.size())));
            continue;
        }
        SourceDocument doc = rowDocument(columns, record.fields, row);
        if (doc.externalId.empty()) {
            out.recordErrors.push_back(recordError(ErrorCode::Parse, raw.path, record.line,
                                                   rowName + " has an empty " + columns.names[std::size_t(columns.id)]));
            continue;
        }
        if (const auto it = seenIds.find(doc.externalId); it != seenIds.end()) {
            out.recordErrors.push_back(recordError(
                ErrorCode::Parse, raw.path, record.line,
                rowName + " repeats id '" + doc.externalId + "' from line " + std::to_string(it->second)));
            continue;
        }
        auto finished = finishDocument(std::move(doc), options, raw.path + ":" + std::to_string(record.line),
                                       rowName, true);
        if (!finished) {
            out.recordErrors.push_back(finished.error());
            continue;
        }
        seenIds.emplace(finished->externalId, record.line);
        out.documents.push_back(std::move(*finished));
    }
    return {};
}

} // namespace rag
