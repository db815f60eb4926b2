'use strict';
// Expected token ids and pre-tokenizer pieces for hand-picked edge cases, from
// gpt-tokenizer 4.0.0 itself. Writes the rows that tests/tokenize/tst_bpetokenizer.cpp
// includes as tests/tokenize/tokenizer_edge_cases.inc:
//
//   NODE_PATH=~/.cache/ragworkbench/assets/node-reference/node_modules \
//     node tests/reference/tokenizer_edge_cases.cjs > tests/tokenize/tokenizer_edge_cases.inc
//
// It defines kEdgeCases, rows {name, "text", {cl100k ids}, {cl100k pieces}, {o200k ids}, {o200k pieces}},
// and kInvalidUtf8Cases, rows {name, "bytes", {cl100k pieces}, {o200k pieces}} for ill-formed input:
// the pieces gpt-tokenizer makes of the bytes as TextDecoder decodes them (one U+FFFD per
// maximal ill-formed subpart); the C++ splitter must make the same pieces of the raw bytes.

const cl100k = require('gpt-tokenizer/encoding/cl100k_base');
const o200k = require('gpt-tokenizer/encoding/o200k_base');
const { CL100K_TOKEN_SPLIT_REGEX, O200K_TOKEN_SPLIT_REGEX } = require('gpt-tokenizer/encodingParams/constants');

const CASES = [
  ['empty', ''],
  ['one space', ' '],
  ['two spaces', '  '],
  ['space run', '     '],
  ['tab', '\t'],
  ['newline', '\n'],
  ['blank lines', '\n\n\n'],
  ['crlf', 'a\r\nb\r\n'],
  ['space before newline', 'a \nb'],
  ['spaces around newline at end', 'x  \n  '],
  ['spaces around newline mid', 'x  \n  y'],
  ['trailing spaces', 'hello   '],
  ['spaces before word', 'a    b'],
  ['tab before word', 'a\tb'],
  ['nbsp run', 'x\u00a0\u00a0y'],
  ['ideographic space', '\u3000\u3000x'],
  ['vertical tab and form feed', 'a\u000b\u000cb'],
  ['contraction lower', "don't we've they'll he'd I'm you're it's"],
  ['contraction upper', "DON'T WE'VE THEY'LL HE'D I'M YOU'RE IT'S"],
  ['contraction mixed case', "'S 'Ll 'lL 'Re 'vE"],
  ['contraction at start', "'s'd'm't'll've're"],
  ['apostrophe words', "rock'n'roll o'clock ma'am"],
  ['curly apostrophe', 'don\u2019t'],
  ['digit 1', '1'],
  ['digits 3', '123'],
  ['digits 4', '1234'],
  ['digits 13', '1234567890123'],
  ['decimal', '3.14159 -42 +7e10'],
  ['thousands', '1,000,000.00'],
  ['arabic-indic digits', '\u0663\u0664\u0665\u0666\u0667'],
  ['roman numeral and fractions', '\u216b \u00bd \u00b2\u00b3'],
  ['digits then letters', '2024abc abc2024'],
  ['emoji', '\u{1F44D}'],
  ['emoji zwj family', '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}\u200d\u{1F466}'],
  ['emoji rainbow flag', '\u{1F3F3}\ufe0f\u200d\u{1F308}'],
  ['emoji skin tone', 'hi \u{1F44B}\u{1F3FD}!'],
  ['flags', '\u{1F1E9}\u{1F1EA}\u{1F1EB}\u{1F1F7}'],
  ['chinese', '\u4f60\u597d\uff0c\u4e16\u754c\u3002'],
  ['japanese', '\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8'],
  ['korean', '\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8'],
  ['cjk extension b', '\u{20000}\u{20001}\u{2A6D6}'],
  ['combining acute', 'cafe\u0301 caf\u00e9'],
  ['stacked marks', 'a\u0308\u0304b'],
  ['mark at start', '\u0301abc'],
  ['mark after space', 'x \u0301y'],
  ['zalgo', 'Z\u0324\u0354\u0367\u0311\u0313a\u0364l\u036e\u0312g\u030co'],
  ['devanagari', '\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e'],
  ['mixed scripts', 'Hello\u4e16\u754c\u041f\u0440\u0438\u0432\u0435\u0442abc'],
  ['camel case', 'camelCaseWord HTMLParser iPhone McDonald\'s XMLHttpRequest'],
  ['all caps then lower', 'HELLOworld'],
  ['greek', '\u0391\u0392\u0393\u03b1\u03b2\u03b3 \u03a3\u03bf\u03c6\u03af\u03b1'],
  ['titlecase digraph', '\u01c5emal \u01c8ubljana'],
  ['modifier letters', '\u02b0ello \u02e0ay'],
  ['special token text', '<|endoftext|>'],
  ['special tokens inline', 'a<|im_start|>user<|im_sep|>b<|endofprompt|>'],
  ['punctuation run', '!!!?...;;'],
  ['punctuation then newlines', '!!!\n\n'],
  ['space punctuation', 'a !b'],
  ['slashes', 'a/b/c //x/\n/y'],
  ['url', 'http://example.com/path?x=1&y=%20'],
  ['code', 'def f(x):\n    return x  # comment\n\n\tpass\n'],
  ['json', '{"key": [1, 2, 3], "nested": {"a": null}}'],
  ['markdown', '# Title\n\n- item one\n- item two\n\n```cpp\nint x = 0;\n```\n'],
  ['private use and unassigned', '\ue000\u{F0000}\u0378x'],
  ['noncharacter and bom', '\ufeffa\uffff'],
  ['bom alone', '\ufeff'],
  ['bom before token', '\ufeffusing \ufeff//'],
  ['bom merged away', '\ufeff\u540d a\ufeff\u540d\u524d \ufeff\u1784'],
  ['double bom', '\ufeff\ufeffx'],
  ['replacement char', 'a\ufffdb'],
];

