'use strict';
// Baseline for tests/benchmarks/chunking: LangChain's RecursiveCharacterTextSplitter on one file.
//
//   NODE_PATH=<assets>/node-reference/node_modules node chunking_bench.cjs <text file> <size> <overlap> [reps]
//
// Times splitText() alone (the file is read before the clock starts), with LangChain's
// defaults (separators "\n\n", "\n", " ", ""; keepSeparator true; length = text.length),
// and prints JSON {version, bytes, chunks, seconds, cpuSeconds: [per repetition], best, bestCpu}.
// cpuSeconds is the process's user + system time (garbage collection included).

const fs = require('fs');
const { RecursiveCharacterTextSplitter } = require('@langchain/textsplitters');

async function main() {
  const [path, size, overlap, repsArg] = process.argv.slice(2);
  if (!path || !size || !overlap) {
    console.error('usage: chunking_bench.cjs <text file> <size> <overlap> [reps]');
    process.exit(2);
  }
  const buffer = fs.readFileSync(path);
  const text = buffer.toString('utf8');
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: Number(size), chunkOverlap: Number(overlap) });
  const reps = Number(repsArg ?? 3);
  const seconds = [];
  const cpuSeconds = [];
  let chunks = 0;
  for (let i = 0; i < reps; i++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const result = await splitter.splitText(text);
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    const cpu = process.cpuUsage(cpuStart);
    cpuSeconds.push((cpu.user + cpu.system) / 1e6);
    chunks = result.length;
  }
  const version = require('@langchain/textsplitters/package.json').version;
  console.log(JSON.stringify({
    version, bytes: buffer.length, chunks, seconds, cpuSeconds,
    best: Math.min(...seconds), bestCpu: Math.min(...cpuSeconds),
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
