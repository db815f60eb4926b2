#pragma once
// Shared plumbing of the ragwb commands: exit codes, error printing, a progress
// printer for stderr, and the parser set-up every command uses.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"

#include <QCommandLineParser>
#include <QStringList>

#include <string>
#include <vector>

namespace rag {
struct TransformedQuery;
}

namespace rag::cli {

enum ExitCode { Ok = 0, Failure = 1, Usage = 2, BelowThreshold = 3 };

// Prints "ragwb: <source>: <detail>" to stderr and returns Failure.
int reportError(const Error &error);
// Prints "ragwb <command>: <message>" and the command's help hint; returns Usage.
int usageError(const QString &command, const QString &message);

// A JobContext whose progress goes to stderr (one line per stage change and at
// most one per second), silent when quiet.
JobContext stderrProgress(bool quiet);

// Parses args (args[0] is "ragwb <command>") with the standard --help/--quiet;
// returns false after printing help (exitCode = Ok) or a usage error (exitCode = Usage).
bool parseCommand(QCommandLineParser &parser, const QString &command, const QString &description,
                  const QStringList &args, int &exitCode);

std::string toStd(const QString &s);

// A real-valued option's value; InvalidArgument naming the option when it is not a
// number (QString::toDouble alone would turn "--alpha abc" into 0, a valid weight).
Result<double> doubleOption(const QCommandLineParser &parser, const QString &name);

// One --fail-under bound, METRIC=VALUE, the metric name lower-cased.
struct MetricBound {
    std::string metric;
    double bound = 0;
};

// Every METRIC=VALUE of a repeatable --fail-under option; the error names the bad value
// and shows `example` ("ndcg@10=0.60").
Result<std::vector<MetricBound>> parseMetricBounds(const QStringList &values, const std::string &example);

// The passages or phrasings a query transform's model wrote, whether it fell back
// to the plain query, and its calls, tokens, cost and time, on stderr.
void printTransformed(const rag::TransformedQuery &t);

} // namespace rag::cli
