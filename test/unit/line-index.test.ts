// The one offset/position conversion (server/src/base/lineIndex.ts), against the plain definition:
// a position's line is the number of line breaks before the offset, its column the UTF-16 units
// since the last one; an offset past the end of its line is clamped to it (LSP).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/base/lineIndex';

function naivePosition(text: string, offset: number) {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

test('line index: every offset of texts with empty lines, CRLF and astral characters maps to its position and back', () => {
  for (const text of ['', 'a', '\n', 'ab\n\ncd\n', 'x\r\ny\r\n', '{ a = "😀"; }\n  b = 1;\n', '\n\n\nend']) {
    const lines = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) {
      const p = lines.positionAt(offset);
      assert.deepEqual(p, naivePosition(text, offset), `${JSON.stringify(text)} at ${offset}`);
      assert.equal(lines.offsetAt(p), offset, `${JSON.stringify(text)} back from ${JSON.stringify(p)}`);
      assert.equal(lines.lineAt(offset), p.line);
    }
  }
});

test('line index: a position past its line or past the text is clamped; an origin shifts the first line only', () => {
  const lines = new LineIndex('ab\ncd');
  assert.equal(lines.offsetAt({ line: 0, character: 99 }), 2); // the end of line 0, before its line break
  assert.equal(lines.offsetAt({ line: 7, character: 0 }), 5);
  assert.equal(lines.offsetAt({ line: 1, character: -3 }), 3);
  assert.deepEqual(lines.positionAt(1, { line: 10, character: 4 }), { line: 10, character: 5 });
  assert.deepEqual(lines.positionAt(4, { line: 10, character: 4 }), { line: 11, character: 1 });
});
