'use strict';
// Scripted LLM-provider test server for the net/ tests: speaks the OpenAI and
// Anthropic wire formats (JSON and server-sent events) on 127.0.0.1 with ephemeral
// ports and misbehaves on purpose (429 with Retry-After, 5xx then success, stalled
// and truncated streams, malformed JSON, echoed keys).
//
// Usage: node llm_test_server.cjs [--tls-cert cert.pem --tls-key key.pem]
// Prints one JSON line {"http": port, "https": port|null} once listening.
// Paths are /<scenario>/<id>/...: attempts are counted per /<scenario>/<id>, so
// every test uses its own id; GET /__stats/<scenario>/<id> returns the counters.
// Bounded: exits when stdin closes (the test process went away), after 120 s
// without a request, or after 20000 requests.

const http = require('http');
const https = require('https');
const fs = require('fs');
const crypto = require('crypto');

const MAX_REQUESTS = 20000;
const IDLE_EXIT_MS = 120000;

const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const attempts = new Map();  // "/scenario/id" -> request count
const served = new Map();    // "/scenario/id" -> Map(text -> times embedded)
const batchAttempts = new Map(); // "/scenario/id" + batch hash -> attempts
let totalRequests = 0;
let idleTimer = null;

function resetIdleTimer() {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => process.exit(0), IDLE_EXIT_MS);
}

function sendJson(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, Object.assign({
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  }, headers));
  res.end(text);
}

function openAiError(status, message) {
  return {error: {message, type: status === 429 ? 'rate_limit_error' : 'test_error', code: null}};
}

// Writes `buffer` in slices of `sliceBytes`, `delayMs` apart: splits land inside
// lines, CRLF pairs and UTF-8 sequences. Then calls `done(res)`.
function writeSliced(res, buffer, sliceBytes, delayMs, done) {
  let offset = 0;
  const step = () => {
    if (res.destroyed) return;
    if (offset >= buffer.length) {
      done(res);
      return;
    }
    res.write(buffer.subarray(offset, offset + sliceBytes));
    offset += sliceBytes;
    setTimeout(step, delayMs);
  };
  step();
}

function startEventStream(req, res) {
  req.socket.setNoDelay(true);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
  });
  res.flushHeaders();
}

// The text both stream scenarios spell out; the C++ test holds the same literal.
const STREAM_PIECES = ['H\u00e9l', 'lo, w\u00f6', 'rld \u2014 ', '\u2713 ', '\u65e5\u672c',
  '\u8a9e ', '\ud83d\ude42', '\nline2 "quoted" \\ end'];

function openAiStreamBody() {
  const chunk = (delta, finish) => JSON.stringify({
    id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-test',
    choices: [{index: 0, delta, finish_reason: finish}],
  });
  let body = ': keep-alive comment\r\n\r\n';
  body += `data: ${chunk({role: 'assistant', content: ''}, null)}\r\n\r\n`;
  STREAM_PIECES.forEach((piece, i) => {
    // Alternate CRLF and LF framing inside one stream, as proxies sometimes rewrite it.
    const eol = i % 2 === 0 ? '\r\n' : '\n';
    body += `data: ${chunk({content: piece}, null)}${eol}${eol}`;
  });
  body += `data: ${chunk({}, 'stop')}\n\n`;
  body += `data: ${JSON.stringify({id: 'chatcmpl-test', object: 'chat.completion.chunk', choices: [],
    usage: {prompt_tokens: 9, completion_tokens: 12, total_tokens: 21}})}\n\n`;
  body += 'data: [DONE]\n\n';
  return Buffer.from(body, 'utf8');
}

function anthropicEvent(type, payload) {
  return `event: ${type}\ndata: ${JSON.stringify(Object.assign({type}, payload))}\n\n`;
}

function anthropicStreamBody(withError) {
  let body = anthropicEvent('message_start', {message: {id: 'msg_test', type: 'message', role: 'assistant',
    content: [], model: 'claude-test', stop_reason: null, stop_sequence: null,
    usage: {input_tokens: 12, output_tokens: 1}}});
  body += anthropicEvent('content_block_start', {index: 0, content_block: {type: 'text', text: ''}});
  body += anthropicEvent('ping', {});
  const pieces = withError ? STREAM_PIECES.slice(0, 2) : STREAM_PIECES;
  for (const piece of pieces)
    body += anthropicEvent('content_block_delta', {index: 0, delta: {type: 'text_delta', text: piece}});
  if (withError) {
    body += anthropicEvent('error', {error: {type: 'overloaded_error', message: 'Overloaded'}});
    return Buffer.from(body, 'utf8');
  }
  body += anthropicEvent('content_block_stop', {index: 0});
  body += anthropicEvent('message_delta', {delta: {stop_reason: 'end_turn', stop_sequence: null},
    usage: {output_tokens: 15}});
  body += anthropicEvent('message_stop', {});
  return Buffer.from(body, 'utf8');
}

