// Architecture rules, beside raw-reads.test.ts: the floors of ../shared/DESIGN.md. A folder of
// server/src imports only from folders on floors below it (or its own), so the analysis core never
// depends on what renders it, and the core (every floor under lsp and cli) imports neither VS Code
// nor the language server library.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/tempClan';

const SRC = path.join(REPO_ROOT, 'server', 'src');

/** Folder of server/src -> its floor, bottom first. */
const FLOORS: Record<string, number> = {
  base: 0, // positions, plain types, guarded file reads, escaping
  syntax: 1, // tree-sitter, Nix syntax helpers
  secrets: 1, // the secret stores' formats (age, sops, password-store)
  facts: 2, // per-file facts, literal or evaluated
  inputs: 3, // what is read from disk and flake inputs (scans, caches, vars on disk, knowledge of inputs)
  model: 4, // machines, modules, clan models, generator views
  rules: 5,
  ide: 6, // hover, completion, graph, vars status, migration: functions of the model
  lsp: 7,
  cli: 7,
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** Every module a file imports or re-exports (`import type` too: a type is a dependency of the design). */
export function importsOf(text: string): string[] {
  return [...text.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g), ...text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

test('each folder of server/src imports only from floors below it or its own', () => {
  const wrong: string[] = [];
  const folders = new Set<string>();
  for (const file of sources(SRC)) {
    const folder = path.relative(SRC, file).split(path.sep)[0]!;
    folders.add(folder);
    const floor = FLOORS[folder];
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep)[0]!;
      if (target === folder || target.startsWith('..')) continue;
      const below = FLOORS[target];
      if (floor === undefined || below === undefined || below >= floor) wrong.push(`${path.relative(REPO_ROOT, file)} (${folder}, floor ${floor}) imports ${spec} (${target}, floor ${below})`);
    }
  }
  assert.deepEqual([...folders].filter((f) => !(f in FLOORS) && !f.endsWith('.ts')), [], 'a folder of server/src without a floor: give it one here and in ../shared/DESIGN.md');
  assert.deepEqual(wrong, []);
});

test('the analysis core imports neither vscode nor vscode-languageserver', () => {
  const wrong: string[] = [];
  for (const file of sources(SRC)) {
    const folder = path.relative(SRC, file).split(path.sep)[0]!;
    if ((FLOORS[folder] ?? 99) >= FLOORS.lsp!) continue;
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) if (/^vscode($|-languageserver)/.test(spec)) wrong.push(`${path.relative(REPO_ROOT, file)} imports ${spec}`);
  }
  assert.deepEqual(wrong, []);
});

test('the import reader sees every form of import (it would pass on anything otherwise)', () => {
  const text = `import a from './a';\nimport type { B } from "../b";\nimport './c';\nexport { d } from './d';\nexport * from './e';\nconst f = require('./f');\nconst g = await import('./g');\nimport {\n  h,\n  type H,\n} from './h';`;
  assert.deepEqual(importsOf(text).sort(), ['../b', './a', './c', './d', './e', './f', './g', './h']);
});
