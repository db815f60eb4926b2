#pragma once
// Word documents (.docx): the ZIP container is read with libzip from memory,
// word/document.xml (and word/styles.xml) by DocxBodyParser, docProps/core.xml
// for the title and author. A broken archive, a missing or ill-formed main part,
// or an encrypted (OLE-wrapped) document fails with Corrupt and the reason.
// Stateless, thread-safe (one archive handle per call).
#include "core/ingest/formatloader.h"

namespace rag {

class DocxLoader {
public:
    static Result<void> load(RawFile &&raw, const LoadOptions &options, LoadedFile &out);
};

} // namespace rag
