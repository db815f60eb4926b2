// ragwb compare: two eval reports of the same eval set, compared per metric
// with a paired bootstrap CI and a paired randomisation test; a CI gate that
// fails only on a significant regression, never on noise.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"

#include "core/eval/comparison.h"
#include "core/eval/evalreport.h"
#include "core/eval/metricspec.h"
#include "core/eval/reportwriters.h"
#include "core/eval/textfile.h"

#include <QFileInfo>

#include <cstdio>

namespace rag::cli {

namespace {

void addCompareOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("A.json"), QStringLiteral("Baseline report (ragwb eval --json)."));
    parser.addPositionalArgument(QStringLiteral("B.json"), QStringLiteral("Candidate report on the same eval set."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Write the comparison as JSON."), QStringLiteral("OUT")});
    parser.addOption({QStringLiteral("markdown"), QStringLiteral("Write the comparison as a Markdown table."), QStringLiteral("OUT")});
    parser.addOption({QStringLiteral("csv"), QStringLiteral("Write the comparison as CSV."), QStringLiteral("OUT")});
    parser.addOption({QStringLiteral("metrics"),
                      QStringLiteral("Comma-separated metrics the gate checks (default: every shared metric)."),
                      QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("fail-on-regression"),
                      QStringLiteral("Exit 3 when B is significantly worse than A on a gated metric.")});
    parser.addOption({QStringLiteral("alpha"), QStringLiteral("Significance level (default 0.05)."), QStringLiteral("A"),
                      QStringLiteral("0.05")});
    parser.addOption({QStringLiteral("resamples"), QStringLiteral("Bootstrap resamples and random sign flips (default 10000)."),
                      QStringLiteral("N"), QStringLiteral("10000")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the resampling (default 20240601)."), QStringLiteral("N"),
                      QStringLiteral("20240601")});
}

Result<PairedTestOptions> optionsFrom(const QCommandLineParser &parser)
{
    PairedTestOptions options;
    bool okAlpha = false, okResamples = false, okSeed = false;
    options.alpha = parser.value(QStringLiteral("alpha")).toDouble(&okAlpha);
    options.bootstrapResamples = parser.value(QStringLiteral("resamples")).toInt(&okResamples);
    options.permutations = options.bootstrapResamples;
    options.seed = parser.value(QStringLiteral("seed")).toULongLong(&okSeed);
    if (!okAlpha || options.alpha <= 0.0 || options.alpha >= 0.5)
        return fail(ErrorCode::InvalidArgument, "expected a level in (0, 0.5)", "--alpha");
    if (!okResamples || options.bootstrapResamples < 100)
        return fail(ErrorCode::InvalidArgument, "expected at least 100", "--resamples");
    if (!okSeed)
        return fail(ErrorCode::InvalidArgument, "expected a non-negative integer", "--seed");
    return options;
}

Result<void> writeOutputs(const QCommandLineParser &parser, const std::vector<MetricComparison> &comparisons,
                          const PairedTestOptions &options, const std::string &labelA, const std::string &labelB)
{
    if (parser.isSet(QStringLiteral("json"))) {
        const std::string text = comparisonJson(comparisons, options, labelA, labelB).dump(2) + "\n";
        if (auto ok = evalio::writeTextFile(toStd(parser.value(QStringLiteral("json"))), text); !ok)
            return ok;
    }
    if (parser.isSet(QStringLiteral("markdown"))) {
        const std::string text = "A: " + labelA + "  \nB: " + labelB + "\n\n" + comparisonMarkdown(comparisons, options);
        if (auto ok = evalio::writeTextFile(toStd(parser.value(QStringLiteral("markdown"))), text); !ok)
            return ok;
    }
    if (parser.isSet(QStringLiteral("csv")))
        if (auto ok = evalio::writeTextFile(toStd(parser.value(QStringLiteral("csv"))), comparisonCsv(comparisons)); !ok)
            return ok;
    return {};
}

void printTable(const std::vector<MetricComparison> &comparisons)
{
    std::printf("%-12s %8s %8s %9s %21s %9s  %s\n", "metric", "A", "B", "delta", "95% CI", "p", "verdict");
    for (const MetricComparison &c : comparisons) {
        const PairedTestResult &t = c.test;
        std::printf("%-12s %8.4f %8.4f %+9.4f   [%+8.4f, %+8.4f] %9.4g  %s\n", c.metric.c_str(), t.meanA, t.meanB,
                    t.delta, t.ciLow, t.ciHigh, t.pValue, verdictName(verdictOf(t)));
    }
    if (!comparisons.empty())
        std::printf("(%zu paired queries)\n", comparisons.front().test.n);
}

} // namespace

int runCompare(const QStringList &args)
{
    QCommandLineParser parser;
    addCompareOptions(parser);
    int code = Ok;
    if (!parseCommand(parser, QStringLiteral("compare"),
                      QStringLiteral("Compare two eval reports of the same eval set: per metric delta, paired bootstrap CI "
                                     "and paired randomisation p-value."),
                      args, code))
        return code;
    const QStringList files = parser.positionalArguments();
    if (files.size() != 2)
        return usageError(QStringLiteral("compare"), QStringLiteral("expected two reports: A.json B.json"));
    auto options = optionsFrom(parser);
    if (!options)
        return usageError(QStringLiteral("compare"), QString::fromStdString(options.error().message()));
    std::vector<std::string> gated;
    for (const QString &m : parser.value(QStringLiteral("metrics")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        auto spec = MetricSpec::parse(toStd(m.trimmed()));
        if (!spec)
            return usageError(QStringLiteral("compare"), QString::fromStdString(spec.error().message()));
        gated.push_back(spec->name());
    }

    auto a = EvalReport::load(toStd(files[0]));
    if (!a)
        return reportError(a.error());
    auto b = EvalReport::load(toStd(files[1]));
    if (!b)
        return reportError(b.error());
    auto comparisons = compareReports(*a, *b, *options);
    if (!comparisons)
        return reportError(comparisons.error());
    auto worse = regressions(*comparisons, gated);
    if (!worse)
        return usageError(QStringLiteral("compare"), QString::fromStdString(worse.error().message()));

    const std::string labelA = toStd(QFileInfo(files[0]).fileName());
    const std::string labelB = toStd(QFileInfo(files[1]).fileName());
    if (auto ok = writeOutputs(parser, *comparisons, *options, labelA, labelB); !ok)
        return reportError(ok.error());
    printTable(*comparisons);

    if (worse->empty())
        return Ok;
    for (const std::string &metric : *worse)
        std::fprintf(stderr, "ragwb: %s is significantly worse in %s than in %s\n", metric.c_str(), labelB.c_str(),
                     labelA.c_str());
    return parser.isSet(QStringLiteral("fail-on-regression")) ? BelowThreshold : Ok;
}

} // namespace rag::cli
