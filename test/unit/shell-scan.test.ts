// The shell scanner's reading of words and of the path after `$out`, `$in` and `$prompts`
// (syntax/shellScan.ts, syntax/shellWords.ts), on the forms scripts write: quoting, escapes, paths
// with empty and `.` parts, computed parts, and names of variables that only begin like them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanShell } from '../../server/src/syntax/shellScan';
import { NIX_INTERPOLATION } from '../../server/src/syntax/nixString';

/** Each mention as `variable:path` (path null: computed), in order. */
function mentions(script: string): string[] {
  return scanShell(script).mentions.map((m) => `${m.variable}:${m.path}`);
}

test('the path after $out: unquoted, quoted around the variable, around the whole, or in parts', () => {
  assert.deepEqual(mentions('echo x > $out/key'), ['out:key']);
  assert.deepEqual(mentions('echo x > "$out"/key'), ['out:key']);
  assert.deepEqual(mentions('echo x > "$out/key"'), ['out:key']);
  assert.deepEqual(mentions(`echo x > "$out/"'k y'`), ['out:k y']);
  assert.deepEqual(mentions(`echo x > $out/a'b c'd`), ['out:ab cd']);
  assert.deepEqual(mentions('echo x > ${out}/sub/key.pub'), ['out:sub/key.pub']);
});

test('empty parts and `.` parts of the path are dropped; a bare $out has the empty path', () => {
  assert.deepEqual(mentions('cp a $out//x/./y/'), ['out:x/y']);
  assert.deepEqual(mentions('cp a $out/./.'), ['out:']);
  assert.deepEqual(mentions('ls $out'), ['out:']);
  assert.deepEqual(mentions('cp a $out/..x/.y'), ['out:..x/.y']);
});

test('escapes in the path stand for the character after them, in and out of double quotes', () => {
  assert.deepEqual(mentions('cp a $out/a\\ b'), ['out:a b']);
  assert.deepEqual(mentions('cp a "$out/a\\"b"'), ['out:a']); // a quote inside the word ends the name
  assert.deepEqual(mentions('cp a "$out/a\\$b"'), ['out:a$b']);
});

test('a computed part makes the path unknown', () => {
  assert.deepEqual(mentions('cp a "$out/$name"'), ['out:null']);
  assert.deepEqual(mentions('cp a $out/key-*'), ['out:null']);
  assert.deepEqual(mentions('cp a $out/k?'), ['out:null']);
  assert.deepEqual(mentions('cp a $out/{a,b}'), ['out:null']);
  assert.deepEqual(mentions('cp a $out/[ab]'), ['out:null']);
  assert.deepEqual(mentions('cp a $out/`date`'), ['out:null']);
  assert.deepEqual(mentions(`cp a $out/${NIX_INTERPOLATION}`), ['out:null']);
  // a computed part with no literal path before it: the path is unknown; with none at all, empty
  assert.deepEqual(mentions('cp a $out$x'), ['out:null']);
  assert.deepEqual(mentions('cp a $out;'), ['out:']);
});

test('the path ends at a space, a newline, an operator, or (in a heredoc body, read after its line) a quote', () => {
  assert.deepEqual(mentions('cat $in/dep/file | tr a b > $out/x'), ['in:dep/file', 'out:x']);
  assert.deepEqual(mentions('cat $in/dep/file\necho $prompts/pw;echo'), ['in:dep/file', 'prompts:pw']);
  assert.deepEqual(mentions('cat <<EOF > $out/conf\nkey=$in/dep/"file"\nEOF\n'), ['out:conf', 'in:dep']);
  assert.deepEqual(mentions("cat <<EOF > $out/conf\nkey=$in/dep/'file'\nEOF\n"), ['out:conf', 'in:dep']);
});

test('only $out, $in and $prompts are mentions, by their whole name', () => {
  assert.deepEqual(mentions('echo $outdir/x $input/y $prompts_x/z $OUT/w'), []);
  assert.deepEqual(mentions('echo ${out:-/tmp}/x'), ['out:x']);
  assert.equal(scanShell('echo ${out:-/tmp}/x').mentions[0].defaulted, true);
  // a name reads at most 63 characters after the `$`
  assert.deepEqual(mentions(`echo $${'a'.repeat(70)}out/x`), []);
});

test('words: commands, operands, comments, operators and escaped newlines', () => {
  const s = scanShell('# a comment with $out/no\nmkdir -p "$out" && \\\n  cp a b || true ; ( cd x ) | sort\n');
  assert.deepEqual(s.commands.map((c) => c.text), ['mkdir', 'cp', 'true', 'cd', 'sort']);
  assert.deepEqual(s.commands.map((c) => !!c.orElse), [false, true, false, false, false]);
  assert.deepEqual(mentions('# $out/x\necho'), []);
  assert.deepEqual(s.mentions.map((m) => m.command), ['mkdir']);
  // `~` at the start of a word, and $HOME, read the home folder
  assert.deepEqual(scanShell('cat ~/.ssh/id ~x a~').homeReads.map((r) => r.text), ['~']);
  assert.deepEqual(scanShell('cat $HOME/x').homeReads.map((r) => r.text), ['$HOME']);
});
