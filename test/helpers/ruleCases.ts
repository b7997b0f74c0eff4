// Runs data-driven rule cases: a small clan tree and the exact `file:line code` list expected.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { AnalysisSettings } from '../../server/src/workspace/settings';
import { analyze, brief } from './analyze';
import { removeTree, writeTree } from './tempClan';

export interface RuleCase {
  name: string;
  files: Record<string, string>;
  /** `file:line code`, for the codes in `only` (or every code when `only` is not given). */
  expect: string[];
  messages?: RegExp[];
  /** The severities of the compared findings, in `expect`'s order (sorted by file and line). */
  severities?: string[];
  /** Only these codes are compared. */
  only?: string[];
  settings?: Partial<AnalysisSettings>;
}

export function runRuleCases(area: string, cases: RuleCase[]): void {
  const roots: string[] = [];
  after(() => roots.forEach(removeTree));
  for (const c of cases) {
    test(`${area}: ${c.name}`, async () => {
      const root = writeTree(c.files);
      roots.push(root);
      const { found } = await analyze(root, c.settings);
      const shown = c.only ? found.filter((f) => c.only!.includes(f.code)) : found;
      assert.deepEqual(brief(shown), c.expect.slice().sort(), JSON.stringify(found, null, 1));
      if (c.severities) assert.deepEqual(sortedSeverities(shown), c.severities);
      for (const re of c.messages ?? []) assert.ok(shown.some((f) => re.test(f.message)), `no message matches ${re}: ${shown.map((f) => f.message).join('\n')}`);
    });
  }
}

/** A module declaring one generator with the given body (Nix source). */
export function generatorModule(name: string, body: string): string {
  return `{ pkgs, ... }:\n{\n  clan.core.vars.generators.${name} = {\n${body}\n  };\n}\n`;
}

function sortedSeverities(found: { file: string; line: number; severity?: string }[]): (string | undefined)[] {
  return found.slice().sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line).map((f) => f.severity);
}
