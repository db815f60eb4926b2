#pragma once
// RecursiveChunker: LangChain's RecursiveCharacterTextSplitter (keepSeparator =
// true, the JS default) computed on byte offsets.
//
// A range is split before every occurrence of the first separator that occurs in
// it (the separator starts the following piece); pieces shorter than `size` are
// packed by PieceMerger, longer ones are split again with the remaining
// separators. Differences from LangChain, all documented in chunktext.h: lengths
// are code points (LangChain: UTF-16 units), the "" split is by code point, and a
// separator list without "" still ends in a code point split so no chunk exceeds
// the size. Immutable after construction; chunk() may run on many threads at once.
#include "core/chunking/chunkerconfig.h"
#include "core/chunking/chunksink.h"
#include "core/chunking/unitmeasure.h"

#include <cstddef>
#include <string>
#include <vector>

namespace rag {

class RecursiveChunker {
public:
    explicit RecursiveChunker(const ChunkerConfig &config);

    // Chunks text[begin, end) into the sink. Expects a validated config, valid
    // UTF-8 and a measure in the config's unit.
    void chunk(const UnitMeasure &measure, ChunkSink &sink, std::size_t begin, std::size_t end) const;

private:
    struct Run;
    void splitRange(Run &run, std::size_t begin, std::size_t end, std::size_t firstSeparator,
                    std::size_t depth) const;
    template <bool Characters>
    void splitOn(Run &run, std::size_t begin, std::size_t end, std::size_t separator,
                 std::size_t depth) const;
    template <bool Characters>
    void splitCodePoints(Run &run, std::size_t begin, std::size_t end, std::size_t depth) const;

    std::size_t m_size;
    std::size_t m_overlap;
    std::vector<std::string> m_separators;
};

} // namespace rag
