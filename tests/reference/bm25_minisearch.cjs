'use strict';
// Baseline for tests/benchmarks/bm25: npm minisearch on the same chunks and queries.
//
//   NODE_PATH=<assets>/node-reference/node_modules node bm25_minisearch.cjs <chunks.json> <queries.json> [k]
//
// <chunks.json> is a JSON array of chunk texts (the document id is the array index),
// <queries.json> a JSON array of query texts. The index uses minisearch's default
// tokenizer and lower-casing and keeps every term, as the engine's FTS5 table does;
// queries drop the same English stopwords as KeywordIndex::queryTerms (unless a query
// is nothing but stopwords) and search with combineWith 'OR', no prefix, no fuzzy.
// Every query is run once untimed (JIT warm-up), then timed one by one with
// process.hrtime.bigint() (wall) and process.cpuUsage() (CPU of the whole process,
// garbage collection included, so a loaded machine's waiting time drops out). Prints
// JSON {version, chunks, queries, buildSeconds, buildCpuSeconds, p50Ms, p99Ms, meanMs,
// p50CpuMs, p99CpuMs, zeroResultQueries, top: [[chunk index, ...] per query]}.

const fs = require('fs');
const path = require('path');
const MiniSearch = require('minisearch');

// Lucene's English stop set, the list core/index/keywordindex.cpp drops from queries.
const STOPWORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no',
  'not', 'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this',
  'to', 'was', 'will', 'with']);

// Nearest-rank percentile, the definition the C++ side uses.
function percentile(sorted, p) {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

// The engine keeps stopwords when a query has nothing else; a per-query processTerm
// decides that up front so minisearch sees exactly the engine's term list.
function searchOptions(query) {
  const terms = MiniSearch.getDefault('tokenize')(query).map((t) => t.toLowerCase()).filter((t) => t.length > 0);
  const onlyStopwords = terms.every((t) => STOPWORDS.has(t));
  return {
    combineWith: 'OR',
    prefix: false,
    fuzzy: false,
    processTerm: (term) => {
      const lower = term.toLowerCase();
      return !onlyStopwords && STOPWORDS.has(lower) ? null : lower;
    },
  };
}

function main() {
  const [chunksPath, queriesPath, kArg] = process.argv.slice(2);
  if (!chunksPath || !queriesPath) {
    console.error('usage: bm25_minisearch.cjs <chunks.json> <queries.json> [k]');
    process.exit(2);
  }
  const k = Number(kArg ?? 10);
  const texts = JSON.parse(fs.readFileSync(chunksPath, 'utf8'));
  const queries = JSON.parse(fs.readFileSync(queriesPath, 'utf8'));
  const documents = texts.map((text, id) => ({ id, text }));

  const buildCpuStart = process.cpuUsage();
  const buildStart = process.hrtime.bigint();
  const index = new MiniSearch({ fields: ['text'], storeFields: [] });
  index.addAll(documents);
  const buildSeconds = Number(process.hrtime.bigint() - buildStart) / 1e9;
  const buildCpu = process.cpuUsage(buildCpuStart);

  const options = queries.map(searchOptions);
  for (let i = 0; i < queries.length; i++)
    index.search(queries[i], options[i]);

  const latencies = [];
  const cpuLatencies = [];
  const top = [];
  let zeroResultQueries = 0;
  for (let i = 0; i < queries.length; i++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const hits = index.search(queries[i], options[i]).slice(0, k);
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    const cpu = process.cpuUsage(cpuStart);
    cpuLatencies.push((cpu.user + cpu.system) / 1e3);
    if (hits.length === 0)
      zeroResultQueries++;
    top.push(hits.map((hit) => hit.id));
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const sortedCpu = [...cpuLatencies].sort((a, b) => a - b);
  // minisearch's package.json is not exported; read it beside the resolved entry point.
  const version = JSON.parse(fs.readFileSync(
    path.join(path.dirname(require.resolve('minisearch')), '..', '..', 'package.json'), 'utf8')).version;
  console.log(JSON.stringify({
    version, chunks: texts.length, queries: queries.length, buildSeconds,
    buildCpuSeconds: (buildCpu.user + buildCpu.system) / 1e6,
    p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99),
    meanMs: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    p50CpuMs: percentile(sortedCpu, 0.5), p99CpuMs: percentile(sortedCpu, 0.99),
    zeroResultQueries, top,
  }));
}

main();
