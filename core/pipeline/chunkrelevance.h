#pragma once
// Chunk-level ground truth derived from source-level labels, so every chunking
// of the same documents is scored on one eval set without relabelling: a chunk
// is relevant when it comes from a document judged as a whole, or when its
// [start, end) byte range overlaps a judged span (start < spanEnd and
// spanStart < end). Its relevance is the largest of the labels it meets.
// Functions over a Project, used on the thread that opened it.
#include "core/common/result.h"
#include "core/eval/evalset.h"
#include "core/store/evalrepository.h"

#include <cstdint>
#include <string>

namespace rag {

class Project;

// Chunk ids are written in decimal as the "doc ids" of the returned qrels, the
// form chunk rankings use (see chunkRunOf in evaluation.h). Judgments on
// documents the project lacks produce no chunk.
Result<Qrels> chunkQrels(const Project &project, const std::string &chunkSet, const StoredEvalSet &set);

// The id a chunk has in chunk-level qrels and runs.
std::string chunkKey(std::int64_t chunkId);

} // namespace rag
