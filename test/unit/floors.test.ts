// Architecture rules, beside raw-reads.test.ts: the floors of ../shared/DESIGN.md. A folder of
// server/src imports only from folders on floors below it (or its own), so the analysis core never
// depends on what renders it, and the core (every floor under lsp and cli) imports neither VS Code
// nor the language server library.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';
import { REPO_ROOT } from '../helpers/tempClan';

const SRC = path.join(REPO_ROOT, 'server', 'src');

/** Folder of server/src -> its floor, bottom first. */
const FLOORS: Record<string, number> = {
  base: 0, // positions, plain types, guarded file reads, escaping; I/O that knows no facts (discovery, cache files, flake.lock, PATH, git config, settings)
  syntax: 1, // tree-sitter, Nix syntax helpers
  secrets: 1, // the secret stores' formats (age, sops, password-store)
  facts: 2, // per-file facts, literal or evaluated
  model: 3, // the scan (model/scan/), knowledge of inputs (model/inputs/), vars on disk; machines, modules, clan models, generator views
  rules: 4,
  ide: 5, // hover, completion, graph, vars status, migration: functions of the model
  actions: 5, // what the client (and the checker) run: fetching flake inputs with nix and its plan, revealing a secret
  lsp: 6,
  cli: 6,
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** Every module a file imports or re-exports (`import type` too: a type is a dependency of the design). */
export function importsOf(text: string): string[] {
  return [...text.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g), ...text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

/** The imports of `file` (a path relative to server/src) that name a folder on its floor or above (another folder than its own). */
export function floorViolations(file: string, text: string, floors: Record<string, number> = FLOORS): string[] {
  const folder = file.split('/')[0]!;
  const floor = floors[folder];
  const wrong: string[] = [];
  for (const spec of importsOf(text)) {
    if (!spec.startsWith('.')) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).split('/')[0]!;
    if (target === folder || target.startsWith('..')) continue;
    const below = floors[target];
    if (floor === undefined || below === undefined || below >= floor) wrong.push(`server/src/${file} (${folder}, floor ${floor}) imports ${spec} (${target}, floor ${below})`);
  }
  return wrong;
}

test('each folder of server/src imports only from floors below it or its own', () => {
  const wrong: string[] = [];
  const folders = new Set<string>();
  for (const file of sources(SRC)) {
    const rel = path.relative(SRC, file).split(path.sep).join('/');
    folders.add(rel.split('/')[0]!);
    wrong.push(...floorViolations(rel, fs.readFileSync(file, 'utf8')));
  }
  assert.deepEqual([...folders].filter((f) => !(f in FLOORS) && !f.endsWith('.ts')), [], 'a folder of server/src without a floor: give it one here and in ../shared/DESIGN.md');
  assert.deepEqual(wrong, []);
});

test('the floor check fails when a lower floor imports a higher one (or one of its own floor)', () => {
  assert.equal(floorViolations('base/x.ts', "import { y } from '../model/scan/y';").length, 1);
  assert.equal(floorViolations('model/inputs/x.ts', "import type { Y } from '../../actions/y';").length, 1);
  assert.equal(floorViolations('actions/x.ts', "import { y } from '../ide/y';").length, 1, 'two folders on one floor');
  assert.equal(floorViolations('facts/x.ts', "const y = require('../nowhere/y');").length, 1, 'a folder without a floor');
  assert.deepEqual(floorViolations('model/scan/x.ts', "import { y } from '../inputs/y';\nimport { z } from '../../base/z';\nimport * as fs from 'node:fs';"), []);
  assert.deepEqual(floorViolations('actions/x.ts', "import { y } from '../model/varsOnDisk';"), []);
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

/** Functions (declarations, methods, arrows, expressions) of `text` longer than `max` lines: `name (file:line, N lines)`. */
export function longFunctions(file: string, text: string, max: number): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) {
      const first = src.getLineAndCharacterOfPosition(n.getStart(src)).line;
      const lines = src.getLineAndCharacterOfPosition(n.end).line - first + 1;
      const named = (n as ts.FunctionLikeDeclaration).name ?? (ts.isVariableDeclaration(n.parent) || ts.isPropertyAssignment(n.parent) ? n.parent.name : undefined);
      if (lines > max) out.push(`${named ? named.getText(src) : '<anonymous>'} (${file}:${first + 1}, ${lines} lines)`);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

test('no function of the server, the client or the webview is over 150 lines', () => {
  const long: string[] = [];
  for (const dir of ['server/src', 'client/src', 'webview']) {
    const abs = path.join(REPO_ROOT, dir);
    if (!fs.existsSync(abs)) continue;
    for (const file of sources(abs)) long.push(...longFunctions(path.relative(REPO_ROOT, file), fs.readFileSync(file, 'utf8'), 150));
  }
  assert.deepEqual(long, [], 'split these into functions of their own');
});

test('the length check counts a function from its first line to its last, nested ones too', () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  const x${i} = ${i};`).join('\n');
  assert.deepEqual(longFunctions('a.ts', `function f() {\n${body(149)}\n}\n`, 150), ['f (a.ts:1, 151 lines)']);
  assert.deepEqual(longFunctions('a.ts', `function f() {\n${body(148)}\n}\n`, 150), []);
  assert.deepEqual(longFunctions('a.ts', `class C {\n  m() {\n    const g = () => {\n${body(10)}\n    };\n  }\n}\n`, 5), ['m (a.ts:2, 14 lines)', 'g (a.ts:3, 12 lines)']);
});
