#pragma once
// Runs leave and enter a project as one self-describing JSON file: every run
// (config, hashes, engine version, metrics, the full report) together with the
// eval sets they were measured on, so the receiving project can compare them
// without the original files. Functions over a Project, used on the thread
// that opened it.
//
// File shape: {"format": "ragworkbench-runs", "version": 1,
//   "eval_sets": [{"name", "split", "hash", "source", "queries": [[id, text]],
//                  "judgments": [[qid, doc, relevance, start|null, end|null]],
//                  "reference_answers": {qid: answer}  (optional: only sets with answers)}],
//   "runs": [{"label", "created_at", "config": {...}, "config_hash", "eval_set_hash",
//             "engine_version", "metrics": {...}, "report": {...}}]}
#include "core/common/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rag {

class Project;

// Exports the given runs (all when empty). NotFound for an unknown id.
Result<void> exportRuns(const Project &project, const std::vector<std::int64_t> &runIds, const std::string &path);

struct RunImportSummary {
    std::vector<std::int64_t> imported;  // new run ids, in file order
    int alreadyPresent = 0;              // same created_at, config hash, eval set hash and label
};

// Verifies every run before writing anything: its config must hash to its
// config_hash, its report must name its eval_set_hash, and that eval set must
// be in the file or the project (Corrupt / NotFound otherwise). Eval sets are
// stored (identical ones reused); runs already present are skipped. One
// transaction per eval set or run; runs stay immutable.
Result<RunImportSummary> importRuns(const Project &project, const std::string &path);

} // namespace rag
