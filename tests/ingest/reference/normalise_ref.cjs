// Reference for rag::normaliseText (core/ingest/textnormaliser.h): the same
// documented steps, done by the JavaScript engine and its own ICU copy.
// Usage: node normalise_ref.cjs in.json out.json   (a JSON array of strings)
'use strict';
const fs = require('fs');

function normalise(s) {
  return s.replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
    .normalize('NFC');
}

const [inFile, outFile] = process.argv.slice(2);
const inputs = JSON.parse(fs.readFileSync(inFile, 'utf8'));
fs.writeFileSync(outFile, JSON.stringify(inputs.map(normalise)));
