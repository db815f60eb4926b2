// Reference reading of a BEIR corpus.jsonl for tst_records: parses every line
// with JSON.parse (which decodes \uXXXX escapes, surrogate pairs included),
// normalises as core/ingest/textnormaliser.h documents, and prints one JSON
// object: the record count, the first record, and a SHA-256 over every record's
// "_id \0 title \0 text \n" so that the C++ loader can be compared in full.
// Usage: node beir_digest.cjs corpus.jsonl
'use strict';
const fs = require('fs');
const crypto = require('crypto');

function normalise(s) {
  return s.replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
    .normalize('NFC');
}
function normaliseTitle(s) {
  return normalise(s).replace(/\s+/g, ' ').trim();
}

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n');
const hash = crypto.createHash('sha256');
let count = 0;
let first = null;
let escapedChars = 0;
for (const line of lines) {
  if (line.trim() === '') continue;
  const record = JSON.parse(line);
  const title = normaliseTitle(record.title || '');
  const text = normalise(record.text);
  hash.update(`${record._id}\u0000${title}\u0000${text}\n`, 'utf8');
  if (first === null) first = { id: record._id, title };
  for (const ch of text) if (ch.codePointAt(0) > 0x7f) ++escapedChars;
  ++count;
}
process.stdout.write(JSON.stringify({ count, first, nonAsciiChars: escapedChars, sha256: hash.digest('hex') }));
