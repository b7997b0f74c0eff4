// Runs data-driven rule cases: a small clan tree and the exact `file:line code` list expected.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { AnalysisSettings } from '../../server/src/base/settings';
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

/**
 * How a generator written by generatorModule may also be spelled: as a set the syntax cannot list
 * and only evaluation computes, or as a submodule function. The body keeps its lines, so a case
 * expects the same findings.
 */
export const SPELLINGS: Record<string, (name: string, body: string) => string> = {
  'lib.genAttrs': (name, body) => `{ pkgs, lib, ... }:\n{\n  clan.core.vars.generators = lib.genAttrs [ "${name}" ] (_: {\n${body}\n  });\n}\n`,
  'submodule function': (name, body) => `{ pkgs, ... }:\n{\n  clan.core.vars.generators.${name} = { lib, config, ... }: { options.extra = lib.mkOption { default = 1; }; config = {\n${body}\n  }; };\n}\n`,
  'inherit from let': (name, body) => `{ pkgs, ... }:\nlet\n  ${name} = {\n${body}\n  };\nin\n{\n  clan.core.vars.generators = { inherit ${name}; };\n}\n`,
};

const GENERATOR_MODULE = /^\{ pkgs, \.\.\. \}:\n\{\n  clan\.core\.vars\.generators\.([A-Za-z_][\w'-]*) = \{\n([\s\S]*)\n  \};\n\}\n$/;

/** The case's files with every generatorModule respelled; null when it has none. */
function respelled(files: Record<string, string>, spell: (name: string, body: string) => string): Record<string, string> | null {
  let any = false;
  const out: Record<string, string> = {};
  for (const [f, text] of Object.entries(files)) {
    const m = GENERATOR_MODULE.exec(text);
    out[f] = m ? spell(m[1], m[2]) : text;
    any ||= !!m;
  }
  return any ? out : null;
}

/**
 * Each case as written, and with `spellings` also with its generators spelled as evaluated sets
 * (SPELLINGS): a rule concludes the same on a generator evaluation computed as on a literal one.
 * A case with `literalOnly` (the reason) runs as written only.
 */
export function runRuleCases(area: string, cases: (RuleCase & { literalOnly?: string })[], options: { spellings?: boolean } = {}): void {
  const roots: string[] = [];
  after(() => roots.forEach(removeTree));
  for (const c of cases) {
    run(c.name, c.files, c);
    if (!options.spellings || c.literalOnly) continue;
    for (const [spelling, spell] of Object.entries(SPELLINGS)) {
      const files = respelled(c.files, spell);
      if (files) run(`${c.name} [${spelling}]`, files, c);
    }
  }

  function run(name: string, files: Record<string, string>, c: RuleCase): void {
    test(`${area}: ${name}`, async () => {
      const root = writeTree(files);
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

/** A module of one generator, body given line by line at four spaces. */
export const generatorLines = (name: string, body: string[]): string => generatorModule(name, body.map((l) => `    ${l}`).join('\n'));

/** A script binding over lines (a Nix indented string), for generatorLines' body. */
export const scriptLines = (lines: string[]): string[] => ["script = ''", ...lines.map((l) => `  ${l}`), "'';"];

/** A range on one line. */
export const lineRange = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });

function sortedSeverities(found: { file: string; line: number; severity?: string }[]): (string | undefined)[] {
  return found.slice().sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line).map((f) => f.severity);
}
