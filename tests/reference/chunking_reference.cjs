'use strict';
// Reference chunks from LangChain's RecursiveCharacterTextSplitter (@langchain/textsplitters 1.0.2).
//
//   NODE_PATH=<assets>/node-reference/node_modules node chunking_reference.cjs <input.json> <output.json>
//
// input:  {texts: [string], configs: [{chunkSize, chunkOverlap, separators?, length}]}
//         length is "codepoints" (the engine's character unit; LangChain's default text.length
//         counts UTF-16 units) or "cl100k_base" (token counts from gpt-tokenizer).
// output: {version, results: [[[chunk text, ...] per config] per text]}
// keepSeparator stays at the RecursiveCharacterTextSplitter default (true): the separator
// starts the following piece, which is what the engine's offset-based chunker reproduces.
// tests/chunking/tst_langchainparity.cpp compares the C++ chunks against these.

const fs = require('fs');
const { RecursiveCharacterTextSplitter } = require('@langchain/textsplitters');

const [inputPath, outputPath] = process.argv.slice(2);
if (!inputPath || !outputPath) {
  console.error('usage: chunking_reference.cjs <input.json> <output.json>');
  process.exit(2);
}

function codePointLength(text) {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

let cl100k = null;
function tokenLength(text) {
  if (!cl100k) cl100k = require('gpt-tokenizer/encoding/cl100k_base');
  return cl100k.encode(text, { disallowedSpecial: new Set() }).length;
}

function makeSplitter(config) {
  const lengthFunction = config.length === 'cl100k_base' ? tokenLength : codePointLength;
  const options = { chunkSize: config.chunkSize, chunkOverlap: config.chunkOverlap, lengthFunction };
  if (config.separators) options.separators = config.separators;
  return new RecursiveCharacterTextSplitter(options);
}

async function main() {
  const input = JSON.parse(fs.readFileSync(inputPath, 'utf8'));
  const splitters = input.configs.map(makeSplitter);
  const results = [];
  for (const text of input.texts) {
    const perConfig = [];
    for (const splitter of splitters) perConfig.push(await splitter.splitText(text));
    results.push(perConfig);
  }
  const version = require('@langchain/textsplitters/package.json').version;
  fs.writeFileSync(outputPath, JSON.stringify({ version, results }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
