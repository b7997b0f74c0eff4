// undeclared-output and import-apply-generators on small clans: which writes to $out count (and
// which are intermediate files the script renames or deletes), the exact finding and its fix, and
// that an edit brings the finding up to date; importApply of generators in `imports`, with and
// without the rewrite fix.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { generatorLines as mod, lineRange as at, scriptLines as script } from '../helpers/ruleCases';
import { logRuleRuns, scannedClan } from '../helpers/ruleRuns';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));
logRuleRuns();

/** The findings of `code` on a clan of these files, with paths relative to it. */
async function findings(code: string, files: Record<string, string>): Promise<{ problems: Problem[]; root: string }> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return { problems: report.problems.filter((p) => p.code === code).map((p) => ({ ...p, file: path.relative(root, p.file) })), root };
}

const undeclared = (files: Record<string, string>) => findings('undeclared-output', files);


/** The file names a finding says the script writes, by file of the clan. */
const written = (problems: Problem[]) => problems.map((p) => `${p.file}: ${/^The script writes \$out\/(\S+), but/.exec(p.message)?.[1] ?? p.message}`).sort();

/** A script (one line per entry) of a generator declaring `key` (and `declare`): the files reported as undeclared. */
interface Case { why: string; script: string[]; reported: string[]; declare?: string[] }

async function table(cases: Case[]): Promise<void> {
  const files: Record<string, string> = {};
  cases.forEach((c, i) => {
    files[`c${i}.nix`] = mod(`g${i}`, [...(c.declare ?? ['files.key = { };']), ...script(c.script)]);
  });
  const { problems } = await undeclared(files);
  const got = written(problems);
  const expected = cases.flatMap((c, i) => c.reported.map((w) => `c${i}.nix: ${w}`)).sort();
  const why = cases.map((c, i) => `c${i}: ${c.why}`).join('\n');
  assert.deepEqual(got, expected, why);
}

test('undeclared-output: the commands that create their $out operands (mv, ln, touch, dd) write undeclared files', async () => {
  await table([
    { why: 'mv of a file from elsewhere into $out', script: ['mv "$TMPDIR/x" $out/stray'], reported: ['stray'] },
    { why: 'ln makes a link in $out', script: ['touch $out/key', 'ln -s /run/x $out/link'], reported: ['link'] },
    { why: 'touch', script: ['touch $out/key $out/stamp'], reported: ['stamp'] },
    { why: 'dd of=', script: ['dd if=/dev/urandom of=$out/rand bs=32 count=1', 'touch $out/key'], reported: ['rand'] },
  ]);
});

test('undeclared-output: a file written and then deleted (rm, unlink, shred) is an intermediate one; one read after its write is not', async () => {
  await table([
    { why: 'unlink after the write', script: ['openssl rand -hex 8 > $out/seed', 'sha256sum $out/seed > $out/key', 'unlink $out/seed'], reported: [] },
    { why: 'shred after the write', script: ['openssl rand -hex 8 > "$out"/seed', 'sha256sum "$out"/seed > "$out"/key', 'shred -u "$out"/seed'], reported: [] },
    { why: 'read (cat) after the write is no delete', script: ['openssl rand -hex 8 > $out/seed', 'sha256sum $out/seed > $out/key', 'cat $out/seed >&2'], reported: ['seed'] },
    {
      why: "a prompt's file of the same name copied after the delete is no write to $out",
      declare: ['files.key = { };', 'prompts.token = { };'],
      script: ['echo draft > $out/token', 'rm $out/token', 'cp $prompts/token $out/key'],
      reported: [],
    },
  ]);
});

test('undeclared-output: a file renamed with mv is an intermediate one, however mv is spelled', async () => {
  await table([
    { why: 'on the first line, after another command', script: ['openssl genrsa -out $out/key.pem 2048 && mv $out/key.pem $out/key'], reported: [] },
    { why: 'two spaces after mv', script: ['touch $out/a.tmp', 'mv  $out/a.tmp $out/key'], reported: [] },
    { why: 'a long option', script: ['touch $out/b.tmp', 'mv --force $out/b.tmp $out/key'], reported: [] },
    { why: 'a short option', script: ['touch $out/c.tmp', 'mv -f $out/c.tmp $out/key'], reported: [] },
    { why: 'an option and two spaces', script: ['touch $out/d.tmp', 'mv -f  $out/d.tmp $out/key'], reported: [] },
    { why: 'braced and quoted', script: ['touch "\'\'${out}/e.tmp"', 'mv "\'\'${out}/e.tmp" "\'\'${out}/key"'], reported: [] },
    { why: 'the target of mv is written', script: ['touch $out/f.tmp', 'mv $out/f.tmp $out/renamed'], reported: ['renamed'] },
    {
      why: 'a prompt moved into $out under an undeclared name is written, not renamed',
      declare: ['files.key = { };', 'prompts.token = { };'],
      script: ['touch $out/key', 'mv "$prompts/token" "$out/token"'],
      reported: ['token'],
    },
  ]);
});

