// The examples in docs/diagnostics.md ("What clan does, and when each code is silent") run: each
// code's example is written into a clan of its own, the checker is run over all of them at once,
// and each must report its code, and nothing else, with the line the docs quote.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { exampleCode, headingCodes } from '../../server/src/base/diagnosticDocs';
import { RULES } from '../../server/src/rules';
import { REPO_ROOT, removeTree } from '../helpers/tempClan';

const DOC = path.join(REPO_ROOT, 'docs', 'diagnostics.md');
const PART = '## What clan does, and when each code is silent';
const CLI = path.join(REPO_ROOT, 'server', 'src', 'cli', 'cli.ts');

/**
 * Codes whose example cannot be written as Nix files alone, with the reason: their example is a
 * description (a listing of the files on disk, the diagnostic) that this test does not run.
 */
const NOT_RUN: Record<string, string> = {
  // read from vars/**/secret files encrypted by sops and the age keys under sops/ (the secrets
  // tests build such clans with test/helpers/secretsClan.ts)
  'secret-recipients-outdated': 'needs sops-encrypted secrets and age keys on disk',
  'secret-not-shared-with-machine': 'needs sops-encrypted secrets and the links next to them on disk',
  'broken-secret-link': 'needs a secret with a link that points nowhere on disk',
  // not a rule of the checker: the editor places the output of `clan vars check` on the declarations
  'clan-vars-check': 'comes from running clan vars check',
  // a bug of Clan Vars (its example is one that was fixed): test/cli/internal-error.test.ts makes one
  'internal-error': 'needs an analysis that throws (CLAN_VARS_TEST_ANALYSIS_THROW)',
};

/**
 * What every example clan has unless the example gives the file itself: a flake that uses clan
 * (the machines are found in machines/<name>/).
 */
const SCAFFOLD: Record<string, string> = {
  'flake.nix': `{
  inputs.clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz";
  outputs = { self, clan-core, ... }: {
    inherit (clan-core.lib.clan { inherit self; meta.name = "docs"; }.config) nixosConfigurations clanInternals;
  };
}
`,
};

/** The start of a line the checker prints: `file:line:column: severity code`. */
const CHECKER_LINE = /^[\w./-]+:\d+:\d+: (error|warning|information|hint) [a-z][a-z0-9-]* /;

interface Example {
  code: string;
  /** 1-based line of the example's label in the docs. */
  line: number;
  files: { path: string; text: string }[];
  /** The checker's line the docs quote (a fenced block, its lines joined), or null. */
  said: string | null;
  /** The example says its fix ("Fix: ..."). */
  fix: boolean;
  /** Blocks after "Fix: ": the same files, fixed. */
  fixed: { path: string; text: string }[];
}

/** The examples of the part that explains each code, in order. */
function examplesOf(doc: string): { codes: string[]; examples: Example[] } {
  const lines = doc.split('\n');
  const start = lines.indexOf(PART);
  assert.ok(start >= 0, `docs/diagnostics.md has no "${PART}"`);
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = lines.length;
  const codes: string[] = [];
  const examples: Example[] = [];
  let sectionCodes: string[] = [];
  let current: Example | null = null;
  for (let i = start + 1; i < end; i++) {
    const l = lines[i];
    const named = headingCodes(l);
    if (named) {
      sectionCodes = named;
      codes.push(...sectionCodes);
      current = null;
      continue;
    }
    // **Example.** or, in a section of several codes, **Example (`code`).** (prose may follow)
    const label = exampleCode(l);
    if (label !== undefined) {
      const code = label ?? sectionCodes[0];
      assert.ok(label ? sectionCodes.includes(label) : sectionCodes.length === 1, `line ${i + 1}: an example in the section of ${sectionCodes.join(', ')} names its code as **Example (\`<code>\`).**`);
      current = { code, line: i + 1, files: [], said: null, fix: false, fixed: [] };
      examples.push(current);
      continue;
    }
    if (!current) continue;
    if (l.startsWith('```')) {
      const close = lines.findIndex((x, j) => j > i && x === '```');
      assert.ok(close > i, `line ${i + 1}: a fenced block that does not end`);
      const text = lines.slice(i + 1, close);
      if (l === '```nix') {
        const file = /^# ([\w./-]+)$/.exec(text[0] ?? '')?.[1];
        assert.ok(file, `line ${i + 2}: a nix block of an example starts with its path as a comment: # machines/lea/configuration.nix`);
        (current.fix ? current.fixed : current.files).push({ path: file, text: text.join('\n') + '\n' });
      } else if (CHECKER_LINE.test(text[0] ?? '')) {
        assert.equal(current.said, null, `line ${i + 1}: one checker line per example`);
        // wrapped at spaces to keep the lines short
        current.said = text.join(' ').replace(/\s+/g, ' ').trim();
      }
      i = close;
      continue;
    }
    if (l.startsWith('Fix: ')) current.fix = true;
  }
  return { codes, examples };
}

