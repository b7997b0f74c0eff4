// `--format text`, the default, as a person at a terminal reads it: each finding with its place and
// the line under a caret, each explanation once per code, a summary by code, lines within the
// width, and colour only on a terminal or when asked for (--color, NO_COLOR, FORCE_COLOR).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { PAINT_SEQUENCE } from '../../server/src/cli/format/color';
import { EXAMPLE_CLAN, REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const LINT = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** The checker with stdout a pipe (never a terminal here), in an environment without colour settings but `env`. */
function lint(args: string[], env: Record<string, string> = {}, cwd = REPO_ROOT) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['NO_COLOR', 'FORCE_COLOR', 'COLUMNS', 'TERM'].includes(k)));
  const r = spawnSync(process.execPath, [LINT, '--no-cache', ...args], { cwd, encoding: 'utf8', env: { ...clean, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A clan with three sops-nix secrets: three hints of one code, with the same explanation. */
function threeHints(): string {
  const root = writeTree({
    'flake.nix': '{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "t"; }; }\n',
    'machines/a/configuration.nix': '{ config, ... }: {\n  sops.secrets.one = { };\n  sops.secrets.two = { };\n  sops.secrets.three = { };\n}\n',
  });
  roots.push(root);
  return root;
}

test('text format: each finding with its severity and code, its place from the working folder, the line with a caret under its range, and a summary by code', () => {
  const r = lint(['examples/clan']);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.deepEqual(lines.filter((l) => /^\S+\[/.test(l)).map((l) => l.slice(0, l.indexOf(':'))), ['error[unknown-registry-key]', 'error[unknown-dependency]', 'error[import-apply-generators]']);
  const at = lines.findIndex((l) => l.trim().startsWith('--> examples/clan/lib/machine-env-matrix.nix:11:5'));
  assert.ok(at > 0, r.stdout);
  // the frame: the gutter, the source line, the caret under the 9 columns of "deepsek" (with quotes)
  assert.match(lines[at + 2], /^11 \| {5}"deepsek"/);
  assert.equal(lines[at + 3], '   |     ^^^^^^^^^');
  assert.match(lines[at + 4], /^ {3}= note: Evaluation throws "Unknown secret key in envMatrix: deepsek"\.$/);
  assert.match(lines[at + 5], /^ {3}= help: Change to 'deepseek' \(a quick fix in the editor\)$/);
  assert.deepEqual(lines.slice(-5), [
    'by code (clan-vars-lint --explain CODE says more):',
    '  1 error    import-apply-generators',
    '  1 error    unknown-dependency',
    '  1 error    unknown-registry-key',
    '3 errors, 0 warnings (8 .nix files checked, 9 generator declarations)',
  ]);
});

test('text format: an explanation is printed once per code, not once per finding', () => {
  const root = threeHints();
  const text = lint([root]).stdout;
  const json = JSON.parse(lint(['--format', 'json', root]).stdout).diagnostics as { code: string; explanation?: string }[];
  const hints = json.filter((d) => d.code === 'sops-nix-secret');
  assert.equal(hints.length, 3);
  assert.ok(hints.every((h) => h.explanation === hints[0].explanation && h.explanation));
  // the first words of the explanation: wrapped, it spans lines
  const start = hints[0].explanation!.split(' ').slice(0, 4).join(' ');
  assert.equal(text.split(start).length - 1, 1, text);
  assert.equal((text.match(/^hint\[sops-nix-secret\]/gm) ?? []).length, 3);
});

test('text format: no line is wider than the width (COLUMNS, between 40 and 120), a code frame included', () => {
  const root = writeTree({
    'flake.nix': '{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "t"; }; }\n',
    'machines/a/configuration.nix': `{ config, ... }: { ${'x = 1; '.repeat(60)}sops.secrets.${'long-name-'.repeat(20)}x = { }; ${'y = 2; '.repeat(60)}}\n`,
  });
  roots.push(root);
  for (const [columns, width] of [['300', 120], ['60', 60], ['10', 40], ['', 100]] as const) {
    const r = lint([root], columns ? { COLUMNS: columns } : {});
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    // a place is a path, which is not cut; the summary is one line for the tools that read it
    const wide = lines.filter((l) => l.length > width && !l.trimStart().startsWith('--> ') && !/^\d+ errors?, /.test(l));
    assert.deepEqual(wide, [], `COLUMNS=${columns}`);
    assert.ok(lines.every((l) => l.length <= 120 || l.trimStart().startsWith('--> ')));
    // the frame is cut around the caret, marked where it is cut
    assert.ok(lines.some((l) => /^ 1 \| …/.test(l) && l.endsWith('…')), `COLUMNS=${columns}: ${r.stdout}`);
  }
});

test('text format: colour only when asked for: --color, FORCE_COLOR, NO_COLOR; never in the other formats', () => {
  const coloured = (args: string[], env: Record<string, string> = {}) => new RegExp(PAINT_SEQUENCE.source).test(lint([...args, EXAMPLE_CLAN], env).stdout);
  // stdout is a pipe here: auto means none
  assert.equal(coloured([]), false);
  assert.equal(coloured(['--color', 'always']), true);
  assert.equal(coloured([], { FORCE_COLOR: '1' }), true);
  assert.equal(coloured([], { FORCE_COLOR: '0' }), false);
  assert.equal(coloured([], { NO_COLOR: '1' }), false);
  assert.equal(coloured(['--color', 'never'], { FORCE_COLOR: '1' }), false);
  assert.equal(coloured(['--color=always'], { NO_COLOR: '1' }), true);
  for (const format of ['compact', 'json', 'sarif', 'github', 'gitlab']) assert.equal(coloured(['--format', format, '--color', 'always']), false, format);
  // the words are the same with colour as without
  const plain = lint([EXAMPLE_CLAN]).stdout;
  assert.equal(lint(['--color', 'always', EXAMPLE_CLAN]).stdout.replace(PAINT_SEQUENCE, ''), plain);
});

test('--explain CODE prints the docs of the code as plain text; an unknown code is bad usage with the closest one', () => {
  const r = lint(['--explain', 'unknown-dependency']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^unknown-dependency \(error \(warning where modules we cannot read may declare it: the machine's own,\s+or another machine's shared generator\); Registry, matrix\s+and\s+dependencies\)\n\n/);
  assert.ok(r.stdout.split('\n').length > 8, r.stdout);
  // no Markdown left: fences, code marks, link syntax
  assert.doesNotMatch(r.stdout, /```|`|\]\(/);
  assert.ok(r.stdout.split('\n').every((l) => l.length <= 100 || l.startsWith('    ')), r.stdout);
  const bad = lint(['--explain', 'unknown-dependancy']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /--explain unknown-dependancy: no such diagnostic code; did you mean 'unknown-dependency'\?/);
  assert.equal(lint(['--explain', 'unknown-dependency', EXAMPLE_CLAN]).code, 2);
});
