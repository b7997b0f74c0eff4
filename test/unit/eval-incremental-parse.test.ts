// The evaluator's inputs are parsed incrementally (eval/parseSource.ts parseKeepingSteps): after an
// edit, the AST must be the one a parse from scratch gives, and the subtrees the edit did not touch
// must be the same objects as before (what is cached per node stays valid).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { AstCache } from '../../server/src/facts/eval/context';
import type { SNode } from '../../server/src/facts/eval/ast';
import { parseKeepingSteps, parseSource } from '../../server/src/facts/eval/parseSource';
import { runSteps } from '../../server/src/facts/eval/runSteps';
import { NixParser } from '../../server/src/syntax/nixParser';
import { sharedDir } from '../helpers/secretsEnv';

let parser: NixParser;
before(async () => {
  parser = await NixParser.load();
});

/** The AST the cache holds for `file` after preparing `text`. */
function prepared(cache: AstCache, file: string, text: string): SNode {
  runSteps(cache.prepare(parser, file, text));
  return cache.get(parser, file, text);
}

/** The AST as text: every node's type, text, range and children, and its fields and lists as children's indices. */
function shape(node: SNode): string {
  const where = (c: SNode) => {
    const i = node.children.indexOf(c);
    return i >= 0 ? String(i) : `${c.type}:${c.text}:${JSON.stringify(c.range)}`;
  };
  const fields = Object.entries(node.fields).map(([k, c]) => `${k}=${c ? where(c) : '-'}`);
  const lists = Object.entries(node.lists).map(([k, cs]) => `${k}=[${(cs ?? []).map(where).join(',')}]`);
  const head = `${node.type}:${JSON.stringify(node.text)}:${JSON.stringify(node.range)}:${node.syntaxError ?? ''}:${fields.join(';')}:${lists.join(';')}`;
  return `(${head}${node.children.map(shape).join('')})`;
}

function registry(entries: number): string {
  const lines = ['{', '  lib,', '  secret ? true,', '}:', 'let', '  mk = name: { generator = name; };', 'in', '{'];
  for (let i = 0; i < entries; i++) lines.push(`  key-${i} = { generator = "gen-${i}"; envVar = "KEY_${i}"; files = { secret = { }; }; };`);
  lines.push('  helper = mk "h";', '}');
  return lines.join('\n') + '\n';
}

/** A small deterministic random source (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = ['x', '"', ' ', '\n', ';', '{', '}', 'a = 1; ', '# c\n', '${', "''", '.', '0'];

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const kind = next();
  if (kind < 0.45) return text.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + text.slice(at);
  if (kind < 0.8) return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 8));
  return text.slice(0, at) + String.fromCharCode(97 + Math.floor(next() * 26)) + text.slice(at + 1);
}

function nixFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) nixFiles(p, out);
    else if (e.name.endsWith('.nix')) out.push(p);
  }
  return out;
}

test('after each of a series of edits the incremental AST is the one a parse from scratch gives', () => {
  const corpus = nixFiles(path.join(sharedDir(), 'corpus')).sort();
  const files = [...corpus.filter((_, i) => i % Math.ceil(corpus.length / 30) === 0).map((f) => fs.readFileSync(f, 'utf8')), registry(60)];
  const next = random(7);
  let compared = 0;
  for (const original of files) {
    const cache = new AstCache();
    let text = original;
    prepared(cache, '/f.nix', text);
    for (let i = 0; i < 30; i++) {
      // sometimes back to a text parsed before, as undo does
      text = i % 10 === 9 ? original : mutate(text, next);
      const fresh = parseSource(parser, text);
      const incremental = prepared(cache, '/f.nix', text);
      // A text with a syntax error evaluates to unknown whatever its tree (eval/imports.ts), and
      // tree-sitter's error recovery may build another tree when a parse in slices is resumed.
      if (fresh.syntaxError) assert.equal(incremental.syntaxError, true, `edit ${i} of a ${original.length}-character file`);
      else {
        assert.equal(shape(incremental), shape(fresh), `edit ${i} of a ${original.length}-character file`);
        compared++;
      }
    }
    cache.clear();
  }
  assert.ok(compared >= 300, `${compared} edits without syntax errors compared`);
});

test('an edit inside one entry of a large set keeps the other entries as the same objects', () => {
  const cache = new AstCache();
  const text = registry(2000);
  const entries = (ast: SNode) => ast.children[0].fields.body!.children[1].children[0].children;
  const before = entries(prepared(cache, '/registry.nix', text));
  assert.equal(before.length, 2001);
  const at = text.indexOf('"gen-1000"') + 4;
  const edited = text.slice(0, at) + 'x' + text.slice(at + 1);
  const after = entries(prepared(cache, '/registry.nix', edited));
  const same = after.filter((b, i) => b === before[i]).length;
  // every binding but the edited one (line count unchanged: those after it keep their positions)
  assert.equal(same, 2000);
  assert.notEqual(after[1000], before[1000]);
  assert.equal(shape(after[1000]), shape(entries(parseSource(parser, edited))[1000]));
  // a new line moves the bindings after it: those are built again, those before it are kept
  const nl = edited.indexOf('  key-1500 =');
  const moved = entries(prepared(cache, '/registry.nix', edited.slice(0, nl) + '\n' + edited.slice(nl)));
  assert.equal(moved.filter((b, i) => b === after[i]).length, 1500);
  cache.clear();
});

test('the evaluator parses in slices between requests, and only the slices count against its budget', async () => {
  // 100 KB of registry-like Nix: 2 s of budget, parsed in slices of 5 ms; half a second of other
  // work (requests, a busy machine) after each slice used to be charged to the parse and ended it
  const entries = Array.from({ length: 1100 }, (_, i) => `  key-${i} = { env = "KEY_${i}"; description = "entry number ${i} of the registry"; };`);
  const text = `{\n${entries.join('\n')}\n}\n`;
  const parser = await NixParser.load();
  const steps = parseKeepingSteps(parser, text);
  let slices = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) {
      assert.equal(step.value.ast.syntaxError, undefined);
      step.value.tree?.delete();
      break;
    }
    // what the thread did for others in between, for the first slices (those of the parse)
    const until = performance.now() + (++slices <= 8 ? 500 : 0);
    while (performance.now() < until);
  }
  assert.ok(slices > 4, `the parse took ${slices} slices: enough for the time in between to pass its budget`);
});
