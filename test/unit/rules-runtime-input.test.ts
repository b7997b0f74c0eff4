// missing-runtime-input's fix as a user applies it: the package goes into the runtimeInputs list
// as written, whether a plain list, a list under `with pkgs;` (a bare name) or lists joined with `++`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { generatorModule as gen } from '../helpers/ruleCases';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** The runtimeInputs line of m.nix after each missing-runtime-input fix is applied (null: no fix), with its title. */
async function fixed(runtimeInputs: string): Promise<{ title: string; line: string } | null> {
  const root = writeTree({ 'm.nix': gen('g', `    files.x = { };\n    runtimeInputs = ${runtimeInputs};\n    script = "openssl rand -hex 8 > $out/x";`) });
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const found = report.problems.filter((p) => p.code === 'missing-runtime-input');
  assert.equal(found.length, 1, `one finding for ${runtimeInputs}`);
  const f = found[0].fixes?.[0];
  if (!f) return null;
  const lines = fs.readFileSync(path.join(root, 'm.nix'), 'utf8').split('\n');
  const [e] = f.edits;
  assert.deepEqual([e.range.start, path.basename(e.file)], [e.range.end, 'm.nix']);
  const l = lines[e.range.start.line];
  return { title: f.title, line: (l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.start.character)).trim() };
}

test('missing-runtime-input fix: into a plain list, a list under with pkgs; (a bare name) and the last list of ++', async () => {
  assert.deepEqual(await fixed('[ pkgs.jq ]'), { title: 'Add pkgs.openssl to runtimeInputs', line: 'runtimeInputs = [ pkgs.jq pkgs.openssl ];' });
  assert.deepEqual(await fixed('with pkgs; [ jq ]'), { title: 'Add openssl to runtimeInputs', line: 'runtimeInputs = with pkgs; [ jq openssl ];' });
  assert.deepEqual(await fixed('[ pkgs.jq ] ++ [ pkgs.gnused ]'), { title: 'Add pkgs.openssl to runtimeInputs', line: 'runtimeInputs = [ pkgs.jq ] ++ [ pkgs.gnused pkgs.openssl ];' });
  assert.deepEqual(await fixed('with pkgs; [ jq ] ++ [ gnused ]'), { title: 'Add openssl to runtimeInputs', line: 'runtimeInputs = with pkgs; [ jq ] ++ [ gnused openssl ];' });
});

test('missing-runtime-input fix: none where the list does not end the value (the finding stays)', async () => {
  assert.equal(await fixed('with pkgs; ([ jq ])'), null);
});
