#include "core/ingest/textloader.h"

#include "core/ingest/textdecoder.h"

#include <nlohmann/json.hpp>

namespace rag {

Result<void> TextLoader::load(RawFile &&raw, const LoadOptions &options, LoadedFile &out)
{
    auto decoded = decodeText(std::move(raw.bytes), raw.path);
    if (!decoded)
        return std::unexpected(decoded.error());
    SourceDocument doc;
    doc.text = std::move(decoded->text);
    doc.metadataJson = dumpJson(nlohmann::json{{"encoding", decoded->encoding}});
    auto finished = finishDocument(std::move(doc), options, raw.path, "the file");
    if (!finished)
        return std::unexpected(finished.error());
    out.documents.push_back(std::move(*finished));
    return {};
}

} // namespace rag