// Deterministic test vectors: component i is byte (i mod 32) of sha256(text),
// centred; not normalised, so the client's normalisation is exercised.
function testVector(text, dims) {
  const digest = crypto.createHash('sha256').update(text, 'utf8').digest();
  const v = [];
  for (let i = 0; i < dims; ++i) v.push((digest[i % 32] - 127.5) / 127.5);
  return v;
}

function handleEmbeddings(scenario, key, body, res) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const latency = /^embed-latency-(\d+)$/.exec(scenario);
  if (latency) {
    // A remote model's think time: lets parallel requests overlap as they would.
    setTimeout(() => handleEmbeddings('embed', key, body, res), Number(latency[1]));
    return;
  }
  const dims = body.dimensions || 8;
  if (scenario === 'embed-storm') {
    // Every batch is refused at least once (429), odd-sized ones a second time (503).
    const batchKey = key + crypto.createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
    const n = (batchAttempts.get(batchKey) || 0) + 1;
    batchAttempts.set(batchKey, n);
    if (n === 1) {
      sendJson(res, 429, openAiError(429, 'Rate limit reached for requests'), {'retry-after-ms': '5'});
      return;
    }
    if (n === 2 && inputs.length % 2 === 1) {
      sendJson(res, 503, openAiError(503, 'The server is overloaded'));
      return;
    }
  }
  const perText = served.get(key) || new Map();
  served.set(key, perText);
  for (const text of inputs) perText.set(text, (perText.get(text) || 0) + 1);
  let data = inputs.map((text, index) => ({object: 'embedding', index,
    embedding: testVector(text, scenario === 'embed-baddim' ? dims - 1 : dims)}));
  if (scenario === 'embed-short') data = data.slice(1);
  data.reverse();  // the API promises an index per item, not an order
  sendJson(res, 200, {object: 'list', data, model: body.model,
    usage: {prompt_tokens: inputs.length, total_tokens: inputs.length}});
}

function handleModels(body, res) {
  const model = String(body.model || '');
  if (model.startsWith('down-')) {
    sendJson(res, 503, openAiError(503, `The model ${model} is overloaded`));
  } else if (model.startsWith('missing-')) {
    sendJson(res, 404, openAiError(404, `The model \`${model}\` does not exist`));
  } else {
    sendJson(res, 200, {id: 'chatcmpl-test', object: 'chat.completion', model,
      choices: [{index: 0, message: {role: 'assistant', content: `answered by ${model}`},
        finish_reason: 'stop'}]});
  }
}

// Ollama /api/chat: newline-delimited JSON, sliced so lines and UTF-8 sequences split.
function ollamaStreamBody() {
  let body = '';
  for (const piece of STREAM_PIECES)
    body += JSON.stringify({model: 'llama-test', created_at: '2026-01-01T00:00:00Z',
      message: {role: 'assistant', content: piece}, done: false}) + '\n';
  body += JSON.stringify({model: 'llama-test', created_at: '2026-01-01T00:00:00Z',
    message: {role: 'assistant', content: ''}, done: true, done_reason: 'stop',
    prompt_eval_count: 26, eval_count: 8}) + '\n';
  return Buffer.from(body, 'utf8');
}

// A chat stream that sends one short delta every 50 ms for 30 s: for cancellation.
function slowStream(res) {
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed || i >= 600) {
      clearInterval(timer);
      if (!res.destroyed) res.end('data: [DONE]\n\n');
      return;
    }
    res.write(`data: ${JSON.stringify({choices: [{index: 0, delta: {content: `t${i++} `}, finish_reason: null}]})}\n\n`);
  }, 50);
  res.on('close', () => clearInterval(timer));
}

// Rerank scores: the share of query words present in the document (deterministic).
function overlapScore(query, doc) {
  const words = String(query).toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0);
  const text = String(doc).toLowerCase();
  if (words.length === 0) return 0;
  return words.filter((w) => text.includes(w)).length / words.length;
}

