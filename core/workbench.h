#pragma once
// Workbench: the facade the GUI and the CLI call. It names a project file and
// offers every engine operation as a synchronous call that takes a JobContext,
// so callers run it on the JobRunner (the GUI) or inline (the CLI).
//
// Each call opens its own connection to the project file, so calls may run on
// any thread and several may run at once (SQLite WAL: one writer at a time,
// readers never blocked). Results are plain values or immutable shared objects.
#include "core/chunking/chunk.h"
#include "core/chunking/chunkerconfig.h"
#include "core/common/result.h"
#include "core/ingest/sourcedocument.h"
#include "core/jobs/jobcontext.h"
#include "core/pipeline/chunkbuild.h"
#include "core/pipeline/evaluation.h"
#include "core/pipeline/indexbuild.h"
#include "core/pipeline/ingestion.h"
#include "core/pipeline/runcomparison.h"
#include "core/retrieve/searcher.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/evalrepository.h"
#include "core/store/indexcatalog.h"

#include <memory>
#include <string>
#include <vector>

namespace rag {

// Everything a view lists about a project, read in one go.
struct ProjectSnapshot {
    std::string path;
    std::vector<DocumentInfo> documents;
    std::vector<SourceInfo> sources;
    std::vector<ChunkSetInfo> chunkSets;
    std::vector<IndexRecord> indexes;
    std::vector<bool> indexStale;       // parallel to indexes
    std::vector<StoredEvalSet> evalSets;  // without queries and judgments
    std::vector<RunRecord> runs;          // without report_json
};

// Both legs of one query, with their latencies, ready for Searcher::assemble.
struct QueryLegs {
    std::vector<LegHit> keyword;
    std::vector<LegHit> dense;
    double keywordMs = 0;
    double denseMs = 0;
};

// A chunk with its text, for display.
struct ChunkView {
    ChunkRecord record;
    std::string documentKey;
    std::string text;
    std::size_t tokens = 0;  // cl100k_base tokens
};

class Workbench {
public:
    explicit Workbench(std::string projectPath) : m_path(std::move(projectPath)) {}
    const std::string &projectPath() const { return m_path; }

    // Creates the file (or opens it) and migrates it.
    Result<void> create() const;
    Result<ProjectSnapshot> snapshot() const;

    Result<IngestSummary> ingest(const std::vector<std::string> &paths, const LoadOptions &options,
                                 const JobContext &ctx) const;
    Result<ChunkBuildSummary> chunk(const std::string &name, const ChunkerConfig &config, const JobContext &ctx) const;
    Result<IndexBuildSummary> buildIndex(const IndexBuildSpec &spec, const JobContext &ctx) const;
    Result<EvalOutcome> evaluateBeir(const BeirEvalSpec &spec, const JobContext &ctx) const;

    Result<std::string> documentText(std::int64_t documentId) const;
    Result<std::vector<ChunkRecord>> chunksOfDocument(const std::string &chunkSet, std::int64_t documentId) const;
    Result<std::vector<ChunkView>> chunkViews(const std::vector<std::int64_t> &chunkIds) const;
    Result<RunRecord> run(std::int64_t runId) const;

    // Runs and their comparison (the Evaluate pane).
    Result<std::vector<RunSummary>> runs() const;
    Result<EvalReport> runReport(std::int64_t runId) const;
    Result<RunComparison> compareRuns(std::int64_t baselineId, std::int64_t candidateId) const;
    Result<std::vector<QueryDrillDown>> drillDown(std::int64_t runA, std::int64_t runB, const std::string &metric,
                                                  int k) const;
    Result<SweepSeries> sweepSeries(const std::vector<std::int64_t> &runIds, const std::string &parameter,
                                    const std::string &metric) const;

    // Chunks a text without storing anything (live preview).
    static Result<std::vector<Chunk>> previewChunks(std::string_view text, const ChunkerConfig &config);

    Result<std::shared_ptr<const Searcher>> openSearcher(const std::string &chunkSet,
                                                         const std::string &denseIndex) const;
    Result<QueryLegs> searchLegs(const Searcher &searcher, const std::string &query, bool keyword, bool dense,
                                 int depth) const;

private:
    std::string m_path;
};

} // namespace rag
