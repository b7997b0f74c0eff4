// Attribute and option paths: whether one starts with another, or is it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { samePath, startsWithPath } from '../../server/src/base/pathPrefix';

test('startsWithPath and samePath', () => {
  const files = ['files', 'key', 'mode'];
  assert.equal(startsWithPath(files, ['files', 'key']), true);
  assert.equal(startsWithPath(files, files), true);
  assert.equal(startsWithPath(files, []), true);
  assert.equal(startsWithPath(['files', 'key'], files), false, 'a longer prefix');
  assert.equal(startsWithPath(files, ['files', 'other']), false);
  assert.equal(startsWithPath([null, 'x'], [null]), true, 'a computed part (null) matches a computed part');
  assert.equal(startsWithPath([null, 'x'], ['files']), false);
  assert.equal(samePath(files, ['files', 'key', 'mode']), true);
  assert.equal(samePath(files, ['files', 'key']), false, 'a prefix is not the same path');
  assert.equal(samePath(['files', 'key'], files), false);
  assert.equal(samePath(['files', 'a'], ['files', 'b']), false, 'same length, another name');
  assert.equal(samePath([], []), true);
});
