// decodeNixString: the text the shell sees, and where each of its characters comes from in the
// source (the rules' findings in scripts are placed by it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeNixString, NIX_INTERPOLATION } from '../../server/src/syntax/nixString';

const at = { line: 3, character: 10 };
const source = (raw: string) => ({ raw, kind: raw.startsWith("''") ? 'indented_string_expression' : 'string_expression', range: { start: at, end: at } });

/** The source offset of each character of the decoded text (a one-line source: its column after `at`). */
function origins(raw: string): { text: string; from: number[] } {
  const d = decodeNixString(source(raw))!;
  const from = [...d.text].map((_, k) => {
    const r = d.rangeOf(k, k + 1);
    assert.equal(r.start.line, at.line);
    return r.start.character - at.character;
  });
  return { text: d.text, from };
}

test('plain text maps one for one, escapes and interpolations to where they start', () => {
  // offsets: c 2, `''$` 6-8, `$$` 11, `'''` 14-16, `${pkgs.jq}` 18-27, `''\n` 29-32, end 33
  const raw = "''cat ''$x $$ ''' ${pkgs.jq} ''\\nend''";
  const { text, from } = origins(raw);
  assert.equal(text, `cat $x $$ '' ${NIX_INTERPOLATION} \nend`);
  assert.deepEqual(from, [2, 3, 4, 5, 8, 9, 10, 11, 11, 13, 14, 14, 17, 18, 28, 29, 33, 34, 35]);
  assert.deepEqual(decodeNixString(source(raw))!.interpolations, ['${pkgs.jq}']);
});

test('a quoted string: backslash escapes map to their backslash', () => {
  const { text, from } = origins('"a\\"b\\$c"');
  assert.equal(text, 'a"b$c');
  assert.deepEqual(from, [1, 2, 4, 5, 7]);
});

test('ranges span from the first character to after the last; an empty text maps to the start', () => {
  const d = decodeNixString(source("''ab''cd''"))!;
  assert.equal(d.text, "ab''cd"); // `''` before a character other than `$`, `'` or `\` is two quotes of text
  assert.deepEqual(d.rangeOf(0, 6), { start: { line: 3, character: 12 }, end: { line: 3, character: 18 } });
  assert.deepEqual(d.rangeOf(2, 2), { start: { line: 3, character: 14 }, end: { line: 3, character: 14 } });
  assert.deepEqual(d.rangeOf(4, 99), { start: { line: 3, character: 16 }, end: { line: 3, character: 18 } });
  const empty = decodeNixString(source("''''"))!;
  assert.equal(empty.text, '');
  assert.deepEqual(empty.rangeOf(0, 1), { start: { line: 3, character: 10 }, end: { line: 3, character: 11 } });
});

test('lines: a character on a later line of the source is placed there', () => {
  const d = decodeNixString(source("''\n  echo $out\n''"))!;
  const k = d.text.indexOf('$out');
  assert.deepEqual(d.rangeOf(k, k + 4), { start: { line: 4, character: 7 }, end: { line: 4, character: 11 } });
});

test('not a string literal: null', () => {
  assert.equal(decodeNixString({ raw: './script.sh', kind: 'path_expression', range: { start: at, end: at } }), null);
  assert.equal(decodeNixString({ raw: "''unterminated", kind: 'indented_string_expression', range: { start: at, end: at } }), null);
});
