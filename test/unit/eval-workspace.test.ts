// The workspace model with the evaluator: registry entries built by functions, per-machine
// generators computed by the real vars-generators.nix call, throws as diagnostics on the matrix
// key, no duplicate with unknown-registry-key, and evaluation redone only when its inputs change.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { mergeMatrix } from '../../server/src/model/evaluatedFacts';
import type { MatrixFacts } from '../../server/src/facts/types';
import { analyze, brief } from '../helpers/analyze';
import { EXAMPLE_CLAN, REGISTRY_PIPELINE, removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'eval');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const GENERATORS = REGISTRY_PIPELINE;

test('the example clan: one diagnostic for the unknown key, none from evaluation', async () => {
  const { found } = await analyze(EXAMPLE_CLAN);
  assert.deepEqual(
    brief(found).filter((f) => f.startsWith('lib/')),
    ['lib/machine-env-matrix.nix:11 unknown-registry-key'],
  );
});

test('registry entries computed by listToAttrs are understood through evaluation', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': fixture('registry-generated.nix'),
    'lib/machine-env-matrix.nix': '{\n  lea = [ "grafana-admin" "grafana-admn" ];\n}\n',
    'lib/vars-generators.nix': GENERATORS,
  });
  roots.push(root);
  const { found } = await analyze(root);
  assert.deepEqual(brief(found), ['lib/machine-env-matrix.nix:2 unknown-registry-key']);
  assert.match(found[0].message, /'grafana-admn'.*Did you mean 'grafana-admin'\?/);
});

test('a throw other than an unknown key becomes evaluation-error on the matrix key', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': '{ pkgs ? null }: {\n  a = { generator = "a-gen"; files.k = { }; };\n  b = { files.k = { }; };\n}\n',
    'lib/machine-env-matrix.nix': '{\n  lea = [\n    "a"\n    "b"\n  ];\n  emily = [ "b" ];\n}\n',
    'lib/vars-generators.nix': GENERATORS,
  });
  roots.push(root);
  const { found } = await analyze(root);
  const evalErrors = found.filter((f) => f.code === 'evaluation-error');
  assert.deepEqual(brief(evalErrors), ['lib/machine-env-matrix.nix:4 evaluation-error', 'lib/machine-env-matrix.nix:6 evaluation-error']);
  assert.match(evalErrors[0].message, /Registry entry b has no generator/);
  assert.ok(!found.some((f) => f.code === 'unknown-registry-key'));
});

test('per-machine generators, registry fields and validation hashes come from evaluation', async () => {
  const parser = await NixParser.load();
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': fixture('registry-helpers.nix'),
    'lib/machine-env-matrix.nix': fixture('matrix-let.nix'),
    'lib/vars-generators.nix': fixture('generators-listToAttrs.nix').replace('./registry-helpers.nix', './secret-registry.nix'),
    'lib/unrelated.nix': '{ }',
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, parser);
  await index.scan();
  const clan = index.clan(root);
  const evaluation = clan.evaluation!;
  assert.ok(evaluation);
  assert.deepEqual(evaluation.throws, []);
  assert.deepEqual(
    evaluation.machines.get('emily')!.map((g) => g.name).sort(),
    ['anthropic-api-key', 'deepseek-api-key', 'gmail-app-password', 'openrouter-api-key'],
  );
  const entry = clan.registry!.facts.entries.find((e) => e.key === 'openrouter')!;
  assert.equal(entry.generator?.name, 'openrouter-api-key'); // computed: "${name}-api-key"
  assert.equal(entry.envVar, 'OPENROUTER_API_KEY');
  assert.deepEqual(entry.files, ['key']);
  assert.deepEqual(entry.prompts, ['value']);
  assert.equal(entry.script, 'cat "$prompts/value" > "$out/key"');
  assert.ok(clan.byName.has('deepseek-api-key'));
  assert.equal(evaluation.machines.get('lea')!.find((g) => g.name === 'gmail-app-password')!.validationHash, null);
  // machines whose keys select the same entry share one evaluated generator, kept once (a fleet's memory)
  const of = (m: string) => evaluation.machines.get(m)!.find((g) => g.name === 'gmail-app-password');
  assert.ok(of('emily') && of('emily') === of('lea'));

  // Editing an unrelated file reuses the evaluation; editing the registry redoes it.
  index.updateFromText(path.join(root, 'lib/unrelated.nix'), '{ x = 1; }');
  assert.equal(index.clan(root).evaluation, evaluation);
  const registryFile = path.join(root, 'lib/secret-registry.nix');
  index.updateFromText(registryFile, fixture('registry-helpers.nix').replace('deepseek = mkApiKey "deepseek" { };', ''));
  const again = index.clan(root);
  assert.notEqual(again.evaluation, evaluation);
  assert.deepEqual(brief(index.allProblems().get(path.join(root, 'lib/machine-env-matrix.nix'))!.map((p) => ({ file: 'lib/machine-env-matrix.nix', line: p.range.start.line + 1, code: p.code, message: p.message }))), [
    'lib/machine-env-matrix.nix:10 unknown-registry-key',
    'lib/machine-env-matrix.nix:13 unknown-registry-key',
  ]);
});

test('evaluated registry entries keep every literal field (domain and kind included)', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    // a helper builds the entries, so only evaluation knows `generator`; `domain`/`kind` are written out
    'lib/secret-registry.nix': `let mk = g: { generator = g; envVar = "X"; }; in {\n  gmail = mk "mail" // { domain = "mail"; kind = "app-password"; };\n  plain = { generator = "plain"; domain = "misc"; kind = "token"; };\n}\n`,
    'lib/machine-env-matrix.nix': '{ lea = [ "gmail" "plain" ]; }\n',
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const clan = index.clan(root);
  assert.ok(clan.evaluation?.registry, 'the registry was evaluated');
  const entries = Object.fromEntries(clan.registry!.facts.entries.map((e) => [e.key, [e.generator?.name, e.domain, e.kind]]));
  assert.deepEqual(entries, { gmail: ['mail', 'mail', 'app-password'], plain: ['plain', 'misc', 'token'] });
});

test('the evaluated matrix merged with the literal one: the literal key where the evaluation found it as written, the evaluated one where it differs, literal keys it did not reach after them', () => {
  const at = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 8 } });
  const literal: MatrixFacts = {
    machines: ['m0', 'm1'],
    keys: [
      { key: 'k1', range: at(1), machines: ['m0'] },
      { key: 'k2', range: at(2), machines: ['m0'] },
      { key: 'k3', range: at(3), machines: ['m1'] },
      { key: 'k4', range: at(4), machines: [] },
    ],
    understood: true,
  };
  const evaluated: MatrixFacts = {
    machines: ['m0', 'm1'],
    keys: [
      { key: 'k1', range: at(1), machines: ['m0'] },
      // reached by another machine too (through something the literal reading does not follow), and computed
      { key: 'k2', range: at(2), machines: ['m0', 'm1'] },
      { key: 'k3-x', range: at(3), machines: ['m1'] },
    ],
    understood: true,
  };
  const merged = mergeMatrix(literal, evaluated)!;
  assert.deepEqual(
    merged.keys.map((k) => k === literal.keys.find((l) => l === k) ? `literal ${k.key}` : `evaluated ${k.key}`),
    ['literal k1', 'evaluated k2', 'evaluated k3-x', 'literal k4'],
  );
  assert.equal(merged.machines, literal.machines, 'the same machines: the literal list');
});