function handleRerank(scenario, body, res) {
  if (scenario === 'rerank-tei') {
    const out = (body.texts || []).map((t, index) => ({index, score: overlapScore(body.query, t)}));
    out.sort((a, b) => b.score - a.score);
    sendJson(res, 200, out);
    return;
  }
  const docs = body.documents || [];
  let results = docs.map((d, index) => ({index, relevance_score: overlapScore(body.query, d)}));
  results.sort((a, b) => b.relevance_score - a.relevance_score);
  if (scenario === 'rerank-short') results = results.slice(1);
  sendJson(res, 200, {id: 'rerank-test', results, meta: {billed_units: {search_units: 1}}});
}

function handle(req, res, bodyText) {
  if (req.url.startsWith('http://')) {
    // Absolute-form request line: we are being used as a forward proxy.
    sendJson(res, 200, {proxied: true, url: req.url});
    return;
  }
  const parts = req.url.split('?')[0].split('/').filter((p) => p.length > 0);
  if (parts[0] === '__stats') {
    const key = `/${parts[1]}/${parts[2]}`;
    const perText = served.get(key) || new Map();
    sendJson(res, 200, {requests: attempts.get(key) || 0, served: Object.fromEntries(perText)});
    return;
  }
  const scenario = parts[0] || '';
  const key = `/${scenario}/${parts[1] || ''}`;
  const n = (attempts.get(key) || 0) + 1;
  attempts.set(key, n);
  let body = {};
  try {
    body = bodyText ? JSON.parse(bodyText) : {};
  } catch (e) {
    body = {};
  }
  let m;
  if (scenario === 'echo') {
    sendJson(res, 200, {method: req.method, url: req.url, headers: req.headers, body: bodyText,
      remotePort: req.socket.remotePort});
  } else if (scenario === 'ok') {
    sendJson(res, 200, {ok: true, attempt: n});
  } else if ((m = /^status-(\d+)$/.exec(scenario))) {
    sendJson(res, Number(m[1]), openAiError(Number(m[1]), `scripted ${m[1]} error`));
  } else if ((m = /^anthropic-status-(\d+)$/.exec(scenario))) {
    sendJson(res, Number(m[1]), {type: 'error', error: {type: 'overloaded_error', message: 'Overloaded'}});
  } else if ((m = /^cohere-status-(\d+)$/.exec(scenario))) {
    sendJson(res, Number(m[1]), {message: 'invalid request: texts must not be empty'});
  } else if ((m = /^ollama-status-(\d+)$/.exec(scenario))) {
    sendJson(res, Number(m[1]), {error: "model 'llama9' not found, try pulling it first"});
  } else if ((m = /^text-status-(\d+)$/.exec(scenario))) {
    res.writeHead(Number(m[1]), {'Content-Type': 'text/plain'});
    res.end('upstream connect error or disconnect/reset before headers');
  } else if ((m = /^fail-then-ok-(\d+)-(\d+)$/.exec(scenario))) {
    if (n <= Number(m[2])) sendJson(res, Number(m[1]), openAiError(Number(m[1]), `scripted ${m[1]} error`));
    else sendJson(res, 200, {ok: true, attempt: n});
  } else if ((m = /^retry-after-seconds-(\d+)-(\d+)$/.exec(scenario))) {
    if (n <= Number(m[2])) sendJson(res, 429, openAiError(429, 'Rate limit reached'), {'Retry-After': m[1]});
    else sendJson(res, 200, {ok: true, attempt: n});
  } else if ((m = /^retry-after-date-(\d+)$/.exec(scenario))) {
    const when = new Date(Date.now() + Number(m[1]) * 1000).toUTCString();
    if (n === 1) sendJson(res, 429, openAiError(429, 'Rate limit reached'), {'Retry-After': when});
    else sendJson(res, 200, {ok: true, attempt: n});
  } else if (scenario === 'echo-key-401') {
    const auth = String(req.headers.authorization || '').replace(/^Bearer /, '');
    sendJson(res, 401, openAiError(401, `Incorrect API key provided: ${auth}. You can find your API key at https://example.invalid/keys.`));
  } else if (scenario === 'malformed') {
    sendJson(res, 200, '{"object": "list", "data": [{"embedding": [0.1, 0.2');
  } else if (scenario === 'hang') {
    // Never answers; the client must time out or be cancelled.
  } else if ((m = /^fail-then-stream-(\d+)-(\d+)$/.exec(scenario))) {
    if (n <= Number(m[2])) {
      sendJson(res, Number(m[1]), openAiError(Number(m[1]), `scripted ${m[1]} error`));
    } else {
      startEventStream(req, res);
      writeSliced(res, openAiStreamBody(), 7, 1, (r) => r.end());
    }
  } else if (scenario === 'openai-stream') {
    startEventStream(req, res);
    writeSliced(res, openAiStreamBody(), 7, 1, (r) => r.end());
  } else if (scenario === 'openai-stream-unterminated') {
    startEventStream(req, res);
    res.end('data: {"choices":[{"index":0,"delta":{"content":"cut"}}]}\n');
  } else if (scenario === 'anthropic-stream') {
    startEventStream(req, res);
    writeSliced(res, anthropicStreamBody(false), 11, 1, (r) => r.end());
  } else if (scenario === 'anthropic-stream-error') {
    startEventStream(req, res);
    writeSliced(res, anthropicStreamBody(true), 64, 1, (r) => r.end());
  } else if (scenario === 'stall-stream') {
    startEventStream(req, res);
    res.write('data: {"choices":[{"index":0,"delta":{"content":"first"}}]}\n\n');
    // ...and then nothing, keeping the connection open.
  } else if (scenario === 'truncated-stream') {
    startEventStream(req, res);
    const body = openAiStreamBody();
    writeSliced(res, body.subarray(0, Math.floor(body.length / 2)), 64, 1, (r) => r.socket.destroy());
  } else if (scenario === 'truncated-length') {
    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': 100});
    res.write('{"object": "list", ');
    setTimeout(() => res.socket.destroy(), 20);
  } else if (scenario === 'ollama-stream') {
    res.writeHead(200, {'Content-Type': 'application/x-ndjson'});
    res.flushHeaders();
    writeSliced(res, ollamaStreamBody(), 5, 1, (r) => r.end());
  } else if (scenario === 'ollama-stream-error') {
    res.writeHead(200, {'Content-Type': 'application/x-ndjson'});
    res.write(JSON.stringify({model: 'llama-test', message: {role: 'assistant', content: 'par'}, done: false}) + '\n');
    res.end(JSON.stringify({error: 'model runner has unexpectedly stopped'}) + '\n');
  } else if (scenario === 'slow-stream') {
    startEventStream(req, res);
    slowStream(res);
  } else if (scenario.startsWith('rerank')) {
    handleRerank(scenario, body, res);
  } else if (scenario.startsWith('embed')) {
    handleEmbeddings(scenario, key, body, res);
  } else if (scenario === 'models') {
    handleModels(body, res);
  } else {
    sendJson(res, 404, openAiError(404, `unknown scenario '${scenario}'`));
  }
}

