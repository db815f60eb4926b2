'use strict';
// Reference SSE parsing for tst_sseparser: feeds stdin through @langchain/core's
// event-source parser (getLines + getMessages, from @microsoft/fetch-event-source)
// in slices of argv[2] bytes and prints the events as one JSON array
// [{event, data}]. Run with NODE_PATH pointing at the node-reference node_modules.
const {getLines, getMessages} = require('@langchain/core/utils/event_source_parse');

const slice = Math.max(1, Number(process.argv[2] || 1 << 20));
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const bytes = new Uint8Array(Buffer.concat(chunks));
  const events = [];
  const onLine = getLines(getMessages((msg) => {
    events.push({event: msg.event || 'message', data: msg.data});
  }));
  for (let i = 0; i < bytes.length; i += slice) onLine(bytes.slice(i, i + slice));
  process.stdout.write(JSON.stringify(events) + '\n');
});
