// duplicate-registry-generator and duplicate-env-var as a clan user meets them: on the later entry,
// as errors, pointing back at the earlier entry, with clan's reason; and the editor re-checks them
// when the registry file changes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { openFolder } from '../../server/src/cli/folder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem, Range } from '../../server/src/base/types';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const CODES = new Set(['duplicate-registry-generator', 'duplicate-env-var']);
const REGISTRY_FILE = 'lib/secret-registry.nix';

// an entry with no generator (it only exports a variable) comes first: it names no generator twice
const REGISTRY = `{ pkgs ? null }:
let
  mk = { generator, envVar ? null, ... }: { inherit generator envVar; };
in
{
  plain = { envVar = "PLAIN_TOKEN"; };
  openrouter = mk { generator = "openrouter-api-key"; envVar = "OPENROUTER_API_KEY"; };
  gmail = mk { generator = "gmail-app-password"; envVar = "OPENROUTER_API_KEY"; };
  gmail2 = mk { generator = "gmail-app-password"; };
}
`;

function clan(registry = REGISTRY): string {
  const root = writeTree({ 'flake.nix': '{ }\n', [REGISTRY_FILE]: registry });
  roots.push(root);
  return root;
}

/** The text a range covers in the registry. */
function covers(range: Range, text = REGISTRY): string {
  const line = text.split('\n')[range.start.line];
  return `${range.start.line + 1}:${line.slice(range.start.character, range.end.character)}`;
}

async function duplicates(root: string): Promise<Problem[]> {
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return report.problems.filter((p) => CODES.has(p.code)).sort((a, b) => a.code.localeCompare(b.code));
}

test('registry duplicates: each on the later entry, an error pointing at the earlier one, with why it matters', async () => {
  const root = clan();
  const found = await duplicates(root);
  const registry = path.join(root, REGISTRY_FILE);
  assert.deepEqual(
    found.map((p) => ({ code: p.code, file: p.file, at: covers(p.range), severity: p.severity, message: p.message, explanation: p.explanation, related: p.related?.map((r) => ({ file: r.location.file, at: covers(r.location.range), message: r.message })) })),
    [
      {
        code: 'duplicate-env-var',
        file: registry,
        at: '8:gmail',
        severity: 'error',
        message: "Registry entries 'openrouter' and 'gmail' both export OPENROUTER_API_KEY: give each entry its own envVar.",
        explanation: 'On a machine selecting both, one value silently replaces the other in the session environment.',
        related: [{ file: registry, at: '7:openrouter', message: "'openrouter' exports OPENROUTER_API_KEY too" }],
      },
      {
        code: 'duplicate-registry-generator',
        file: registry,
        at: '9:"gmail-app-password"',
        severity: 'error',
        message: "Registry entries 'gmail' and 'gmail2' both name generator 'gmail-app-password': give each entry its own generator name.",
        explanation: 'The generators are keyed by name, so one entry silently replaces the other and a machine selecting both gets only one set of files.',
        related: [{ file: registry, at: '8:"gmail-app-password"', message: "'gmail' names 'gmail-app-password' too" }],
      },
    ],
  );
});

test('registry duplicates: the editor re-checks them when the registry changes', async () => {
  const root = clan();
  const index = await openFolder(root, DEFAULT_SETTINGS, () => {});
  const codes = () => [...index.allProblems().values()].flat().filter((p) => CODES.has(p.code)).map((p) => `${p.range.start.line + 1} ${p.code}`).sort();
  assert.deepEqual(codes(), ['8 duplicate-env-var', '9 duplicate-registry-generator']);
  const renamed = REGISTRY.replace('gmail2 = mk { generator = "gmail-app-password"; }', 'gmail2 = mk { generator = "gmail-2"; }');
  const registry = path.join(root, REGISTRY_FILE);
  fs.writeFileSync(registry, renamed);
  index.updateFromText(registry, renamed);
  assert.deepEqual(codes(), ['8 duplicate-env-var']);
  const fixed = renamed.replace('generator = "gmail-app-password"; envVar = "OPENROUTER_API_KEY"', 'generator = "gmail-app-password"; envVar = "GMAIL"');
  fs.writeFileSync(registry, fixed);
  index.updateFromText(registry, fixed);
  assert.deepEqual(codes(), []);
});
