#include "app/cli/cliutil.h"

#include "core/generate/querytransform.h"

#include <QElapsedTimer>
#include <QTextStream>

#include <cstdio>
#include <memory>
#include <mutex>

namespace rag::cli {

std::string toStd(const QString &s) { return s.toStdString(); }

int reportError(const Error &error)
{
    std::fprintf(stderr, "ragwb: %s\n", error.message().c_str());
    return Failure;
}

int usageError(const QString &command, const QString &message)
{
    std::fprintf(stderr, "ragwb %s: %s\nTry 'ragwb %s --help'.\n", qPrintable(command), qPrintable(message),
                 qPrintable(command));
    return Usage;
}

JobContext stderrProgress(bool quiet)
{
    if (quiet)
        return JobContext();
    struct State {
        std::mutex mutex;
        std::string stage;
        QElapsedTimer sinceLine;
    };
    auto state = std::make_shared<State>();
    return JobContext(CancelToken(), [state](const ProgressReport &r) {
        std::lock_guard lock(state->mutex);
        const bool newStage = r.stage != state->stage;
        const bool done = r.total > 0 && r.done >= r.total;
        if (!newStage && !done && state->sinceLine.isValid() && state->sinceLine.elapsed() < 1000)
            return;
        state->stage = r.stage;
        state->sinceLine.start();
        if (r.total > 0)
            std::fprintf(stderr, "  %s: %lld/%lld (%d%%)\n", r.stage.c_str(), static_cast<long long>(r.done),
                         static_cast<long long>(r.total), int(100 * r.done / r.total));
        else
            std::fprintf(stderr, "  %s: %lld\n", r.stage.c_str(), static_cast<long long>(r.done));
    });
}

bool parseCommand(QCommandLineParser &parser, const QString &command, const QString &description,
                  const QStringList &args, int &exitCode)
{
    parser.setApplicationDescription(description);
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")});
    parser.addOption({{QStringLiteral("q"), QStringLiteral("quiet")}, QStringLiteral("No progress on stderr.")});
    if (!parser.parse(args)) {
        exitCode = usageError(command, parser.errorText());
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText().replace(QStringLiteral("ragwb [options]"),
                                                          QStringLiteral("ragwb ") + command + QStringLiteral(" [options]"));
        exitCode = Ok;
        return false;
    }
    return true;
}

Result<double> doubleOption(const QCommandLineParser &parser, const QString &name)
{
    bool ok = false;
    const QString text = parser.value(name);
    const double value = text.toDouble(&ok);
    if (!ok)
        return fail(ErrorCode::InvalidArgument, "'" + toStd(text) + "' is not a number", "--" + toStd(name));
    return value;
}

Result<std::vector<MetricBound>> parseMetricBounds(const QStringList &values, const std::string &example)
{
    std::vector<MetricBound> bounds;
    for (const QString &v : values) {
        const qsizetype eq = v.indexOf(QLatin1Char('='));
        bool ok = false;
        const double bound = eq > 0 ? v.mid(eq + 1).toDouble(&ok) : 0.0;
        if (!ok)
            return fail(ErrorCode::InvalidArgument, "expected METRIC=VALUE, e.g. " + example + ", not '" + toStd(v) + "'",
                        "--fail-under");
        bounds.push_back(MetricBound{toStd(v.left(eq).toLower()), bound});
    }
    return bounds;
}

void printTransformed(const rag::TransformedQuery &t)
{
    if (t.fellBack)
        std::fprintf(stderr, "%s fell back to the plain query: %s\n", rag::transformKindName(t.transform.kind),
                     t.fallbackReason.c_str());
    for (std::size_t i = 0; i < t.passages.size(); ++i)
        std::fprintf(stderr, "hyde passage %zu: %s\n", i + 1, t.passages[i].c_str());
    for (std::size_t i = 0; i < t.phrasings.size(); ++i)
        std::fprintf(stderr, "phrasing %zu: %s\n", i + 1, t.phrasings[i].c_str());
    std::fprintf(stderr, "transform %s by %s (%s): %d answered call(s)", rag::transformKindName(t.transform.kind), t.model.c_str(),
                 t.promptKey.c_str(), t.usage.calls);
    if (t.usage.usageKnown)
        std::fprintf(stderr, ", %lld in / %lld out tokens", static_cast<long long>(t.usage.inputTokens),
                     static_cast<long long>(t.usage.outputTokens));
    if (t.usage.costUsd)
        std::fprintf(stderr, ", $%.6f", *t.usage.costUsd);
    std::fprintf(stderr, ", %.0f ms\n", t.usage.totalMs);
}

} // namespace rag::cli