function onRequest(req, res) {
  resetIdleTimer();
  if (++totalRequests > MAX_REQUESTS) {
    sendJson(res, 503, openAiError(503, 'test server request budget exhausted'));
    setTimeout(() => process.exit(0), 10);
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

async function main() {
  const plain = http.createServer(onRequest);
  const ports = {http: await listen(plain), https: null};
  const certFile = argValue('--tls-cert');
  const keyFile = argValue('--tls-key');
  if (certFile && keyFile) {
    const secure = https.createServer({cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile)}, onRequest);
    secure.on('tlsClientError', () => {});  // a client refusing our certificate is the point of that test
    ports.https = await listen(secure);
  }
  process.stdout.write(JSON.stringify(ports) + '\n');
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
  resetIdleTimer();
}

main();

// ===== Query transforms (HyDE, multi-query): scenario "transform" =====
// POST /transform/<id>/v1/chat/completions answers the hyde@v1 and multi-query@v1
// prompts deterministically, recognising each template by its system prompt.
// HyDE returns the passage chosen by the request's seed (1-based, cycling) from a
// table keyed by a word of the question; multi-query returns a deliberately messy
// list (preamble, numbering, bullets, quotes, bold, a restated original, one more
// line than asked). Usage: prompt_tokens 30, completion_tokens = words in the reply.
// tests/generate/tst_querytransform.cpp holds the same texts.
const TRANSFORM_HYDE = {
  food: [
    'Photosynthesis happens in chloroplasts, which capture sunlight to turn carbon dioxide and water into glucose and release oxygen.',
    'Using light energy, chloroplasts convert water and carbon dioxide into glucose; oxygen is released as a by-product of photosynthesis.',
  ],
  lava: [
    'Magma rises through cracks in the crust and erupts from volcanoes as lava, ash and gas.',
  ],
};
const TRANSFORM_PHRASINGS = {
  food: 'Here are 3 alternative search queries:\n' +
    '1. "What process do chloroplasts use to turn sunlight into glucose?"\n' +
    '2) - How do green plants make their own food?\n' +
    '* **Photosynthesis carbon dioxide water glucose**\n' +
    '(4) \u201cHow does photosynthesis produce oxygen?\u201d\n' +
    '5. Which organelle captures sunlight?\n',
};

function transformTableKey(question, table) {
  const words = String(question).toLowerCase().split(/[^a-z0-9]+/);
  return Object.keys(table).find((k) => words.includes(k));
}

function transformReply(body) {
  const messages = body.messages || [];
  const system = (messages.find((m) => m.role === 'system') || {}).content || '';
  const user = (messages.filter((m) => m.role === 'user').pop() || {}).content || '';
  const question = (/Question: ([^\n]*)/.exec(user) || [])[1] || user;
  if (system.includes('short passage, in the style of a reference document')) {
    const key = transformTableKey(question, TRANSFORM_HYDE);
    if (!key) return `A passage about ${question}`;
    const passages = TRANSFORM_HYDE[key];
    return passages[(Math.max(1, Number(body.seed) || 1) - 1) % passages.length];
  }
  if (system.includes('different search queries')) {
    const key = transformTableKey(question, TRANSFORM_PHRASINGS);
    return key ? TRANSFORM_PHRASINGS[key] : `1. ${question}\n2. ${question} explained`;
  }
  return null;
}

function transformStream(req, res, text) {
  const chunk = (delta, finish) => JSON.stringify({id: 'chatcmpl-transform', object: 'chat.completion.chunk',
    created: 1700000000, model: 'gpt-test', choices: [{index: 0, delta, finish_reason: finish}]});
  let out = `data: ${chunk({role: 'assistant', content: ''}, null)}\n\n`;
  // Two deltas, split mid-text, so the client has to join them.
  const half = Math.floor(text.length / 2);
  out += `data: ${chunk({content: text.slice(0, half)}, null)}\n\n`;
  out += `data: ${chunk({content: text.slice(half)}, null)}\n\n`;
  out += `data: ${chunk({}, 'stop')}\n\n`;
  const words = text.split(/\s+/).filter((w) => w.length > 0).length;
  out += `data: ${JSON.stringify({id: 'chatcmpl-transform', object: 'chat.completion.chunk', choices: [],
    usage: {prompt_tokens: 30, completion_tokens: words, total_tokens: 30 + words}})}\n\n`;
  out += 'data: [DONE]\n\n';
  startEventStream(req, res);
  res.end(out);
}

{
  const handleBeforeTransforms = handle;
  // eslint-disable-next-line no-func-assign
  handle = function handleTransforms(req, res, bodyText) {
    const parts = req.url.split('?')[0].split('/').filter((p) => p.length > 0);
    if (parts[0] !== 'transform') return handleBeforeTransforms(req, res, bodyText);
    const key = `/transform/${parts[1] || ''}`;
    attempts.set(key, (attempts.get(key) || 0) + 1);
    let body = {};
    try {
      body = bodyText ? JSON.parse(bodyText) : {};
    } catch (e) {
      body = {};
    }
    const reply = transformReply(body);
    if (reply === null) sendJson(res, 400, openAiError(400, 'not a query-transform prompt'));
    else transformStream(req, res, reply);
  };
}
// ===== end of query transforms =====

// ===== Remote embedders: Ollama /api/embed and Cohere /v2/embed =====
// POST /ollama-embed[-VARIANT]/<id>/api/embed and /cohere-embed[-VARIANT]/<id>/v2/embed
// answer in each provider's own format with testVector(text, dims) in input order
// (dims: the request's "dimensions" / "output_dimension", else 8). Variants:
//   -storm      every batch is refused once (429, Retry-After: 1), odd-sized ones then once more (500)
//   -flaky      the first request of the id fails with 500, later ones succeed
//   -short      one vector fewer than inputs
//   -baddim     the last vector is one component short
//   -malformed  a 200 whose JSON is cut off
//   -error      Ollama's 404 {"error": "model \"M\" not found, try pulling it first"}
// Bodies are validated as the real APIs do (400 in the provider's error shape): Ollama
// needs "model" and "input"; Cohere "model", 1 to 96 "texts", an input_type and "float"
// among embedding_types. Served texts count under /<scenario>/<id> and, for Cohere, also
// under /<scenario>/<id>.<input_type>: GET /__stats/<scenario>/<id>.search_query lists
// the texts embedded as queries.
const EMBED_PROVIDERS = {
  ollama: {
    invalid(body) {
      if (typeof body.model !== 'string' || body.model === '') return 'model is required';
      if (!Array.isArray(body.input) && typeof body.input !== 'string') return 'invalid input type';
      return null;
    },
    texts: (body) => (Array.isArray(body.input) ? body.input : [body.input]),
    dims: (body) => body.dimensions || 8,
    error: (message) => ({error: message}),
    busy: 'server busy, please try again.  maximum pending requests exceeded',
    crashed: 'llama runner process has terminated: exit status 2',
    answer: (body, texts, vectors) => ({model: body.model, embeddings: vectors, total_duration: 14143917,
      load_duration: 1019500, prompt_eval_count: texts.join(' ').split(/\s+/).length}),
    malformed: '{"model": "embed-test", "embeddings": [[0.1, 0.2',
  },
  cohere: {
    invalid(body) {
      const texts = body.texts;
      if (typeof body.model !== 'string' || body.model === '') return 'invalid request: model must be provided';
      if (!Array.isArray(texts) || texts.length === 0) return 'invalid request: texts must not be empty';
      if (texts.length > 96) return `invalid request: total number of texts must be at most 96 - received ${texts.length}`;
      if (!['search_document', 'search_query', 'classification', 'clustering'].includes(body.input_type))
        return 'invalid request: valid input_type must be provided with the provided model';
      if (!Array.isArray(body.embedding_types) || !body.embedding_types.includes('float'))
        return 'invalid request: embedding_types must include float';
      return null;
    },
    texts: (body) => body.texts,
    dims: (body) => body.output_dimension || 8,
    error: (message) => ({message}),
    busy: 'You are using a Trial key, which is limited to 100 API calls / minute.',
    crashed: 'internal server error, this has been reported to our developers',
    answer: (body, texts, vectors) => ({id: 'embed-test', embeddings: {float: vectors}, texts,
      meta: {api_version: {version: '2'}, billed_units: {input_tokens: texts.join(' ').split(/\s+/).length}}}),
    malformed: '{"id": "embed-test", "embeddings": {"float": [[0.1, 0.2',
  },
};

function embedProviderAnswer(provider, variant, key, body, res) {
  const api = EMBED_PROVIDERS[provider];
  const problem = api.invalid(body);
  if (problem) {
    sendJson(res, 400, api.error(problem));
    return;
  }
  const texts = api.texts(body);
  const n = attempts.get(key);
  if (variant === 'error') {
    sendJson(res, 404, api.error(`model "${body.model}" not found, try pulling it first`));
    return;
  }
  if (variant === 'flaky' && n === 1) {
    sendJson(res, 500, api.error(api.crashed));
    return;
  }
  if (variant === 'storm') {
    const batchKey = key + crypto.createHash('sha256').update(JSON.stringify(texts)).digest('hex');
    const tries = (batchAttempts.get(batchKey) || 0) + 1;
    batchAttempts.set(batchKey, tries);
    if (tries === 1) {
      sendJson(res, 429, api.error(api.busy), {'Retry-After': '1'});
      return;
    }
    if (tries === 2 && texts.length % 2 === 1) {
      sendJson(res, 500, api.error(api.crashed));
      return;
    }
  }
  if (variant === 'malformed') {
    sendJson(res, 200, api.malformed);
    return;
  }
  const count = (mapKey) => {
    const perText = served.get(mapKey) || new Map();
    served.set(mapKey, perText);
    for (const text of texts) perText.set(text, (perText.get(text) || 0) + 1);
  };
  count(key);
  if (body.input_type) count(`${key}.${body.input_type}`);
  const dims = api.dims(body);
  let vectors = texts.map((text, i) =>
    testVector(text, variant === 'baddim' && i === texts.length - 1 ? dims - 1 : dims));
  if (variant === 'short') vectors = vectors.slice(1);
  sendJson(res, 200, api.answer(body, texts, vectors));
}

{
  const handleBeforeEmbedProviders = handle;
  // eslint-disable-next-line no-func-assign
  handle = function handleEmbedProviders(req, res, bodyText) {
    const parts = req.url.split('?')[0].split('/').filter((p) => p.length > 0);
    const m = /^(ollama|cohere)-embed(?:-(storm|flaky|short|baddim|malformed|error))?$/.exec(parts[0] || '');
    if (!m) return handleBeforeEmbedProviders(req, res, bodyText);
    const key = `/${parts[0]}/${parts[1] || ''}`;
    attempts.set(key, (attempts.get(key) || 0) + 1);
    let body = {};
    try {
      body = bodyText ? JSON.parse(bodyText) : {};
    } catch (e) {
      body = {};
    }
    const path = parts.slice(2).join('/');
    if (req.method !== 'POST' || path !== (m[1] === 'ollama' ? 'api/embed' : 'v2/embed')) {
      sendJson(res, 404, EMBED_PROVIDERS[m[1]].error(`404 page not found: ${req.method} /${path}`));
      return;
    }
    embedProviderAnswer(m[1], m[2] || '', key, body, res);
  };
}
// ===== end of remote embedders =====

// ===== LLM judge (tests/judging) =====
// POST /judge[-VARIANT]/<id>/v1/chat/completions speaks the OpenAI streaming wire
// format and answers RAG Workbench judge prompts deterministically from the prompt
// text (the system message starts with "judge-prompt: <key>"), so a test can compute
// the expected scores itself. Words are lowercase [a-z0-9]+ runs of 4+ characters;
// sentences split after . ! ? or at newlines, "[n]" citation markers removed; the
// context is the bodies of the "[n] (source: ...)" passages.
//   faithfulness@v1       one claim per answer sentence, "supported" iff all its words occur in the context
//   answer-relevance@v1   rating 1 + round(4 * share of the question's distinct words found in the answer)
//   context-precision@v1  passage relevant iff it holds at least half of the question's distinct words
//   context-recall@v1     one statement per reference sentence, attributed iff all its words occur in the context
// Any other prompt (a grounded answer) is answered with the first sentence of passage [1] and " [1]".
// Variants: -malformed-once (the first ask of a conversation gets cut-off JSON, a re-ask a valid
// reply), -schema-once (the first ask gets JSON breaking the schema), -invalid (never JSON).
// In every variant a question containing "unjudgeable" is never answered with JSON.
const judgeWords = (text) => String(text).toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4);

