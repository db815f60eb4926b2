'use strict';
// Reference token ids from npm gpt-tokenizer 4.0.0 for random Unicode strings.
//
//   NODE_PATH=<assets>/node-reference/node_modules node tokenizer_reference.cjs [count] [seed]
//
// Prints JSON {generator, seed, unicode, cases: [{text, utf8, cl100k_base: [...], o200k_base: [...]}]},
// utf8 being the base64 of the text's exact UTF-8 bytes (JSON readers may drop a leading U+FEFF).
// The strings come from a seeded PRNG, so every run prints the same cases: a mix of ASCII
// words, contractions, punctuation, whitespace runs, accents (precomposed and combining),
// CJK and Hangul, emoji with ZWJ / skin tones / flags / keycaps, digits of several scripts,
// random assigned BMP and astral letters, marks, numbers and symbols, and special-token
// text (encoded as ordinary text), plus a few long single pieces that exercise the
// long-piece merge. tests/tokenize/tst_bpetokenizer.cpp compares the C++ ids against these.

const cl100k = require('gpt-tokenizer/encoding/cl100k_base');
const o200k = require('gpt-tokenizer/encoding/o200k_base');

const count = Number(process.argv[2] ?? 600);
const seed = Number(process.argv[3] ?? 20240607);

// mulberry32: small, fast, and the same sequence on every platform.
function makeRng(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = makeRng(seed);
const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1)); // inclusive
const pick = (arr) => arr[Math.floor(rng() * arr.length)];
const cps = (lo, hi) => String.fromCodePoint(int(lo, hi));

const WORDS = ['the', 'of', 'and', 'retrieval', 'augmented', 'generation', 'token', 'Hello', 'WORLD', 'iPhone',
  'McDonald', 'HTMLParser', 'x', 'I', 'a', 'naïve', 'café', 'Straße', 'façade', 'über', 'coöperate',
  'résumé', 'Ελλάδα', 'Москва', 'Ǆungla', 'ǅemal', 'ʰello', 'données', 'İstanbul', 'ﬁne'];
const PUNCT = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const SPACES = [' ', ' ', ' ', '  ', '   ', '\t', '\n', '\n\n', '\r\n', ' \n', '\n ', ' \n\n  ', '\u00a0',
  '\u3000', '\u2028', '\u000b', '\u000c', '\u2003\u2003', '\ufeff'];
const CONTRACTIONS = ["'s", "'S", "'t", "'T", "'ll", "'LL", "'lL", "'ve", "'VE", "'re", "'Re", "'d", "'m", "'M", "'"];
const EMOJI = ['😀', '👍', '👍🏽', '👨‍💻', '👩🏿‍🚀', '👨‍👩‍👧‍👦', '🏳️‍🌈', '❤️', '❤️‍🔥', '1️⃣', '#️⃣', '🇩🇪', '🇯🇵', '🇺🇳',
  '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🧑🏻‍🤝‍🧑🏾', '☺️', '✌🏼', '🫠', '🪿'];
const SPECIAL = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|fim_prefix|>', '<|endofprompt|>', '<|im_sep|>'];

const isWanted = (s) => /^[\p{L}\p{M}\p{N}\p{S}]$/u.test(s);
function assignedChar(lo, hi) {
  for (;;) {
    const cp = int(lo, hi);
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const s = String.fromCodePoint(cp);
    if (isWanted(s)) return s;
  }
}

function asciiWord() {
  const len = int(1, 12);
  let w = '';
  const style = int(0, 3); // lower, Capital, UPPER, camelCase
  for (let i = 0; i < len; i++) {
    let c = String.fromCharCode(int(97, 122));
    if (style === 2 || (style === 1 && i === 0) || (style === 3 && rng() < 0.25)) c = c.toUpperCase();
    w += c;
  }
  return w;
}

