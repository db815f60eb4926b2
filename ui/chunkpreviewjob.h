#pragma once
// The work behind the live chunk preview: chunks a document text with a config
// without storing anything and counts each chunk's cl100k_base tokens. Runs on
// a job thread; inputs are values, the text is shared read-only.
#include "core/chunking/chunkerconfig.h"
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"
#include "ui/chunkpreview.h"

#include <memory>
#include <string>
#include <vector>

namespace rag {

struct ChunkPreviewResult {
    std::vector<PreviewChunk> chunks;
    std::vector<double> lengths;  // in the config's unit
};

Result<ChunkPreviewResult> computeChunkPreview(const std::shared_ptr<const std::string> &text,
                                               const ChunkerConfig &config, const JobContext &ctx);

} // namespace rag
