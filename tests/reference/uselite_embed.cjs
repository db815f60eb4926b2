// Reference embeddings for the C++ use-lite embedder: runs the TF.js implementation
// (@energetic-ai/embeddings 0.2.0 on @energetic-ai/core, WASM backend) on the model
// files the engine reads, and writes the token ids, the vectors and the time taken.
//
// usage: NODE_PATH=<assets>/node-reference/node_modules node uselite_embed.cjs IN.json OUT.json
//   IN.json:  {"modelDir": ".../use-lite/dist", "texts": [...], "batchSize": 16,
//              "vectors": true, "warmup": 0}
//   OUT.json: {"ids": [[...]], "vectors": [[...]], "seconds": s, "cpuSeconds": s,
//              "backend": "wasm", "versions": {...}}
// "seconds" (wall) and "cpuSeconds" (user + system, all threads) cover embedding
// only: not loading the model, nor the warm-up call that first embeds the first
// `warmup` texts (TF.js sets its kernels up on first use).
'use strict';
const fs = require('fs');
const { performance } = require('perf_hooks');
const core = require('@energetic-ai/core');
const { initModel } = require('@energetic-ai/embeddings');

// The graph sizes its batch from the largest row index present in the sparse
// input, so texts without tokens at the end of a batch would silently drop out of
// the result (and a batch of only such texts throws). A non-empty sentinel after
// such a batch keeps each text at its own row; its vector is discarded.
const SENTINEL = 'sentinel';

async function embedAll(model, texts, batchSize) {
  const out = [];
  for (let i = 0; i < texts.length; i += batchSize) {
    const batch = texts.slice(i, i + batchSize);
    const padded = model.tokenizer.encode(batch[batch.length - 1]).length === 0;
    const vectors = await model.embed(padded ? batch.concat([SENTINEL]) : batch);
    if (vectors.length !== batch.length + (padded ? 1 : 0))
      throw new Error(`reference returned ${vectors.length} rows for a batch of ${batch.length}`);
    out.push(...vectors.slice(0, batch.length));
  }
  return out;
}

async function main() {
  const [inPath, outPath] = process.argv.slice(2);
  if (!inPath || !outPath)
    throw new Error('usage: uselite_embed.cjs IN.json OUT.json');
  const input = JSON.parse(fs.readFileSync(inPath, 'utf-8'));
  const dir = input.modelDir;
  const source = async () => ({
    model: await core.loadGraphModel(`file://${dir}/model.json`),
    vocabulary: JSON.parse(fs.readFileSync(`${dir}/vocab.json`, 'utf-8')),
  });
  const model = await initModel(source);
  const texts = input.texts;
  const batchSize = input.batchSize || 16;

  const ids = texts.map((t) => model.tokenizer.encode(t));
  if (input.warmup > 0 && texts.length > 0)
    await embedAll(model, texts.slice(0, input.warmup), batchSize);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const vectors = await embedAll(model, texts, batchSize);
  const cpu = process.cpuUsage(cpuStart);
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const result = { ids, seconds, cpuSeconds, backend: core.getBackend(), versions: core.version };
  if (input.vectors !== false)
    result.vectors = vectors;
  fs.writeFileSync(outPath, JSON.stringify(result));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