function judgeSentences(text) {
  return String(text).replace(/\[\d+(?:\s*[-,]\s*\d+)*\]/g, ' ')
    .split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter((s) => judgeWords(s).length > 0);
}

function judgeSection(text, tag) {
  const m = new RegExp(`<${tag}>\\n([\\s\\S]*?)</${tag}>`).exec(text);
  return m ? m[1] : '';
}

function judgePassages(context) {
  const bodies = [];
  const re = /^\[(\d+)\](?: \(source: [^)\n]*\))?\n/gm;
  const heads = [];
  let m;
  while ((m = re.exec(context)) !== null) heads.push({start: m.index, body: m.index + m[0].length});
  heads.forEach((h, i) => bodies.push(context.slice(h.body, i + 1 < heads.length ? heads[i + 1].start : context.length).trim()));
  return bodies;
}

function judgeReply(system, user) {
  const key = (/^judge-prompt: (\S+)/.exec(system) || [])[1];
  const question = judgeSection(user, 'question').trim();
  const passages = judgePassages(judgeSection(user, 'context'));
  const contextWords = new Set(passages.flatMap(judgeWords));
  const allIn = (sentence) => judgeWords(sentence).every((w) => contextWords.has(w));
  const questionWords = [...new Set(judgeWords(question))];
  const share = (text) => {
    const words = new Set(judgeWords(text));
    return questionWords.length === 0 ? 0 : questionWords.filter((w) => words.has(w)).length / questionWords.length;
  };
  if (key === 'faithfulness@v1') {
    return JSON.stringify({claims: judgeSentences(judgeSection(user, 'answer')).map((claim) =>
      ({claim, verdict: allIn(claim) ? 'supported' : 'unsupported'}))});
  }
  if (key === 'answer-relevance@v1') {
    return JSON.stringify({rating: 1 + Math.round(4 * share(judgeSection(user, 'answer'))), reason: 'word overlap'});
  }
  if (key === 'context-precision@v1') {
    return '```json\n' + JSON.stringify({verdicts: passages.map((p, i) =>
      ({passage: i + 1, relevant: share(p) * 2 >= 1}))}) + '\n```';
  }
  if (key === 'context-recall@v1') {
    return JSON.stringify({statements: judgeSentences(judgeSection(user, 'reference')).map((statement) =>
      ({statement, attributed: allIn(statement)}))});
  }
  const answerPassages = judgePassages(user);  // a grounded-answer prompt has no <context> tags
  const first = answerPassages.length > 0 ? judgeSentences(answerPassages[0])[0] : undefined;
  return first ? `${first} [1]` : 'The context does not answer the question.';
}

