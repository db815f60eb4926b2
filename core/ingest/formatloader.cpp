#include "core/ingest/formatloader.h"

#include "core/ingest/textnormaliser.h"

#include <nlohmann/json.hpp>

namespace rag {

Result<SourceDocument> finishDocument(SourceDocument doc, const LoadOptions &options,
                                      const std::string &source, std::string_view what,
                                      bool allowTitleOnly)
{
    doc.text = normaliseText(doc.text);
    doc.title = normaliseTitle(doc.title);
    if (doc.metadataJson.empty())
        doc.metadataJson = "{}";
    const bool blankText = isBlankText(doc.text);
    if (blankText && (!allowTitleOnly || doc.title.empty()))
        return fail(ErrorCode::Empty, std::string(what) + " has no text (empty or only white space)", source);
    const std::int64_t chars = countCodePoints(doc.text);
    if (chars > options.maxDocumentChars)
        return fail(ErrorCode::TooLarge,
                    std::string(what) + " has " + std::to_string(chars)
                        + " characters, over the limit of " + std::to_string(options.maxDocumentChars),
                    source);
    return doc;
}

std::string dumpJson(const nlohmann::json &value)
{
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Error recordError(ErrorCode code, const std::string &path, std::int64_t line, std::string detail)
{
    return Error{code, std::move(detail), path + ":" + std::to_string(line)};
}

} // namespace rag
