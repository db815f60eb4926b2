#include "core/eval/reportwriters.h"

#include "core/eval/textfile.h"

#include <cmath>
#include <cstdio>

namespace rag {

namespace {

std::string csvField(const std::string &text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

// Markdown cells must not break the table: escape pipes, flatten newlines.
std::string markdownCell(const std::string &text)
{
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n' || c == '\r')
            out += ' ';
        else
            out += c;
    }
    return out;
}

std::string fixed(double value, int decimals)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string signedFixed(double value, int decimals)
{
    return (value >= 0.0 ? "+" : "") + fixed(value, decimals);
}

std::string pValueText(double p)
{
    if (p < 0.0001)
        return "<0.0001";
    return fixed(p, 4);
}

} // namespace

std::string metricTableCsv(const EvalReport &report)
{
    std::string out = "metric,value\n";
    for (const std::string &name : report.metricNames)
        if (const auto found = report.metrics.find(name); found != report.metrics.end())
            out += csvField(name) + "," + evalio::formatDouble(found->second) + "\n";
    out += "queries," + std::to_string(report.queries) + "\n";
    return out;
}

std::string metricTableMarkdown(const EvalReport &report)
{
    std::string out = "| metric | value |\n| --- | ---: |\n";
    for (const std::string &name : report.metricNames)
        if (const auto found = report.metrics.find(name); found != report.metrics.end())
            out += "| " + markdownCell(name) + " | " + fixed(found->second, 4) + " |\n";
    out += "| queries | " + std::to_string(report.queries) + " |\n";
    std::string set = report.evalSet.name;
    if (!report.evalSet.split.empty())
        set += " / " + report.evalSet.split;
    if (!report.evalSet.hash.empty())
        set += " (" + report.evalSet.hash.substr(0, 12) + ")";
    out += "\nEval set: " + markdownCell(set) + "\n";
    return out;
}

std::string comparisonCsv(const std::vector<MetricComparison> &comparisons)
{
    std::string out =
        "metric,n,mean_a,mean_b,delta,ci_low,ci_high,p_value,exact_p,significant,queries_for_power\n";
    for (const MetricComparison &row : comparisons) {
        const PairedTestResult &t = row.test;
        out += csvField(row.metric) + "," + std::to_string(t.n) + "," + evalio::formatDouble(t.meanA) + ","
            + evalio::formatDouble(t.meanB) + "," + evalio::formatDouble(t.delta) + ","
            + evalio::formatDouble(t.ciLow) + "," + evalio::formatDouble(t.ciHigh) + ","
            + evalio::formatDouble(t.pValue) + "," + (t.exactP ? "true" : "false") + ","
            + (t.significant ? "true" : "false") + ","
            + (t.queriesForPower ? std::to_string(*t.queriesForPower) : std::string()) + "\n";
    }
    return out;
}

std::string comparisonMarkdown(const std::vector<MetricComparison> &comparisons, const PairedTestOptions &options)
{
    const int confidence = static_cast<int>(std::lround((1.0 - options.alpha) * 100.0));
    std::string out = "| metric | A | B | delta | " + std::to_string(confidence)
        + "% CI | p | significant | queries for " + std::to_string(static_cast<int>(std::lround(options.power * 100)))
        + "% power |\n| --- | ---: | ---: | ---: | :---: | ---: | :---: | ---: |\n";
    for (const MetricComparison &row : comparisons) {
        const PairedTestResult &t = row.test;
        out += "| " + markdownCell(row.metric) + " | " + fixed(t.meanA, 4) + " | " + fixed(t.meanB, 4) + " | "
            + signedFixed(t.delta, 4) + " | [" + signedFixed(t.ciLow, 4) + ", " + signedFixed(t.ciHigh, 4) + "] | "
            + pValueText(t.pValue) + " | " + (t.significant ? "yes" : "no") + " | "
            + (t.queriesForPower ? std::to_string(*t.queriesForPower) : std::string("—")) + " |\n";
    }
    out += "\nPaired over " + std::string(comparisons.empty() ? "0" : std::to_string(comparisons.front().test.n))
        + " queries. CI: percentile bootstrap, " + std::to_string(options.bootstrapResamples)
        + " resamples. p: two-sided sign-flip randomisation test (exact when n <= "
        + std::to_string(options.exactEnumerationMaxN) + ", else " + std::to_string(options.permutations)
        + " permutations). Significant: p < " + fixed(options.alpha, 2) + " and the CI excludes 0.\n";
    return out;
}

} // namespace rag
