#include "core/ingest/htmlloader.h"

#include "core/ingest/htmltextextractor.h"
#include "core/ingest/textdecoder.h"

#include <nlohmann/json.hpp>

namespace rag {

Result<void> HtmlLoader::load(RawFile &&raw, const LoadOptions &options, LoadedFile &out)
{
    const std::string declared = HtmlTextExtractor::declaredCharset(raw.bytes);
    auto decoded = decodeText(std::move(raw.bytes), raw.path, declared);
    if (!decoded)
        return std::unexpected(decoded.error());
    HtmlTextExtractor::Extracted extracted = HtmlTextExtractor::extract(decoded->text);

    nlohmann::json metadata{{"encoding", decoded->encoding}};
    if (!extracted.lang.empty())
        metadata["lang"] = extracted.lang;
    SourceDocument doc;
    doc.title = std::move(extracted.title);
    doc.text = std::move(extracted.text);
    doc.metadataJson = dumpJson(metadata);
    auto finished = finishDocument(std::move(doc), options, raw.path, "the page");
    if (!finished)
        return std::unexpected(finished.error());
    out.documents.push_back(std::move(*finished));
    return {};
}

} // namespace rag
