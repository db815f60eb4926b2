#pragma once
// The ragwb subcommands. Each takes its own argument list ("ragwb <command>"
// first) and returns the process exit code (see cliutil.h).
#include <QStringList>

namespace rag::cli {

int runInit(const QStringList &args);
int runIngest(const QStringList &args);
int runChunk(const QStringList &args);
int runIndex(const QStringList &args);
int runInfo(const QStringList &args);
int runQuery(const QStringList &args);
int runEmbed(const QStringList &args);
int runEval(const QStringList &args);

} // namespace rag::cli
