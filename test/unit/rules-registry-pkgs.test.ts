// registry-forces-pkgs and undefined-variable, as the user sees them: the whole finding (range,
// severity, message, explanation, fix) on small registry clans, and the finding kept up to date
// when an edit changes only what the rule reads (the registry, the imports, the evaluation).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { scannedClan } from '../helpers/ruleRuns';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

async function findings(files: Record<string, string>, code: string): Promise<{ root: string; problems: Problem[] }> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const problems = report.problems.filter((p) => p.code === code).map((p) => ({ ...p, file: path.relative(root, p.file), fixes: p.fixes?.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, file: path.relative(root, e.file) })) })) }));
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line);
  return { root, problems };
}

const REGISTRY = `{ pkgs ? null }:
{
  api = { generator = "api-key"; files.key = { }; };
}
`;
const GENERATORS = `{ keys, pkgs }: let registry = import ./secret-registry.nix { inherit pkgs; }; in { }\n`;

const PKGS_MESSAGE = 'This file reads the secret registry for metadata but passes it a real pkgs: pass pkgs = null.';
const PKGS_EXPLANATION =
  "The registry takes pkgs ? null so that pure consumers do not force a package set; with pkgs, clan's cross-architecture " +
  'introspection has to evaluate nixpkgs for the other system.';

const range = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });

test('registry-forces-pkgs: the whole finding on a pure consumer, with its fix to pkgs = null', async () => {
  const { problems } = await findings(
    {
      'lib/secret-registry.nix': REGISTRY,
      'lib/vars-generators.nix': GENERATORS,
      'lib/secrets.nix': `{ pkgs ? null }:\nlet registry = import ./secret-registry.nix { pkgs = pkgs; }; in { }\n`,
    },
    'registry-forces-pkgs',
  );
  const r = range(1, 46, 58);
  assert.deepEqual(
    problems.map((p) => ({ file: p.file, range: p.range, severity: p.severity, message: p.message, explanation: p.explanation, fixes: p.fixes })),
    [
      {
        file: 'lib/secrets.nix',
        range: r,
        severity: 'warning',
        message: PKGS_MESSAGE,
        explanation: PKGS_EXPLANATION,
        fixes: [{ title: 'Pass pkgs = null', edits: [{ file: 'lib/secrets.nix', range: r, newText: 'pkgs = null;' }], safe: false }],
      },
    ],
  );
});

test('registry-forces-pkgs: a file next to the registry is a pure consumer even without pkgs ? null; one elsewhere is not', async () => {
  const { problems } = await findings(
    {
      'lib/secret-registry.nix': REGISTRY,
      'lib/vars-generators.nix': GENERATORS,
      // next to the registry, takes a plain pkgs: still only reads metadata
      'lib/session-vars-spec.nix': `{ pkgs, ... }:\nlet registry = import ./secret-registry.nix { inherit pkgs; }; in { }\n`,
      // a machine module elsewhere with a real pkgs: may need the registry's packages
      'machines/lea/default.nix': `{ pkgs, ... }:\nlet registry = import ../../lib/secret-registry.nix { inherit pkgs; }; in { }\n`,
    },
    'registry-forces-pkgs',
  );
  assert.deepEqual(
    problems.map((p) => `${p.file}:${p.range.start.line}:${p.range.start.character}-${p.range.end.character}`),
    ['lib/session-vars-spec.nix:1:46-59'],
  );
});

test('registry-forces-pkgs: only imports of the registry that pass a real pkgs', async () => {
  const { problems } = await findings(
    {
      'lib/secret-registry.nix': REGISTRY,
      'lib/vars-generators.nix': GENERATORS,
      'lib/other.nix': `{ pkgs ? null }: { }\n`,
      // another file next to the registry, given pkgs: not the registry
      'lib/secrets.nix': `{ pkgs ? null }:\nlet o = import ./other.nix { inherit pkgs; }; registry = import ./secret-registry.nix { pkgs = null; }; in { }\n`,
      // the registry without pkgs, or with pkgs = null
      'lib/spec.nix': `{ pkgs ? null }:\nlet registry = import ./secret-registry.nix { }; in { }\n`,
    },
    'registry-forces-pkgs',
  );
  assert.deepEqual(problems, []);
});

test('registry-forces-pkgs: a clan without a registry has no finding, whatever imports pass pkgs, and the rule does not fail', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secrets.nix': `{ pkgs ? null }:\nlet o = import ./other.nix { inherit pkgs; }; in { }\n`,
    'lib/other.nix': `{ pkgs ? null }: { }\n`,
  });
  roots.push(root);
  const log: string[] = [];
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, (l) => log.push(l));
  assert.deepEqual(report.problems.filter((p) => p.code === 'registry-forces-pkgs' || p.code === 'internal-error'), []);
  // a rule that throws is logged (the output channel, the checker's log) and its findings lost
  assert.deepEqual(log.filter((l) => /^rule \S+ failed/.test(l)), []);
});

