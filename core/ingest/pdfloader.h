#pragma once
// PDF through poppler-qt6: the text of each page in reading order, pages joined
// by a blank line ("\n\n", no form feeds), typographic ligatures (U+FB00-FB06)
// spelled out. Metadata holds the page count, the
// byte offset where each page starts in the normalised text ("pageOffsets", so
// a chunk can cite its page) and the Info dictionary entries. Poppler's own
// error messages are captured per thread and become the Corrupt detail.
// Stateless, thread-safe (one poppler document per call).
#include "core/ingest/formatloader.h"

namespace rag {

class PdfLoader {
public:
    static Result<void> load(RawFile &&raw, const LoadOptions &options, LoadedFile &out);
};

} // namespace rag
