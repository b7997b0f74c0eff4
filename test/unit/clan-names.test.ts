// The name check shared by the editor's vars commands and the migration script, and the shell words
// the script is written with: every word is one line of printable text that bash reads back as the
// exact string, whatever the string holds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { shellWord } from '../../server/src/ide/shellWords';
import { printable } from '../../server/src/base/printable';
import { nameProblem, secretNameProblem, varIdProblem } from '../../server/src/model/clanNames';

/** Line ends of bash, VS Code (\r), JavaScript and Unicode (U+2028, U+2029), Python's splitlines (\v, \f, \x1c-\x1e, U+0085), and what terminals act on. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const NASTY = ['\n', '\r', '\r\n', '\v', '\f', '\x1c', '\x1e', '\x85', '\u2028', '\u2029', '\x1b[31m', '\x07', '\t', '\u202e', '\u200b', '\ufeff', '\x7f', '\x9b'];
const PLAIN = ["'", '"', '\\', '$', '`', '!', '*', '?', ' ', '#', ';', '&', '|', '<', '>', '(', ')', '{', '}', '[', ']', '=', '~', '-', '--', 'é', '😀', 'a', 'Z', '0', '/', '.', '%', '$(touch x)', "'\\''"];

function words(): string[] {
  const out = [...NASTY, ...PLAIN, ...NASTY.map((n) => `x${n}touch PWNED #`), '', '--help', "it's", '\\x41'];
  let seed = 31;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const pool = [...NASTY, ...PLAIN];
  for (let i = 0; i < 400; i++) out.push(Array.from({ length: 1 + (next() % 8) }, () => pool[next() % pool.length]).join(''));
  return out;
}

test('shellWord: one printable line per word, read back by bash as the exact string', () => {
  const all = words();
  const lines = all.map((w) => {
    const word = shellWord(w);
    assert.ok(!UNSAFE.test(word), `${JSON.stringify(w)} -> ${JSON.stringify(word)} holds a line break or control character`);
    return `printf '%s\\0' ${word}`;
  });
  const script = lines.join('\n') + '\n';
  // as VS Code's editor would hand it over (a lone \r is a line break there): nothing to change
  assert.equal(script.replace(/\r\n?/g, '\n'), script);
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, LC_ALL: 'C' } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\0').slice(0, -1), all);
});

test('printable: names in messages are one line of printable text', () => {
  for (const w of words()) assert.ok(!UNSAFE.test(printable(w)), JSON.stringify(printable(w)));
  assert.equal(printable('a\nb\u2028c\x1bd'), 'a\\nb\\u2028c\\x1bd');
});

const NAMES: [string, RegExp | undefined][] = [
  ['web-1', undefined],
  ['host.example_2', undefined],
  ['', /empty/],
  ['-x', /starts with '-'/],
  ['--help', /starts with '-'/],
  ['a/b', /contains '\/'/],
  ['.', /is '\.'/],
  ['..', /is '\.\.'/],
  ...NASTY.map((n): [string, RegExp] => [`x${n}touch PWNED #`, /contains U\+[0-9A-F]{4} \(a line break, control or format character\)/]),
];

test('nameProblem: names clan or a shell could misread are refused, with a printable reason', () => {
  for (const [name, problem] of NAMES) {
    const p = nameProblem('machine', name);
    if (!problem) assert.equal(p, undefined, name);
    else {
      assert.match(p ?? '', problem, JSON.stringify(name));
      assert.ok(!UNSAFE.test(p!), JSON.stringify(p));
    }
  }
});

test('varIdProblem and secretNameProblem', () => {
  for (const ok of ['ssh/key', 'ssh/dir/key.pub', 'borgbackup/borgbackup.ssh']) assert.equal(varIdProblem(ok), undefined, ok);
  const bad: [string, RegExp][] = [
    ['ssh', /not of the form/],
    ['/key', /not of the form/],
    ['ssh/', /not of the form/],
    ['-g/x', /starts with '-'/],
    ['--help/x', /starts with '-'/],
    ['ssh/../../../outside/passwd', /'\.\.'/],
    ['ssh/./key', /'\.'/],
    ['ssh//key', /''/],
    ['ssh/key\n', /U\+000A/],
    ['ssh/key\u2028touch x', /U\+2028/],
  ];
  for (const [varId, problem] of bad) assert.match(varIdProblem(varId) ?? '', problem, JSON.stringify(varId));
  for (const ok of ['alpha-borgbackup.ssh', 'wg_key', 'A.b-c']) assert.equal(secretNameProblem(ok), undefined, ok);
  for (const [name, problem] of [['..', /'\.\.'/], ['-x', /'-'/], ['../../x', /'\/'/], ['a b', /only A-Z/], ['ä', /only A-Z/], ['a\rb', /U\+000D/]] as const) {
    assert.match(secretNameProblem(name) ?? '', problem, name);
  }
});

test('shellWord: a plain word stays bare, a word with spaces or quotes but no unsafe character is single-quoted', () => {
  assert.equal(shellWord('web-1'), 'web-1');
  assert.equal(shellWord('ssh/key.pub'), 'ssh/key.pub');
  assert.equal(shellWord('a b'), "'a b'");
  assert.equal(shellWord("it's"), "'it'\\''s'");
  assert.equal(shellWord('a\nb'), "$'a\\x0ab'");
});

test('the reason names what was refused: a var id, a secret name', () => {
  assert.match(varIdProblem('ssh/key\n') ?? '', /^the var id "ssh\/key\\n" contains U\+000A/);
  assert.match(secretNameProblem('-x') ?? '', /^the secret name "-x" starts with '-'/);
});
