#pragma once
// CSV and TSV (.csv, .tsv): one document per data row. The delimiter (',' ';'
// or TAB) is sniffed; the first record is the header, and the field rules of
// recordfields.h pick the id, title and text columns; the remaining columns go
// to the metadata. Rows count as in a spreadsheet (the header is row 1); a row
// without an id column gets its row number as id. A malformed, ragged, empty or
// duplicate-id row becomes a record error at "file:line" and the rest loads.
// Stateless, thread-safe.
#include "core/ingest/formatloader.h"

namespace rag {

class CsvLoader {
public:
    static Result<void> load(RawFile &&raw, const LoadOptions &options, LoadedFile &out);
};

} // namespace rag
