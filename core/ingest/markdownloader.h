#pragma once
// Markdown (.md, .markdown): kept as Markdown source, because the structure-
// aware chunker needs the headings. The title comes from YAML front matter
// ("title:"), else the first level-1 heading (ATX "# x" or setext "x\n==="),
// else the first heading of any level; headings inside fenced code blocks do
// not count. Stateless, thread-safe.
#include "core/ingest/formatloader.h"

#include <string>
#include <string_view>

namespace rag {

class MarkdownLoader {
public:
    static Result<void> load(RawFile &&raw, const LoadOptions &options, LoadedFile &out);

    // The title as described above, from normalised Markdown; empty when none.
    static std::string findTitle(std::string_view markdown);
};

} // namespace rag