// Ill-formed UTF-8: each entry is a list of strings (UTF-8) and byte arrays, concatenated.
const INVALID_CASES = [
  ['lone 0xff', [[0xff]]],
  ['0xff between words', ['abc', [0xff], ' def']],
  ['0xff before word', [[0xff], 'abc']],
  ['truncated two-byte at end', ['caf', [0xc3]]],
  ['latin-1 text', ['caf', [0xe9], ' au lait']],
  ['overlong slash', [[0xc0, 0xaf], 'x']],
  ['encoded surrogate', ['a', [0xed, 0xa0, 0x80], 'b']],
  ['truncated three-byte before letter', [[0xe2, 0x82], 'x']],
  ['truncated emoji', [[0xf0, 0x9f, 0x98], ' ok']],
  ['above U+10FFFF', [[0xf4, 0x90, 0x80, 0x80], '1']],
  ['lone continuation bytes', [[0x80, 0x80], 'x ', [0xbf]]],
  ['invalid byte between newlines', ['a\n', [0xfe], '\n\nb']],
  ['invalid byte in contraction', ['don', [0xff], "'t"]],
  ['invalid byte after space', ['a ', [0xf8], 'b']],
  ['invalid byte in digits', ['12', [0xc1], '345']],
];

function bytesOf(parts) {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
}

function cBytes(buf) {
  let out = '';
  for (const b of buf) {
    if (b === 0x22 || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b === 0x0a) out += '\\n';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\' + b.toString(8).padStart(3, '0');
  }
  return '"' + out + '"';
}

function cString(s) {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += '\\' + cp.toString(8).padStart(3, '0');
    else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return '"' + out + '"';
}

function pieces(text, regex) {
  return '{' + [...text.matchAll(regex)].map((m) => cString(m[0])).join(', ') + '}';
}

const noSpecial = { disallowedSpecial: new Set() };
const lines = [
  '// Generated by tests/reference/tokenizer_edge_cases.cjs from gpt-tokenizer ' +
    require('gpt-tokenizer/package.json').version + ' on Node ' + process.versions.node + '; do not edit by hand.',
  'const EdgeCase kEdgeCases[] = {',
];
for (const [name, text] of CASES) {
  lines.push(
    `    {${cString(name)}, ${cString(text)},\n` +
      `     {${cl100k.encode(text, noSpecial).join(', ')}},\n` +
      `     ${pieces(text, CL100K_TOKEN_SPLIT_REGEX)},\n` +
      `     {${o200k.encode(text, noSpecial).join(', ')}},\n` +
      `     ${pieces(text, O200K_TOKEN_SPLIT_REGEX)}},`,
  );
}
lines.push('};', 'const InvalidUtf8Case kInvalidUtf8Cases[] = {');
for (const [name, parts] of INVALID_CASES) {
  const decoded = new TextDecoder().decode(bytesOf(parts));
  lines.push(
    `    {${cString(name)}, ${cBytes(bytesOf(parts))},\n` +
      `     ${pieces(decoded, CL100K_TOKEN_SPLIT_REGEX)},\n` +
      `     ${pieces(decoded, O200K_TOKEN_SPLIT_REGEX)}},`,
  );
}
lines.push('};');
process.stdout.write(lines.join('\n') + '\n');
