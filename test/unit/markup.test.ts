// Hover and completion docs for an editor without Markdown: plain text that reads as it should.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plainText } from '../../server/src/lsp/features/locate';

test('plain-text hovers: a code fence and its language word are dropped, its lines kept', () => {
  assert.equal(plainText('**gen** on `a`\n\n```sh\nclan vars generate a --generator gen\n```\nend'), 'gen on a\n\nclan vars generate a --generator gen\nend');
});
