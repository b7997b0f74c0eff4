// Which commits of a flake's history declare clan vars generators (scripts/known-inputs/history.ts),
// on a repository the test builds, and the compact commit sets the verdicts are shipped in
// (server/src/model/inputs/commitSet.ts). The class of mistake: judging a commit by its diff rather than
// its tree (an edit that turns `generators = { }` into a declaration touches no line with the word).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { lockableCommits, readHistory } from '../../scripts/known-inputs/history';
import { commitsHold, decodeCommits, encodeCommits } from '../../server/src/model/inputs/commitSet';
import { NixParser } from '../../server/src/syntax/nixParser';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'known-history-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let parser: NixParser;
before(async () => {
  parser = await NixParser.load();
});

function repo() {
  const dir = fs.mkdtempSync(path.join(tmp, 'r-'));
  const run = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], { encoding: 'utf8' }).trim();
  run('init', '-q', '-b', 'main');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const commit = (msg: string) => {
    run('add', '-A');
    run('commit', '-q', '--allow-empty', '-m', msg);
    return run('rev-parse', 'HEAD');
  };
  return { dir, gitDir: path.join(dir, '.git'), run, write, commit };
}

test('each commit is judged by its whole tree, merges and submodules included', () => {
  const r = repo();
  r.write('a.nix', '{ lib, ... }: { environment.etc.x.text = lib.generators.toINI { } { }; }\n');
  const c1 = r.commit('nixpkgs generators only');
  r.write('m.nix', '{\n  clan.core.vars.generators = {\n  };\n}\n');
  const c2 = r.commit('an empty generator set');
  r.write('m.nix', '{\n  clan.core.vars.generators = {\n    foo.files.key = { };\n  };\n}\n');
  const c3 = r.commit('a generator, on lines without the word');
  r.write('README.md', 'x\n');
  const c4 = r.commit('an unrelated change');
  fs.rmSync(path.join(r.dir, 'm.nix'));
  const c5 = r.commit('the generator removed');
  r.run('tag', 'v1', c5);
  r.run('checkout', '-q', '-b', 'feature');
  r.write('sub/svc.nix', '{ clan.core.vars.generators.bar = { files.x = { }; }; }\n');
  const c6 = r.commit('a generator on a branch');
  r.run('checkout', '-q', 'main');
  r.write('b.nix', '{ }\n');
  const c7 = r.commit('main moves on');
  r.run('merge', '-q', '--no-ff', '-m', 'merge feature', 'feature');
  const c8 = r.run('rev-parse', 'HEAD');
  r.run('rm', '-q', 'sub/svc.nix');
  const c9 = r.commit('the branch generator removed');
  r.run('update-index', '--add', '--cacheinfo', `160000,${c1},vendored`);
  r.run('commit', '-q', '-m', 'a submodule: files not in this history');
  const c10 = r.run('rev-parse', 'HEAD');
  // the blind spot of reading diffs: `git log -G generators` does not list c3
  const touched = r.run('log', '--all', '--format=%H', '-G', 'generators', '--', '*.nix').split('\n');
  assert.ok(!touched.includes(c3));

  const h = readHistory(r.gitDir, parser)!;
  const empty = new Set(h.empty);
  const verdict = (c: string) => (empty.has(c) ? 'empty' : h.declaring.has(c) ? 'declares' : 'unread');
  assert.deepEqual(
    [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10].map(verdict),
    ['empty', 'empty', 'declares', 'declares', 'empty', 'declares', 'empty', 'declares', 'empty', 'declares'],
  );
  assert.deepEqual(h.declaring.get(c3), ['m.nix']);
  assert.deepEqual(h.declaring.get(c8), ['sub/svc.nix']);
  assert.deepEqual(h.declaring.get(c10), ['vendored']);
  // shipped: the default branch's and the tags' first-parent chains; `feature` is not
  const lockable = lockableCommits(r.gitDir);
  assert.deepEqual(
    [c1, c5, c6, c8, c10].map((c) => lockable.has(c)),
    [true, true, false, true, true],
  );
});

test('commit sets: 64-bit prefixes, sorted; membership by a full hash only', () => {
  const revs = ['f'.repeat(40), '0123456789abcdef' + '0'.repeat(24), 'abcdef0123456789' + '1'.repeat(24), 'ABCDEF0123456789' + '1'.repeat(24)];
  const set = encodeCommits(revs);
  assert.equal(set.count, 3, 'case folded, each once');
  const bytes = decodeCommits(set)!;
  for (const r of revs) assert.ok(commitsHold(bytes, r), r);
  assert.ok(commitsHold(bytes, '0123456789abcdef'), 'the prefix is what is held');
  assert.ok(!commitsHold(bytes, '0123456789abcde'), 'shorter than the prefix: never');
  assert.ok(!commitsHold(bytes, '0123456789abcdee' + '0'.repeat(24)));
  assert.ok(!commitsHold(bytes, 'not hex at all, but long enough for a prefix'));
  assert.equal(decodeCommits({ count: 4, prefixes: set.prefixes }), null, 'count and bytes disagree');
  const swapped = Buffer.concat([bytes.subarray(8, 16), bytes.subarray(0, 8), bytes.subarray(16)]).toString('base64');
  assert.equal(decodeCommits({ count: 3, prefixes: swapped }), null, 'not sorted');
  assert.equal(decodeCommits({ count: 0, prefixes: '' })?.length, 0);
  // prefixes alike but for their last byte: in order, repeated, out of order
  const set2 = (...hex: string[]) => ({ count: hex.length, prefixes: Buffer.from(hex.join(''), 'hex').toString('base64') });
  assert.equal(decodeCommits(set2('00112233445566aa', '00112233445566ab'))?.length, 16);
  assert.equal(decodeCommits(set2('00112233445566aa', '00112233445566aa')), null, 'not distinct');
  assert.equal(decodeCommits(set2('00112233445566ab', '00112233445566aa')), null, 'not sorted in the last byte');
  assert.equal(decodeCommits(set2('01112233445566aa', '00112233445566ab')), null, 'not sorted in the first byte');
  // base64 as encodeCommits writes it, exactly: what Buffer.from would skip is refused
  const ok = set2('00112233445566aa').prefixes;
  assert.ok(decodeCommits({ count: 1, prefixes: ok }));
  for (const bad of [`${ok}\n`, ` ${ok}`, `${ok.slice(0, 4)}!${ok.slice(4)}`, ok.replace('=', '')]) assert.equal(decodeCommits({ count: 1, prefixes: bad }), null, JSON.stringify(bad));
});
