#pragma once
// Ingestion into a project: files and folders become documents, one transaction
// per file. Unreadable, corrupt, binary, empty, huge or unsupported inputs become
// per-file failures with their reason; the rest of the batch goes on and nothing
// already imported is lost. Runs on a job thread with the Project it opened.
#include "core/common/result.h"
#include "core/ingest/sourcedocument.h"
#include "core/jobs/jobcontext.h"
#include "core/store/documentrepository.h"

#include <string>
#include <vector>

namespace rag {

class Project;

struct IngestSummary {
    std::vector<ImportOutcome> files;  // one per file, in the order processed
    int imported = 0;
    int unchanged = 0;
    int replaced = 0;
    int failed = 0;
    int documentsAdded = 0;
};

// Cancellation stops between files; the files finished so far stay imported.
Result<IngestSummary> ingestPaths(const Project &project, const std::vector<std::string> &paths,
                                  const LoadOptions &options, const JobContext &ctx);

} // namespace rag
