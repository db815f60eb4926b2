#include "core/pipeline/ingestion.h"

#include "core/common/logging.h"
#include "core/ingest/filecollector.h"
#include "core/ingest/fileloader.h"
#include "core/store/project.h"

namespace rag {

Result<IngestSummary> ingestPaths(const Project &project, const std::vector<std::string> &paths,
                                  const LoadOptions &options, const JobContext &ctx)
{
    DocumentRepository documents(project.db());
    IngestSummary summary;
    std::vector<Error> skipped;
    const std::vector<std::string> files = collectFiles(paths, &skipped);
    for (const Error &e : skipped) {
        auto outcome = documents.recordFailure(e.source, e);
        if (!outcome)
            return std::unexpected(outcome.error());
        summary.files.push_back(*outcome);
        ++summary.failed;
    }
    const auto total = std::int64_t(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (ctx.cancelled())
            return fail(ErrorCode::Cancelled, "import cancelled after " + std::to_string(i) + " of "
                                                  + std::to_string(files.size()) + " files (those stay imported)");
        ctx.progress(std::int64_t(i), total, "importing");
        auto loaded = loadFile(files[i], options);
        Result<ImportOutcome> outcome = loaded ? documents.importFile(*loaded) : documents.recordFailure(files[i], loaded.error());
        if (!outcome)
            return std::unexpected(outcome.error());  // the project file itself failed: stop
        switch (outcome->status) {
        case ImportStatus::Imported: ++summary.imported; break;
        case ImportStatus::Unchanged: ++summary.unchanged; break;
        case ImportStatus::Replaced: ++summary.replaced; break;
        case ImportStatus::Failed:
            ++summary.failed;
            qCInfo(lcIngest) << "failed:" << outcome->error.message().c_str();
            break;
        }
        summary.documentsAdded += outcome->added;
        summary.files.push_back(std::move(*outcome));
    }
    ctx.progress(total, total, "importing");
    return summary;
}

} // namespace rag