test('undeclared-output: a write is declared when a declared file has its name, lies below it, or it lies below a declared file', async () => {
  await table([
    { why: 'a directory holding the declared files (Mic92 limine: sbctl keys)', declare: ['files."keys/PK/PK.key" = { };'], script: ['mv /var/lib/sbctl/keys $out/keys'], reported: [] },
    { why: 'below a declared name', declare: ['files.keys = { };'], script: ['cp /etc/x $out/keys/x'], reported: [] },
    { why: 'a name that only starts with a declared one', script: ['openssl genrsa -out $out/key 2048', 'openssl rsa -in $out/key -pubout > $out/key.pem'], reported: ['key.pem'] },
  ]);
});

test('undeclared-output: the finding, with the fix that declares the file', async () => {
  const { problems, root } = await undeclared({ 'wg.nix': mod('wg', ['files.key = { };', ...script(['wg genkey > $out/key', 'wg pubkey < $out/key > $out/key.pub'])]) });
  const file = path.join(root, 'wg.nix');
  assert.deepEqual(problems, [
    {
      file: 'wg.nix',
      range: at(6, 29, 41),
      severity: 'warning',
      code: 'undeclared-output',
      message: "The script writes $out/key.pub, but generator 'wg' declares no file 'key.pub': declare it (files.\"key.pub\" = { };) or stop writing it.",
      explanation: 'clan ignores undeclared outputs silently: the file is neither stored nor deployed.',
      fixes: [{ title: "Declare file 'key.pub'", edits: [{ file, range: at(8, 0, 0), newText: '    files."key.pub" = { };\n' }], safe: false }],
    },
  ]);
});

test('undeclared-output: the fix declares the file in the declaration written as a set, wherever the script is', async () => {
  const { problems, root } = await undeclared({
    'a.nix': mod('g', ['files.key = { };']),
    'b.nix': `{ ... }:\n{\n  clan.core.vars.generators.g.script = "touch $out/key $out/extra";\n}\n`,
  });
  assert.deepEqual(
    problems.map((p) => [p.file, p.range, p.fixes]),
    [['b.nix', at(2, 55, 65), [{ title: "Declare file 'extra'", edits: [{ file: path.join(root, 'a.nix'), range: at(4, 0, 0), newText: '    files.extra = { };\n' }], safe: false }]]],
  );
});

test('undeclared-output: a generator written with dotted paths only gets the finding without a fix', async () => {
  const { problems } = await undeclared({
    'b.nix': `{ ... }:\n{\n  clan.core.vars.generators.g.files.key = { };\n  clan.core.vars.generators.g.script = "touch $out/key $out/extra";\n}\n`,
  });
  assert.deepEqual(
    problems.map((p) => [p.file, p.range, p.fixes]),
    [['b.nix', at(3, 55, 65), []]],
  );
});

test('undeclared-output: a generator whose files cannot be listed is silent, and the others are still checked', async () => {
  const { problems } = await undeclared({
    'a.nix': `{ cfg, ... }:\n{\n  clan.core.vars.generators.a = {\n    files = cfg.files;\n    script = "touch $out/anything";\n  };\n}\n`,
    'b.nix': mod('b', ['files.key = { };', 'script = "touch $out/key $out/extra";']),
  });
  assert.deepEqual(written(problems), ['b.nix: extra']);
});

test('undeclared-output: an edit of one generator re-runs the rule over that generator alone, and its result is current', async () => {
  const before = mod('a', ['files.key = { };', 'script = "touch $out/key";']);
  const { root, index, lines } = await scannedClan({ 'a.nix': before, 'b.nix': mod('b', ['files.key = { };', 'script = "touch $out/key";']), 'c.nix': mod('c', ['files.key = { };', 'script = "touch $out/key";']) });
  const found = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'undeclared-output').map((p) => `${path.relative(root, p.file)}:${p.range.start.line}`);
  assert.deepEqual(found(), []);
  lines.length = 0;
  index.updateFromText(path.join(root, 'a.nix'), mod('a', ['files.key = { };', 'script = "touch $out/key $out/extra";']));
  assert.deepEqual(found(), ['a.nix:4']);
  assert.deepEqual(lines.filter((l) => l.startsWith('rule undeclared-output ')).map((l) => l.replace(/ in [\d.]+ ms$/, '')), ['rule undeclared-output ran over 1 generators']);
  index.updateFromText(path.join(root, 'a.nix'), before);
  assert.deepEqual(found(), []);
});

const importing = (findingsOf: Problem[]) => findingsOf.map((p) => `${p.file}:${p.range.start.line}`);
const GENS = '{ keys }: { clan.core.vars.generators.x = { files.k = { }; script = "touch $out/k"; }; }\n';

