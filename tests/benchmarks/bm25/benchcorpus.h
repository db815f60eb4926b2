#pragma once
// The BM25 benchmark's input: SciFact titles + abstracts cut into ~1 KB chunks and
// stored in a project the way the engine stores chunks (offsets into documents).
// Deterministic, so both sides of the benchmark and every run see the same chunks.
#include "core/common/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rag {
class Project;
}

namespace rag::bench {

// "title\ntext" of every record of <dir>/corpus.jsonl; empty when the file is missing.
std::vector<std::string> scifactCorpus(const std::string &dir);
// The first `count` query texts of <dir>/queries.jsonl.
std::vector<std::string> scifactQueries(const std::string &dir, std::size_t count);

// `count` chunks of at most 1,000 bytes: pass p shuffles the documents (seed p + 1),
// joins them with blank lines and cuts the stream at word boundaries, starting
// (p * 331) % 1000 bytes in, so every pass yields different windows of the same text.
std::vector<std::string> makeChunks(const std::vector<std::string> &documents, std::size_t count);

struct StoredChunks {
    std::int64_t chunkSetId = 0;
    std::vector<std::int64_t> chunkIds;  // in the order of the chunks given
};

// Imports the chunks eight to a document (joined by '\n'; each chunk is an offset
// range of its document) and stores them as chunk set "bench", in one transaction each.
Result<StoredChunks> storeChunks(const Project &project, const std::vector<std::string> &chunks);

} // namespace rag::bench