const SEGMENTS = [
  [20, () => (rng() < 0.5 ? pick(WORDS) : asciiWord())],
  [14, () => pick(SPACES)],
  [8, () => PUNCT[int(0, PUNCT.length - 1)].repeat(int(1, 3))],
  [5, () => pick(CONTRACTIONS)],
  [6, () => String(int(0, 10 ** int(1, 9))) + (rng() < 0.2 ? '.' + int(0, 999) : '')],
  [3, () => pick([cps(0x660, 0x669), cps(0x966, 0x96f), cps(0xff10, 0xff19), '½', '²', 'Ⅻ', '๓']).repeat(int(1, 5))],
  [6, () => pick(['e', 'a', 'o', 'n', 'E', ' ', '']) + cps(0x300, 0x36f) + (rng() < 0.3 ? cps(0x300, 0x36f) : '')],
  [4, () => pick(['é', 'ü', 'ñ', 'ç', 'ø', 'å', 'Ä', 'Ö', 'ß', 'œ', 'Ł', 'ğ'])],
  [6, () => Array.from({ length: int(1, 8) }, () => cps(0x4e00, 0x9fff)).join('')],
  [3, () => Array.from({ length: int(1, 6) }, () => pick([cps(0x3041, 0x3096), cps(0x30a1, 0x30fa)])).join('')],
  [3, () => Array.from({ length: int(1, 5) }, () => cps(0xac00, 0xd7a3)).join('')],
  [6, () => pick(EMOJI)],
  [6, () => assignedChar(0x80, 0xffff)],
  [5, () => assignedChar(0x10000, 0x10ffff)],
  [2, () => pick(SPECIAL)],
  // gpt-tokenizer strips a leading BOM inside its rank lookup; BOM before CJK, Khmer and words
  [2, () => '\ufeff' + pick(['名', 'ង', 'using', '#', '\n', '//', '\ufeff', cps(0x4e00, 0x9fff), asciiWord()])],
];
const TOTAL_WEIGHT = SEGMENTS.reduce((s, [w]) => s + w, 0);
function segment() {
  let r = rng() * TOTAL_WEIGHT;
  for (const [w, make] of SEGMENTS) {
    if ((r -= w) < 0) return make();
  }
  return SEGMENTS[0][1]();
}

// Single pieces far longer than a word: the C++ merge switches algorithm past 128 bytes.
function longCases() {
  const letters = Array.from({ length: 3000 }, () => String.fromCharCode(int(97, 122))).join('');
  const base64 = Array.from({ length: 2000 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[int(0, 63)]).join('');
  return [
    'a'.repeat(1000),
    ' ' + 'ab'.repeat(700),
    letters,
    base64,
    Array.from({ length: 800 }, () => cps(0x4e00, 0x9fff)).join(''),
    Array.from({ length: 300 }, () => cps(0xac00, 0xd7a3)).join(''),
    '1234567890'.repeat(100),
    ' '.repeat(700) + 'x',
    '\n'.repeat(300),
    '!'.repeat(500),
    '🙂'.repeat(200),
    'e\u0301'.repeat(300),
    Array.from({ length: 400 }, () => assignedChar(0x10000, 0x10ffff)).join(''),
  ];
}

const texts = [];
for (let i = 0; i < count; i++) {
  const n = int(1, 30);
  let s = '';
  for (let k = 0; k < n; k++) s += segment();
  texts.push(s);
}
texts.push(...longCases());

const noSpecial = { disallowedSpecial: new Set() }; // special-token text is ordinary text
const cases = texts.map((text) => ({
  text,
  utf8: Buffer.from(text, 'utf8').toString('base64'),
  cl100k_base: cl100k.encode(text, noSpecial),
  o200k_base: o200k.encode(text, noSpecial),
}));
process.stdout.write(JSON.stringify({
  generator: 'gpt-tokenizer ' + require('gpt-tokenizer/package.json').version,
  seed,
  unicode: process.versions.unicode,
  cases,
}));
