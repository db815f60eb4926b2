'use strict';
// Baseline for tests/benchmarks/tokenize: gpt-tokenizer 4.0.0 encoding the same documents.
//
//   NODE_PATH=<assets>/node-reference/node_modules node tokenizer_bench.cjs <docs.json> <encoding>
//
// docs.json is a JSON array of strings written by the C++ benchmark. Prints JSON
// {tokens, checksum, bytes, seconds, cpuSeconds}: one timed pass after a warm-up pass (so V8 has
// compiled the hot paths) with the merge cache cleared between, so neither pass is
// served from results of the other. The checksum folds every id in order
// (h = h * 31 + id mod 2^32), the same way the C++ side does, to prove equal output.

const fs = require('fs');

const [docsPath, encodingName] = process.argv.slice(2);
const enc = require('gpt-tokenizer/encoding/' + encodingName);
const docs = JSON.parse(fs.readFileSync(docsPath, 'utf8'));
const noSpecial = { disallowedSpecial: new Set() };

function pass() {
  let tokens = 0;
  let checksum = 0;
  for (const doc of docs) {
    const ids = enc.encode(doc, noSpecial);
    tokens += ids.length;
    for (const id of ids) checksum = (Math.imul(checksum, 31) + id) >>> 0;
  }
  return { tokens, checksum };
}

pass();
enc.clearMergeCache();
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const result = pass();
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart); // whole process, GC threads included
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const bytes = docs.reduce((sum, d) => sum + Buffer.byteLength(d, 'utf8'), 0);
process.stdout.write(JSON.stringify({ ...result, bytes, seconds, cpuSeconds }));
