#pragma once
// Citations: finds the "[n]" markers in an answer ("[2]", "[1][3]", "[1, 3]",
// "[2-4]") and maps each number to the passage it names in the assembled context.
// A number that names no included passage is flagged, so a view can mark it and an
// evaluation can count it. Stateless functions over values; thread-safe.
#include "core/generate/contextassembler.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace rag {

struct Citation {
    int number = 0;
    std::size_t offset = 0;  // byte offset of the bracket group in the answer
    std::size_t length = 0;  // byte length of the bracket group ("[1, 3]")
    std::int64_t chunkId = 0;  // the cited chunk; 0 when the number names none
    bool valid = false;
};

struct CitationReport {
    std::vector<Citation> citations;  // in order of appearance (one per number)
    std::vector<int> citedNumbers;    // valid numbers, each once, in order of first citation
    std::vector<int> invalidNumbers;  // numbers naming no passage, each once
};

CitationReport parseCitations(std::string_view answer, const AssembledContext &context);

} // namespace rag