const { codes: documented, examples } = examplesOf(fs.readFileSync(DOC, 'utf8'));
const runnable = examples.filter((e) => !(e.code in NOT_RUN));

test('every code has an example; all but the secrets on disk and clan vars check run', () => {
  // the rules' codes, and clan-vars-check (placed from clan's output by the editor, not a rule)
  for (const { code } of RULES) assert.ok(documented.includes(code), `${code} has no section in "${PART}"`);
  const codes = documented;
  for (const code of Object.keys(NOT_RUN)) assert.ok(codes.includes(code), `NOT_RUN names ${code}, which has no section`);
  for (const code of codes) {
    const own = examples.filter((e) => e.code === code);
    assert.ok(own.length > 0, `${code}: its section has no **Example.**`);
    for (const e of own) {
      assert.ok(e.fix, `${code} (line ${e.line}): the example says the fix in a line starting "Fix: "`);
      if (code in NOT_RUN) continue;
      assert.ok(e.files.length > 0, `${code} (line ${e.line}): the example has no nix block to run`);
      assert.ok(e.said, `${code} (line ${e.line}): the example does not quote the checker (a fenced block: file:line:column: severity code message)`);
    }
  }
  for (const e of examples) assert.ok(codes.includes(e.code), `line ${e.line}: an example of ${e.code}, which is no code`);
});

/** What the checker reported in each example's clan, by folder (the example's, and its fixed copy's). */
const reported = new Map<string, { file: string; line: number; column: number; severity: string; code: string; message: string }[]>();
let parent = '';
const folderOf = (e: Example, fixed = false) => `${String(examples.indexOf(e)).padStart(2, '0')}-${e.code}${fixed ? '-fixed' : ''}`;

function writeClan(folder: string, blocks: { path: string; text: string }[]): void {
  const files: Record<string, string> = { ...SCAFFOLD };
  for (const b of blocks) files[b.path] = b.text;
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(parent, folder, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  reported.set(folder, []);
}

before(() => {
  parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-doc-examples-')));
  for (const e of runnable) {
    writeClan(folderOf(e), e.files);
    // the fixed files replace the example's files of the same path
    if (e.fixed.length) writeClan(folderOf(e, true), [...e.files, ...e.fixed]);
  }
  // the checker as a user runs it (from the sources), once over every clan
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), CLI, '--no-cache', '--format', 'json', ...reported.keys()], {
    cwd: parent,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.ok((r.status === 0 || r.status === 1) && r.stdout.startsWith('{'), `the checker exited with ${r.status}: ${r.stderr}`);
  for (const d of JSON.parse(r.stdout).diagnostics) {
    const [folder, ...rest] = d.file.split(path.sep);
    reported.get(folder)!.push({ ...d, file: rest.join('/') });
  }
});

after(() => {
  if (parent) removeTree(parent);
});

/** The checker's lines for a folder, as its text output prints them without the explanation. */
function printed(folder: string): { codes: string[]; lines: string[]; shown: string } {
  const found = reported.get(folder) ?? [];
  const lines = found.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}`.replace(/\s+/g, ' '));
  return { codes: [...new Set(found.map((d) => d.code))], lines, shown: lines.map((l) => `  ${l}`).join('\n') || '  (nothing)' };
}

for (const e of runnable) {
  test(`${e.code}: the example (docs line ${e.line}) is reported as the docs say`, () => {
    const { codes, lines, shown } = printed(folderOf(e));
    assert.ok(codes.includes(e.code), `the checker did not report ${e.code}; it printed:\n${shown}`);
    assert.deepEqual(codes, [e.code], `the example shows more than its own mistake:\n${shown}`);
    assert.ok(lines.includes(e.said!), `the docs quote\n  ${e.said}\nbut the checker printed:\n${shown}`);
    if (e.fixed.length) {
      const fixed = printed(folderOf(e, true));
      assert.deepEqual(fixed.lines, [], `the fix in the docs leaves:\n${fixed.shown}`);
    }
  });
}
