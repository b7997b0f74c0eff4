// A completion's detail is shown on the row beside its label, and VS Code cuts the label to make
// room (issue 57): details are kept short, cut at a whole ' · ' part or a word, never mid-word.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortDetail } from '../../server/src/lsp/features/completion';

test('completion details: at most 32 characters, whole parts first, then whole words', () => {
  assert.equal(shortDetail('on emily, lea · 3 files'), 'on emily, lea · 3 files');
  assert.equal(shortDetail('on web-frontend-01, db-primary-eu · 12 files'), 'on web-frontend-01,…');
  assert.equal(shortDetail('on 12 machines · 3 files · from the registry'), 'on 12 machines · 3 files');
  assert.equal(shortDetail('attribute set of (submodule) with options'), 'attribute set of (submodule)…');
  for (const d of ['x'.repeat(80), 'secret file of a-very-long-generator-name-indeed', 'on a · b · c · d · e · f · g · h · i · j · k']) {
    const s = shortDetail(d);
    assert.ok(s.length <= 32, `"${s}"`);
  }
});
