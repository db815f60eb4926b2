#pragma once
// Plain text (.txt): encoding detection, then the whole file is one document
// with no title (plain text has no place for one). Stateless, thread-safe.
#include "core/ingest/formatloader.h"

namespace rag {

class TextLoader {
public:
    static Result<void> load(RawFile &&raw, const LoadOptions &options, LoadedFile &out);
};

} // namespace rag
