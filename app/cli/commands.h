#pragma once
// The ragwb subcommands. Each takes its own argument list ("ragwb <command>"
// first) and returns the process exit code (see cliutil.h).
#include "core/common/result.h"
#include "core/config/pipelineconfig.h"
#include "core/store/project.h"

#include <QCommandLineParser>
#include <QStringList>

#include <memory>
#include <string>
#include <vector>

namespace rag::cli {

int runInit(const QStringList &args);
int runIngest(const QStringList &args);
int runChunk(const QStringList &args);
int runIndex(const QStringList &args);
int runInfo(const QStringList &args);
int runQuery(const QStringList &args);
int runAsk(const QStringList &args);
int runEmbed(const QStringList &args);
int runEval(const QStringList &args);
int runCompare(const QStringList &args);
int runEvalSetCommand(const QStringList &args);
int runSweepCommand(const QStringList &args);
int runRunsCommand(const QStringList &args);
int runJudge(const QStringList &args);

// Pipeline options: pipelineoptions.h. Helpers below live in evalsetcommand.cpp.
// --metrics as a list, or `fallback` when not given.
std::vector<std::string> metricList(const QCommandLineParser &parser, std::vector<std::string> fallback);
// The existing project named by --project.
Result<std::unique_ptr<Project>> openProjectOption(const QCommandLineParser &parser);

} // namespace rag::cli
