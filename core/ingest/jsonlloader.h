#pragma once
// JSON Lines (.jsonl, .ndjson): one JSON object per line, one document per
// object, with the field rules of recordfields.h (a record without an id field
// gets its line number as id). A file whose first record has "_id" and "text"
// is a BEIR corpus and gets format "beir": title and text stay separate and the
// record's "metadata" object becomes the document metadata. Fields that are not
// id, title or text join the metadata. A malformed line, a non-object, a
// missing or non-string text, an empty or duplicate id is a record error at
// "file:line"; the rest loads. Stateless, thread-safe.
#include "core/ingest/formatloader.h"

namespace rag {

class JsonlLoader {
public:
    static Result<void> load(RawFile &&raw, const LoadOptions &options, LoadedFile &out);
};

} // namespace rag
