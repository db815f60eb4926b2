#pragma once
// Chunk: one retrieval unit, addressed by its byte span in the document text.
//
// [start, end) are UTF-8 byte offsets into the (normalised) document text, always
// on code point boundaries; text.substr(start, end - start) IS the chunk text, so
// chunks store no copy and span-level relevance judgments map onto them directly.
// Plain value type.
#include <cstdint>
#include <string>

namespace rag {

struct Chunk {
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::string headingPath; // "Intro > Setup" for markdown, empty otherwise
    int index = 0;           // position in the document's chunk list

    bool operator==(const Chunk &) const = default;
};

} // namespace rag
