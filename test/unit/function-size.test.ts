// House style: no function over 150 lines. A long function hides its parts; a newcomer cannot change
// one without reading all of them. This test walks the project's sources with the TypeScript
// compiler and names every function-like node with a body (declarations, methods, accessors,
// constructors, function expressions, arrow functions) whose text, first line to last, spans more
// than MAX_LINES lines.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from '../helpers/tempClan';

const MAX_LINES = 150;
const SOURCE_FOLDERS = ['server/src', 'client/src', 'webview/src'];

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(full));
    else if (entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

function functionName(node: ts.Node, file: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(file);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(file);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(file);
  if (parent && ts.isPropertyDeclaration(parent)) return parent.name.getText(file);
  return '(anonymous)';
}

/** "<file>:<line> <name>, <n> lines" for each function-like node with a body longer than `max` lines. */
export function longFunctions(fileName: string, text: string, max: number): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > max) found.push(`${fileName}:${first + 1} ${functionName(node, file)}, ${lines} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test('the measure names a function over the limit, and passes one at the limit', () => {
  const body = (n: number) => Array.from({ length: n - 2 }, (_, i) => `  const x${i} = ${i};`).join('\n');
  const source = `export function long() {\n${body(MAX_LINES + 1)}\n}\nclass C {\n  short() {\n${body(MAX_LINES)}\n  }\n  method() {\n${body(MAX_LINES + 1)}\n  }\n}\nconst arrow = () => {\n${body(MAX_LINES + 1)}\n};\n`;
  assert.deepEqual(
    longFunctions('x.ts', source, MAX_LINES).map((line) => line.replace(/:\d+/, '')),
    [`x.ts long, ${MAX_LINES + 1} lines`, `x.ts method, ${MAX_LINES + 1} lines`, `x.ts arrow, ${MAX_LINES + 1} lines`],
  );
});

test(`no function in ${SOURCE_FOLDERS.join(', ')} is over ${MAX_LINES} lines`, () => {
  const found: string[] = [];
  for (const folder of SOURCE_FOLDERS) {
    for (const file of sourceFiles(path.join(REPO_ROOT, folder))) {
      found.push(...longFunctions(path.relative(REPO_ROOT, file), fs.readFileSync(file, 'utf8'), MAX_LINES));
    }
  }
  assert.deepEqual(found, [], `split these into named parts (a class with methods, or functions taking a small context):\n${found.join('\n')}`);
});