test('registry-forces-pkgs: follows edits of the import and of the registry', async () => {
  const { root, index } = await scannedClan({
    'lib/vars-generators.nix': GENERATORS,
    'lib/secrets.nix': `{ pkgs ? null }:\nlet registry = import ./secret-registry.nix { pkgs = null; }; in { }\n`,
  });
  const codes = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'registry-forces-pkgs').map((p) => path.relative(root, p.file));
  assert.deepEqual(codes(), []);
  // the import now passes pkgs, but there is no registry yet
  index.updateFromText(path.join(root, 'lib/secrets.nix'), `{ pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; }; in { }\n`);
  assert.deepEqual(codes(), []);
  // the registry appears: only the registry changed
  index.updateFromText(path.join(root, 'lib/secret-registry.nix'), REGISTRY);
  assert.deepEqual(codes(), ['lib/secrets.nix']);
  // the import gives pkgs = null again: only the imports changed
  index.updateFromText(path.join(root, 'lib/secrets.nix'), `{ pkgs ? null }:\nlet registry = import ./secret-registry.nix { pkgs = null; }; in { }\n`);
  assert.deepEqual(codes(), []);
});

const UV_GENERATORS = `{ keys, pkgs ? null }:
let registry = import ./secret-registry.nix { inherit pkgs; };
in builtins.listToAttrs (map (key: { name = registry.\${key}.generator; value = { inherit (registry.\${key}) files; }; }) keys)
`;
const uvRegistry = (entries: string) => `{ pkgs ? null }:
let
  mkPromptedSecret = { generator, secret ? true }: { inherit generator secret; files.key = { inherit secret; }; };
in
{
${entries}
}
`;
const uvClan = (registry: string) => ({
  'lib/machine-env-matrix.nix': '{\n  lea = [ "api" ];\n}\n',
  'lib/vars-generators.nix': UV_GENERATORS,
  'lib/secret-registry.nix': registry,
});

test('undefined-variable: the whole finding, an error with the closest name as its fix', async () => {
  const { problems } = await findings(uvClan(uvRegistry('  api = mkPromptedSecret { generator = "api-key"; };\n  mail = mkPromtedSecret { generator = "mail"; };')), 'undefined-variable');
  const r = range(6, 9, 24);
  assert.deepEqual(
    problems.map((p) => ({ file: p.file, range: p.range, severity: p.severity, message: p.message, fixes: p.fixes })),
    [
      {
        file: 'lib/secret-registry.nix',
        range: r,
        severity: 'error',
        message:
          `'mkPromtedSecret' is not defined here. Nix rejects the whole file with "undefined variable 'mkPromtedSecret'" ` +
          `as soon as it reads it, so clan vars and clan machines update stop. Did you mean 'mkPromptedSecret'?`,
        fixes: [{ title: "Change to 'mkPromptedSecret'", edits: [{ file: 'lib/secret-registry.nix', range: r, newText: 'mkPromptedSecret' }], safe: false }],
      },
    ],
  );
});

test('undefined-variable: no name in scope close to it, no fix', async () => {
  const { problems } = await findings(uvClan(uvRegistry('  api = mkPromptedSecret { generator = "api-key"; };\n  mail = zzqqxw;')), 'undefined-variable');
  assert.deepEqual(
    problems.map((p) => ({ file: p.file, line: p.range.start.line, message: p.message, fixes: p.fixes })),
    [
      {
        file: 'lib/secret-registry.nix',
        line: 6,
        message: `'zzqqxw' is not defined here. Nix rejects the whole file with "undefined variable 'zzqqxw'" as soon as it reads it, so clan vars and clan machines update stop.`,
        fixes: [],
      },
    ],
  );
});

test('undefined-variable: follows an edit of the registry that only its evaluation sees', async () => {
  const { root, index } = await scannedClan(uvClan(uvRegistry('  api = mkPromptedSecret { generator = "api-key"; };')));
  const found = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'undefined-variable').map((p) => `${path.relative(root, p.file)}:${p.range.start.line}`);
  assert.deepEqual(found(), []);
  index.updateFromText(path.join(root, 'lib/secret-registry.nix'), uvRegistry('  api = mkPromptedSecret { generator = "api-key"; };\n  mail = mkPromtedSecret { generator = "mail"; };'));
  assert.deepEqual(found(), ['lib/secret-registry.nix:6']);
  index.updateFromText(path.join(root, 'lib/secret-registry.nix'), uvRegistry('  api = mkPromptedSecret { generator = "api-key"; };'));
  assert.deepEqual(found(), []);
});
