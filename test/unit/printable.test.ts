// The one escaping of names for every output (server/src/base/printable.ts), checked against what
// renders them: a CommonMark reader with GitHub's tables and autolinks (markdown-it) for Markdown,
// JSON.parse for JSON. Words: the attacks of test/helpers/hostileNames.ts and random mixes of line
// breaks, controls, bidi characters and Markdown punctuation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownCode, markdownCodeInTable, markdownText, noticeText, printable, printableJson, printableLines } from '../../server/src/base/printable';
import { PAYLOADS, UNSAFE } from '../helpers/hostileNames';
import { markdownParts } from '../helpers/markdownParts';

const PIECES = ['\n', '\r', '\x1b[2J', '\x1b]52;c;eA==\x07', '\x9b', '\u202e', '\u2066', '\u2028', '\x85', '\u{e0041}', '\x7f', '\t', '\ufeff', '\u200b', '\ud800', ...'\\`*_[]()<>&|~!#$@:-+=.{}"\''.split(''), '1.', '    ', ' ', 'http://e.example/', 'www.e.example', 'a', 'é', '😀'];

function words(): string[] {
  const out = [...Object.values(PAYLOADS), ...PIECES, '', '-', '+ x', '1. x', '12. x', '10) y', '# h', '> q', '`', '``', ' ` ', '\\|', '|'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 600; i++) out.push(Array.from({ length: 1 + (next() % 7) }, () => PIECES[next() % PIECES.length]).join(''));
  return out;
}

const unsafe = (s: string) => [...s].some((c) => UNSAFE.test(c));

test('printable: one line, no control, format or separator character; astral characters escaped whole', () => {
  for (const w of words()) assert.ok(!unsafe(printable(w)), JSON.stringify(printable(w)));
  assert.equal(printable('a\nb\u2028c\x1bd\u202ee'), 'a\\nb\\u2028c\\x1bd\\u202ee');
  // a tag character is two UTF-16 units: the old escape kept the first and dropped the second
  assert.equal(printable('x\u{e0041}y'), 'x\\u{e0041}y');
  assert.equal(printableLines('a\x1b\nb\u202e\n'), 'a\\x1b\nb\\u202e\n');
});

test('markdownText: shown exactly as printable text, wherever it stands; no link, image, HTML, heading or other block', () => {
  for (const w of words()) {
    const t = markdownText(w);
    const want = printable(w);
    for (const [doc, cell] of [
      [`${t}`, false],
      [`x ${t} y`, false],
      [`- ${t}`, false],
      [`## H ${t}`, false],
      [`| a | b |\n|---|---|\n| ${t} | c |`, true],
    ] as const) {
      const parts = markdownParts(doc);
      assert.deepEqual([parts.links, parts.images, parts.html], [[], [], []], `${JSON.stringify(w)} in ${JSON.stringify(doc)}`);
      assert.equal(parts.headings.length, doc.startsWith('#') ? 1 : 0, JSON.stringify(doc));
      const shown = parts.shown.join('');
      const expected = doc.startsWith('x ') ? `x ${want} y` : doc.startsWith('## ') ? `H ${want}` : cell ? `ab${want}c` : want;
      // Markdown trims the spaces around a paragraph or cell: compare without them
      assert.equal(shown.replace(/ /g, ''), expected.replace(/ /g, ''), `${JSON.stringify(w)} in ${JSON.stringify(doc)}`);
    }
  }
});

test('markdownText in the text of a link: the link stays one, to where it went (the hover\'s Generate links)', () => {
  for (const w of words()) {
    const parts = markdownParts(`[Generate on ${markdownText(w)}](command:clanVars.generate?x)`);
    assert.deepEqual([parts.links, parts.images, parts.html], [['command:clanVars.generate?x'], [], []], JSON.stringify(w));
    assert.equal(parts.shown.join('').replace(/ /g, ''), `Generateon${printable(w)}`.replace(/ /g, ''), JSON.stringify(w));
  }
});

test('markdownCode: one code span showing the printable text; in a table cell, the cell stays whole', () => {
  for (const w of words()) {
    const want = printable(w);
    if (want.trim() === '') continue; // a code span of spaces only is shown as it is, padding included
    const inline = markdownParts(`x ${markdownCode(w)} y`);
    assert.deepEqual([inline.links, inline.images, inline.html], [[], [], []]);
    assert.deepEqual(inline.shown, ['x ', want, ' y'], JSON.stringify(w));
    const table = markdownParts(`| a | b |\n|---|---|\n| ${markdownCodeInTable(w)} | c |`);
    assert.deepEqual(table.shown, ['a', 'b', want, 'c'], JSON.stringify(w));
  }
});

test('printableJson: the exact data back, no character of UNSAFE in the bytes but the indentation line breaks', () => {
  const value = { names: words(), nested: [{ k: '\u202e\x9b\x7f\u2028\u{e0041}' }] };
  for (const indent of [undefined, 2]) {
    const json = printableJson(value, indent);
    assert.ok(![...json].some((c) => c !== '\n' && UNSAFE.test(c)));
    assert.deepEqual(JSON.parse(json), value);
  }
});

test('the Markdown source stays readable: a plain name is written as it is, escapes only where a mark would act', () => {
  // what a reader of the checker's Markdown output sees before any rendering
  assert.equal(markdownText('web-1 a.b (x) 2.0'), 'web-1 a.b (x) 2.0');
  assert.equal(markdownText('- x'), '\\- x');
  assert.equal(markdownText('12. x'), '12\\. x');
  assert.equal(markdownText('3) y'), '3\\) y');
  assert.equal(markdownText(' x'), '&#32;x');
  assert.equal(markdownCode('ssh key'), '`ssh key`');
  assert.equal(markdownCode('a`b'), '``a`b``');
  assert.equal(markdownCode('`a'), '`` `a ``');
  assert.equal(markdownCode('a`'), '`` a` ``');
  assert.equal(printable('a\tb\rc'), 'a\\tb\\rc');
  // a notification makes [text](target) a link: a name holding one is shown, not followed
  assert.equal(noticeText('[x](command:y)'), '[x] (command:y)');
});
