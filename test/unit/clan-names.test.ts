// The name check shared by the editor's vars commands and the migration script, and the shell words
// the script is written with: every word is one line of printable text that bash reads back as the
// exact string, whatever the string holds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { shellWord } from '../../server/src/ide/shellWords';
import { printable } from '../../server/src/base/printable';
import { nameProblem, secretNameProblem, shownName, varIdProblem } from '../../server/src/model/clanNames';

/** Line ends of bash, VS Code (\r), JavaScript and Unicode (U+2028, U+2029), Python's splitlines (\v, \f, \x1c-\x1e, U+0085), and what terminals act on. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const NASTY = ['\n', '\r', '\r\n', '\v', '\f', '\x1c', '\x1e', '\x85', '\u2028', '\u2029', '\x1b[31m', '\x07', '\t', '\u202e', '\u200b', '\ufeff', '\x7f', '\x9b'];
const PLAIN = ["'", '"', '\\', '$', '`', '!', '*', '?', ' ', '#', ';', '&', '|', '<', '>', '(', ')', '{', '}', '[', ']', '=', '~', '-', '--', 'é', '😀', 'a', 'Z', '0', '/', '.', '%', '$(touch x)', "'\\''"];

function words(): string[] {
  const out = [...NASTY, ...PLAIN, ...NASTY.map((n) => `x${n}touch PWNED #`), '', '--help', "it's", '\\x41'];
  // a quote or a backslash beside a character that makes the word $'...'
  out.push(...NASTY.flatMap((n) => [`it's${n}`, `'${n}'`, `\\${n}\\'`, `${n}'; touch PWNED; echo '`]));
  // a 32-bit LCG in integer arithmetic, its high bits used (the same one in floating point lost its low bits and
  // repeated within 60 words, none with a quote beside an unsafe character)
  let seed = 31;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
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
  // in a folder of its own: a word bash misreads could run `touch PWNED` (or write through a redirection)
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-shell-words-'));
  try {
    const r = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, LC_ALL: 'C' } });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\0').slice(0, -1), all);
    assert.deepEqual(fs.readdirSync(cwd), [], 'no word ran a command');
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
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
  // in $'...' a quote and a backslash are escaped too: unescaped, the quote would end the word there
  assert.equal(shellWord("it's\n"), "$'it\\'s\\x0a'");
  assert.equal(shellWord('\\\n'), "$'\\\\\\x0a'");
});

test('the reason names what was refused: a var id, a secret name', () => {
  assert.match(varIdProblem('ssh/key\n') ?? '', /^the var id "ssh\/key\\n" contains U\+000A/);
  assert.match(secretNameProblem('-x') ?? '', /^the secret name "-x" starts with '-'/);
});

test('a name is shown bare only when all of it is plain: one whose shell character comes first is in quotes, where it begins and ends', () => {
  for (const name of [' x', ';x', '$(reboot)x', '`id`x', "'x", '*x', '~x', 'a b']) assert.equal(shownName(name), `"${name}"`, name);
  assert.equal(shownName('\nx'), '"\\nx"');
  assert.equal(shownName('-x'), '"-x"');
  for (const name of ['web-1', 'ssh/key.pub', 'a@b%c+d=e:f,g']) assert.equal(shownName(name), name);
  assert.equal(nameProblem('machine', '$(reboot)/x'), `the machine name "$(reboot)/x" contains '/'`);
  assert.equal(secretNameProblem(';x'), 'the secret name ";x" holds characters clan does not allow in secret names (only A-Z a-z 0-9 . _ -)');
});

test('nameProblem: a name that is not a string (what an evaluation or a JSON file gave) is refused, never thrown on', () => {
  for (const name of [undefined, null, 5, {}, ['web']]) assert.equal(nameProblem('machine', name as unknown as string), 'the machine name is empty', JSON.stringify(name));
});

test('the reasons in full: which name, the character by its code point, the generator part of a var id', () => {
  assert.equal(nameProblem('machine', 'x\ntouch PWNED #'), 'the machine name "x\\ntouch PWNED #" contains U+000A (a line break, control or format character)');
  assert.equal(nameProblem('generator', 'a\u202eb'), 'the generator name "a\\u202eb" contains U+202E (a line break, control or format character)');
  assert.equal(varIdProblem('-g/x'), `the generator name "-g" starts with '-' and would be read as an option`);
  assert.equal(varIdProblem('./x'), `the generator name is '.'`);
  assert.equal(varIdProblem('ssh/a/../b'), `the file of the var ssh/a/../b has a part that is '..'`);
});

test('varIdProblem: only the file part is checked for empty, . and .. parts: a generator name may end in a dot', () => {
  // a Nix attribute name, and a folder name, like any other: "wifi." is not "."
  for (const ok of ['wifi./psk', 'v1./a/b', 'a../key']) assert.equal(varIdProblem(ok), undefined, ok);
});