function judgeStream(res, model, text, promptText) {
  const chunk = (delta, finish) => JSON.stringify({id: 'chatcmpl-judge', object: 'chat.completion.chunk',
    created: 1700000000, model, choices: [{index: 0, delta, finish_reason: finish}]});
  let body = `data: ${chunk({role: 'assistant', content: ''}, null)}\n\n`;
  for (let i = 0; i < text.length; i += 40) body += `data: ${chunk({content: text.slice(i, i + 40)}, null)}\n\n`;
  body += `data: ${chunk({}, 'stop')}\n\n`;
  body += `data: ${JSON.stringify({id: 'chatcmpl-judge', object: 'chat.completion.chunk', choices: [],
    usage: {prompt_tokens: promptText.split(/\s+/).length, completion_tokens: text.split(/\s+/).length}})}\n\n`;
  body += 'data: [DONE]\n\n';
  res.writeHead(200, {'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache'});
  res.end(body);
}

{
  const handleBeforeJudge = handle;
  // eslint-disable-next-line no-func-assign
  handle = function handleJudge(req, res, bodyText) {
    const parts = req.url.split('?')[0].split('/').filter((p) => p.length > 0);
    const m = /^judge(?:-(malformed-once|schema-once|invalid))?$/.exec(parts[0] || '');
    if (!m) return handleBeforeJudge(req, res, bodyText);
    const key = `/${parts[0]}/${parts[1] || ''}`;
    attempts.set(key, (attempts.get(key) || 0) + 1);
    let body = {};
    try {
      body = bodyText ? JSON.parse(bodyText) : {};
    } catch (e) {
      body = {};
    }
    if (req.method !== 'POST' || parts.slice(2).join('/') !== 'v1/chat/completions' || !Array.isArray(body.messages)) {
      sendJson(res, 404, openAiError(404, 'expected POST .../v1/chat/completions with messages'));
      return;
    }
    const messages = body.messages;
    const system = (messages.find((x) => x.role === 'system') || {}).content || '';
    const user = (messages.find((x) => x.role === 'user') || {}).content || '';
    const isJudge = system.startsWith('judge-prompt: ');
    const firstAsk = messages.length <= 2;
    let text;
    if (isJudge && (m[1] === 'invalid' || judgeSection(user, 'question').includes('unjudgeable')))
      text = 'I cannot judge this in JSON, sorry.';
    else if (isJudge && m[1] === 'malformed-once' && firstAsk)
      text = 'Here is my verdict: {"claims": [{"claim": "cut off';
    else if (isJudge && m[1] === 'schema-once' && firstAsk)
      text = '{"verdict": "maybe"}';
    else
      text = judgeReply(system, user);
    judgeStream(res, String(body.model || 'judge-test'), text, messages.map((x) => x.content).join(' '));
  };
}
// ===== end of LLM judge =====

