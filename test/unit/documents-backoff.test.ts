// A slow open document is not reparsed on every keystroke: after a slow or failed parse, the next
// one waits for a back-off period while the text keeps changing, and readers get no tree meanwhile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenDocuments } from '../../server/src/lsp/documents';
import { NixParser } from '../../server/src/syntax/nixParser';

test('open documents: a parse that runs out of time defers the next one; a fast parse does not', async () => {
  const parser = await NixParser.load();
  let parses = 0;
  const docs = new OpenDocuments(() => (parses++, parser));
  const slow = docs.open('file:///slow.nix', '/slow.nix', 1, '{ a = ' + 'a.'.repeat(8000) + '\n');
  assert.equal(slow.tree, null, 'the pathological text runs out of its budget');
  assert.match(slow.parseError ?? '', /parsing took longer/);
  docs.change(slow.uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }]);
  assert.equal(slow.parseDeferred, true);
  const before = parses;
  assert.equal(slow.tree, null);
  assert.equal(parses, before, 'no parse is tried while deferred');
  assert.ok(slow.deferredUntil > performance.now());

  const fast = docs.open('file:///fast.nix', '/fast.nix', 1, '{ a = 1; }\n');
  assert.ok(fast.tree);
  docs.change(fast.uri, 2, [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: '2' }]);
  assert.equal(fast.parseDeferred, false);
  assert.equal(fast.tree?.rootNode.text, '{ a = 2; }\n');
  docs.close(slow.uri);
  docs.close(fast.uri);
});
