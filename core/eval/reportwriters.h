#pragma once
// Text renderings of evaluation results for people and spreadsheets: a
// report's metric table as CSV (full round-trip precision) or Markdown (4
// decimals), and a comparison table for `ragwb compare`. Pure functions.
#include "core/eval/evalreport.h"
#include "core/eval/pairedstats.h"

#include <string>
#include <vector>

namespace rag {

// "metric,value\nndcg@10,0.6627...\n...\nqueries,300\n" (RFC 4180 quoting).
std::string metricTableCsv(const EvalReport &report);

// A Markdown table: | metric | value |, one row per metric, then the query
// count and the eval set (name, split, first 12 hex digits of the hash).
std::string metricTableMarkdown(const EvalReport &report);

// CSV of a comparison: metric, n, mean_a, mean_b, delta, ci_low, ci_high,
// p_value, exact_p, significant, queries_for_power (empty when undefined).
std::string comparisonCsv(const std::vector<MetricComparison> &comparisons);

// Markdown of a comparison, with the method stated under the table.
std::string comparisonMarkdown(const std::vector<MetricComparison> &comparisons, const PairedTestOptions &options);

} // namespace rag