// ---- Playground answer scenarios (tests/ui/tst_playground.cpp) -------------------
// openai-stream-cited: an OpenAI stream whose answer cites passage [1] and a passage
// [9] that no prompt of the test has, so the answer view must flag [9]. The C++ test
// holds the same literal (CITED_PIECES joined).
const CITED_PIECES = ['The zebra workflow ', 'is explained step by step [1]', '; step nine ',
  'is covered too [9].'];

function citedStreamBody() {
  const chunk = (delta, finish) => JSON.stringify({
    id: 'chatcmpl-cited', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-test',
    choices: [{index: 0, delta, finish_reason: finish}],
  });
  let body = `data: ${chunk({role: 'assistant', content: ''}, null)}\n\n`;
  for (const piece of CITED_PIECES) body += `data: ${chunk({content: piece}, null)}\n\n`;
  body += `data: ${chunk({}, 'stop')}\n\n`;
  body += `data: ${JSON.stringify({id: 'chatcmpl-cited', object: 'chat.completion.chunk', choices: [],
    usage: {prompt_tokens: 321, completion_tokens: 17, total_tokens: 338}})}\n\n`;
  body += 'data: [DONE]\n\n';
  return Buffer.from(body, 'utf8');
}

const handleBeforePlayground = handle;
// eslint-disable-next-line no-func-assign
handle = function handleWithPlayground(req, res, bodyText) {
  const scenario = req.url.split('?')[0].split('/').filter((p) => p.length > 0)[0] || '';
  if (scenario !== 'openai-stream-cited') {
    handleBeforePlayground(req, res, bodyText);
    return;
  }
  startEventStream(req, res);
  writeSliced(res, citedStreamBody(), 16, 2, (r) => r.end());
};
// ---- end of the Playground answer scenarios --------------------------------------
