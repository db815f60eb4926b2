// Token ids from the reference tokenizer of @energetic-ai/embeddings 0.2.0 (the
// one the TF.js use-lite embedder runs) for any vocabulary, so the C++ tokenizer
// can be compared on vocabularies made to hit its corner cases.
//
// usage: NODE_PATH=<assets>/node-reference/node_modules node uselite_tokenize.cjs IN.json OUT.json
//   IN.json:  {"vocabularyPath": "vocab.json", "texts": [...]}
//   OUT.json: {"ids": [[...], ...]}
'use strict';
const fs = require('fs');
const { EmbeddingsModel } = require('@energetic-ai/embeddings');

const [inPath, outPath] = process.argv.slice(2);
if (!inPath || !outPath) {
  console.error('usage: uselite_tokenize.cjs IN.json OUT.json');
  process.exit(1);
}
const input = JSON.parse(fs.readFileSync(inPath, 'utf-8'));
const vocabulary = JSON.parse(fs.readFileSync(input.vocabularyPath, 'utf-8'));
// The tokenizer is built by the model's constructor; the graph is not needed.
const model = new EmbeddingsModel({ vocabulary, model: null });
fs.writeFileSync(outPath, JSON.stringify({ ids: input.texts.map((t) => model.tokenizer.encode(t)) }));
