// import-apply-generators as the user sees it: an error whose explanation shows the rewrite with the
// import's own path and argument names, and a quick fix that moves the import into a `let` and
// assigns clan.core.vars.generators in the module body, after which the finding is gone.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { openFolder } from '../../server/src/cli/folder';
import type { Problem, TextEdit } from '../../server/src/base/types';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

async function findings(root: string): Promise<Problem[]> {
  return (await analyzeFolder(root, DEFAULT_SETTINGS, () => {})).problems.filter((p) => p.code === 'import-apply-generators');
}

/** The edits applied to the text, last first (they do not overlap). */
function applied(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

const EMILY = `{ lib, ... }:
{
  imports = [
    ./hardware.nix
    (lib.modules.importApply ../lib/vars-generators.nix { keys = [ "a" ]; pkgs = null; })
  ];
}
`;

test('import-apply-generators: an error; the explanation and the fix rewrite the import into a let, and the finding is gone', async () => {
  const root = writeTree({ 'flake.nix': '{ }', 'lib/vars-generators.nix': '{ keys, pkgs ? null }: { }', 'modules/emily.nix': EMILY, 'modules/hardware.nix': '{ }' });
  roots.push(root);
  const [p] = await findings(root);
  assert.equal(p.severity, 'error');
  assert.match(p.explanation ?? '', /let varsGenerators = import \.\.\/lib\/vars-generators\.nix \{ keys = \.\.\.; pkgs = \.\.\.; \}; in \{ clan\.core\.vars\.generators = varsGenerators; \}$/);
  const [fix] = p.fixes ?? [];
  assert.equal(fix?.title, "Import the generators in a 'let' block and assign clan.core.vars.generators");
  const file = path.join(root, 'modules/emily.nix');
  assert.ok(fix.edits.every((e) => e.file === file));
  const fixed = applied(EMILY, fix.edits);
  assert.equal(
    fixed,
    `{ lib, ... }:
let
  varsGenerators = import ../lib/vars-generators.nix { keys = [ "a" ]; pkgs = null; };
in
{
  imports = [
    ./hardware.nix
  ];
  clan.core.vars.generators = varsGenerators;
}
`,
  );
  fs.writeFileSync(file, fixed);
  assert.deepEqual(await findings(root), []);
});

test('import-apply-generators: a generators file beside the module is named ./file in the explanation', async () => {
  const root = writeTree({ 'flake.nix': '{ }', 'lib/gens.nix': '{ keys }: { clan.core.vars.generators.x = { }; }', 'lib/host.nix': '{ lib, ... }: { imports = [ (lib.modules.importApply ./gens.nix { keys = [ ]; }) ]; }' });
  roots.push(root);
  const [p] = await findings(root);
  assert.match(p.explanation ?? '', /let varsGenerators = import \.\/gens\.nix \{ keys = \.\.\.; \}; in/);
});

test('import-apply-generators: the explanation says why clan recurses, and the fix is offered, not applied by --fix', async () => {
  const root = writeTree({ 'flake.nix': '{ }', 'lib/vars-generators.nix': '{ keys, pkgs ? null }: { }', 'modules/emily.nix': EMILY, 'modules/hardware.nix': '{ }' });
  roots.push(root);
  const [p] = await findings(root);
  assert.equal(
    p.explanation,
    "clan evaluates machines of other architectures (clanInternals, e.g. a Mac evaluating x86_64-linux machines) and must resolve 'imports' before the configuration exists; these generators depend on it. Assign them in the module body: let varsGenerators = import ../lib/vars-generators.nix { keys = ...; pkgs = ...; }; in { clan.core.vars.generators = varsGenerators; }",
  );
  assert.equal(p.fixes?.[0]?.safe, false);
});

test('import-apply-generators: importApply of a file that declares no generators, of the registry, or of a file that is not there: nothing, and no internal error', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': '{ ... }: { api = { generator = "api-key"; files.value = { }; script = "x"; }; }\n',
    'modules/plain.nix': '{ services.nginx.enable = true; }\n',
    'modules/emily.nix': `{ lib, ... }:\n{\n  imports = [\n    (lib.modules.importApply ./plain.nix { })\n    (lib.modules.importApply ../lib/secret-registry.nix { })\n    (lib.modules.importApply ./missing.nix { })\n  ];\n}\n`,
  });
  roots.push(root);
  const { problems } = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  assert.deepEqual(problems.filter((p) => p.code === 'import-apply-generators' || p.code === 'internal-error').map((p) => p.code), []);
});

test('import-apply-generators: the imported file gaining a generator brings the finding, with no edit of the importing file', async () => {
  const root = writeTree({ 'flake.nix': '{ }', 'modules/gens.nix': '{ ... }: { }\n', 'modules/emily.nix': `{ lib, ... }:\n{\n  imports = [ (lib.modules.importApply ./gens.nix { }) ];\n}\n` });
  roots.push(root);
  const index = await openFolder(root, DEFAULT_SETTINGS, () => {});
  const count = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'import-apply-generators').length;
  assert.equal(count(), 0);
  const gens = path.join(root, 'modules/gens.nix');
  const text = '{ ... }: { clan.core.vars.generators.g = { files.k = { }; script = "echo > $out/k"; }; }\n';
  fs.writeFileSync(gens, text);
  index.updateFromText(gens, text);
  assert.equal(count(), 1);
});
