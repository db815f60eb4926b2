#pragma once
// HTML (.html, .htm): decoded with the charset the page declares when its bytes
// are not UTF-8, then reduced to visible text by HtmlTextExtractor. Metadata
// records the encoding and <html lang>. Stateless, thread-safe.
#include "core/ingest/formatloader.h"

namespace rag {

class HtmlLoader {
public:
    static Result<void> load(RawFile &&raw, const LoadOptions &options, LoadedFile &out);
};

} // namespace rag
