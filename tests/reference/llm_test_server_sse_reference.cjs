'use strict';
// Reference SSE parsing for tst_sseparser and the net benchmark: feeds stdin through
// @langchain/core's event-source parser (getLines + getMessages, from
// @microsoft/fetch-event-source) in slices of argv[2] bytes and prints the events as
// one JSON array [{event, data}]. With --time it prints {"events": n, "ms": t}
// instead, timing the parse alone. Run with NODE_PATH pointing at the
// node-reference node_modules.
const {getLines, getMessages} = require('@langchain/core/utils/event_source_parse');

const slice = Math.max(1, Number(process.argv[2] || 1 << 20));
const timed = process.argv.includes('--time');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const bytes = new Uint8Array(Buffer.concat(chunks));
  const events = [];
  let count = 0;
  const onLine = getLines(getMessages((msg) => {
    if (timed) {
      if (msg.data !== '') ++count;
    } else {
      events.push({event: msg.event || 'message', data: msg.data});
    }
  }));
  const start = process.hrtime.bigint();
  for (let i = 0; i < bytes.length; i += slice) onLine(bytes.subarray(i, i + slice));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify(timed ? {events: count, ms} : events) + '\n');
});
