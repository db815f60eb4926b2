#pragma once
// MarkdownOutline: the sections and blocks of a markdown text, as offsets.
//
// ATX (# .. ######) and setext (=== / ---) headings open sections; each section
// records the path of headings above it ("Intro > Setup"). Inside a section the
// blocks are the runs of text between blank lines and the fenced code blocks
// (``` or ~~~), which are never cut; headings are never recognised inside a
// fence. A leading YAML front matter block is kept whole in the preamble.
// Value type built by parse(); no state shared between calls.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

struct MarkdownSection {
    std::size_t begin = 0; // the heading line (or the document start for the preamble)
    std::size_t end = 0;
    std::string headingPath;
    std::vector<std::size_t> blockStarts; // ascending; the first is `begin`
};

class MarkdownOutline {
public:
    // Sections covering text[begin, end) in order, without gaps; empty ones are left out.
    static std::vector<MarkdownSection> parse(std::string_view text, std::size_t begin, std::size_t end);
};

} // namespace rag