test('import-apply-generators: importApply of a file that is not in the clan is skipped, and the other imports are still checked', async () => {
  const { problems } = await findings('import-apply-generators', {
    'modules/gens.nix': GENS,
    'machines/a.nix': `{ lib, ... }:\n{\n  imports = [\n    (lib.modules.importApply ../modules/missing.nix { })\n    (lib.modules.importApply ../modules/gens.nix { keys = [ ]; })\n  ];\n}\n`,
  });
  assert.deepEqual(importing(problems), ['machines/a.nix:4']);
});

test("import-apply-generators: importApply without an argument: the explanation and the fix's import add none", async () => {
  const { problems, root } = await findings('import-apply-generators', {
    'modules/gens.nix': GENS,
    'machines/a.nix': `{ lib, ... }:\n{\n  imports = [ (lib.modules.importApply ../modules/gens.nix) ];\n}\n`,
  });
  const file = path.join(root, 'machines/a.nix');
  assert.deepEqual(problems, [
    {
      file: 'machines/a.nix',
      range: at(2, 14, 59),
      severity: 'error',
      code: 'import-apply-generators',
      message: "Vars generators through importApply in 'imports' make evaluation recurse infinitely: compute them in a 'let' instead.",
      explanation:
        "clan evaluates machines of other architectures (clanInternals, e.g. a Mac evaluating x86_64-linux machines) and must resolve 'imports' before the configuration exists; these generators depend on it. Assign them in the module body: let varsGenerators = import ../modules/gens.nix; in { clan.core.vars.generators = varsGenerators; }",
      fixes: [
        {
          title: "Import the generators in a 'let' block and assign clan.core.vars.generators",
          edits: [
            { file, range: at(1, 0, 0), newText: 'let\n  varsGenerators = import ../modules/gens.nix;\nin\n' },
            { file, range: at(2, 14, 60), newText: '' },
            { file, range: at(3, 0, 0), newText: '  clan.core.vars.generators = varsGenerators;\n' },
          ],
          safe: false,
        },
      ],
    },
  ]);
});

test('import-apply-generators: imports bound in a let (no module set to rewrite it in) gets the error without a fix', async () => {
  const { problems } = await findings('import-apply-generators', {
    'modules/gens.nix': GENS,
    'machines/a.nix': `{ lib, ... }:\nlet\n  imports = [ (lib.modules.importApply ../modules/gens.nix { keys = [ ]; }) ];\nin\n{\n  inherit imports;\n}\n`,
  });
  assert.deepEqual(problems.map((p) => [p.file, p.range.start.line, p.severity, p.fixes]), [['machines/a.nix', 2, 'error', []]]);
});

test('import-apply-generators: an edit that adds importApply of generators to imports brings the finding; removing it takes it away', async () => {
  const before = `{ lib, ... }:\n{\n  imports = [ ];\n}\n`;
  const { root, index } = await scannedClan({ 'modules/gens.nix': GENS, 'machines/a.nix': before });
  const found = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'import-apply-generators').map((p) => `${path.relative(root, p.file)}:${p.range.start.line}`);
  assert.deepEqual(found(), []);
  const a = path.join(root, 'machines/a.nix');
  index.updateFromText(a, `{ lib, ... }:\n{\n  imports = [ (lib.modules.importApply ../modules/gens.nix { keys = [ ]; }) ];\n}\n`);
  assert.deepEqual(found(), ['machines/a.nix:2']);
  index.updateFromText(a, before);
  assert.deepEqual(found(), []);
});

test('import-apply-generators: the explanation keeps an argument that names no attribute: an empty set as it is, another expression left out', async () => {
  const { problems } = await findings('import-apply-generators', {
    'modules/gens.nix': '{ keys ? [ ] }: { clan.core.vars.generators.x = { files.k = { }; script = "touch $out/k"; }; }\n',
    'machines/a.nix': `{ lib, cfg, ... }:\n{\n  imports = [\n    (lib.modules.importApply ../modules/gens.nix { })\n    (lib.modules.importApply ../modules/gens.nix cfg)\n  ];\n}\n`,
  });
  const rewrite = (p: Problem) => / body: (.*)$/.exec(p.explanation ?? '')?.[1];
  assert.deepEqual(
    problems.map((p) => [p.range.start.line, rewrite(p), p.fixes?.[0]?.edits[0].newText]),
    [
      [3, 'let varsGenerators = import ../modules/gens.nix { }; in { clan.core.vars.generators = varsGenerators; }', 'let\n  varsGenerators = import ../modules/gens.nix { };\nin\n'],
      [4, 'let varsGenerators = import ../modules/gens.nix ...; in { clan.core.vars.generators = varsGenerators; }', 'let\n  varsGenerators = import ../modules/gens.nix cfg;\nin\n'],
    ],
  );
});
