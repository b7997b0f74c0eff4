// The open document and the evaluator share their trees of a file (syntax/sharedTrees.ts): the one
// that parses afresh starts from a copy of the other's tree of the same text (the same nodes: a node's
// id is its address in wasm memory), and each stays the parse of its own text however the
// other is edited, parsed again or deleted.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { AstCache } from '../../server/src/facts/eval/context';
import type { SNode } from '../../server/src/facts/eval/ast';
import { parseSource } from '../../server/src/facts/eval/parseSource';
import { runSteps } from '../../server/src/facts/eval/runSteps';
import { OpenDocuments, type OpenDocument } from '../../server/src/lsp/documents';
import { LineIndex } from '../../server/src/base/lineIndex';
import { NixParser, type Tree } from '../../server/src/syntax/nixParser';
import { sharedTrees } from '../../server/src/syntax/sharedTrees';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { extractFile } from '../../server/src/facts/file';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { REGISTRY_PIPELINE, removeTree, writeTree } from '../helpers/tempClan';
import { analyze } from '../helpers/analyze';

let parser: NixParser;
before(async () => {
  parser = await NixParser.load();
});

const FILE = '/clan/lib/secret-registry.nix';
const URI = 'file:///clan/lib/secret-registry.nix';

/** A registry as nixfmt writes it: a trailing comma in the formals, which the grammar rejects (a parse blanks it). */
function registry(entries: number): string {
  const lines = ['{ lib, ... }:', 'let', '  mk =', '    {', '      generator,', '      files ? { },', '    }:', '    { inherit generator files; };', 'in', '{'];
  for (let i = 0; i < entries; i++) lines.push(`  key-${i} = mk { generator = "gen-${i}"; files = { secret = { }; }; };`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

function prepared(cache: AstCache, text: string): SNode {
  runSteps(cache.prepare(parser, FILE, text));
  return cache.get(parser, FILE, text);
}

/** Every node's type, text and range, in order. */
function shape(node: SNode): string {
  return `(${node.type}:${JSON.stringify(node.text)}:${JSON.stringify(node.range)}${node.children.map(shape).join('')})`;
}

/** The address of the top node (the root's first child) of the tree some other owner than `except` put for the file's `text` (the test's copy deleted). */
function sharedRoot(text: string, except?: object): number | undefined {
  const copy = sharedTrees.copyOf(FILE, text, except);
  if (!copy) return undefined;
  const id = top(copy);
  copy.delete();
  return id;
}

/** The address of the root's first child: a copy of a tree shares it, a parse has its own (the root's id is the tree's). */
function top(tree: Tree | null | undefined): number | undefined {
  return tree?.rootNode.firstChild?.id;
}

function replace(docs: OpenDocuments, doc: OpenDocument, start: number, end: number, text: string): void {
  const lines = LineIndex.of(doc.text);
  docs.change(doc.uri, doc.version + 1, [{ range: { start: lines.positionAt(start), end: lines.positionAt(end) }, text }]);
}

test("a document opened on the text the evaluator holds starts from the evaluator's tree, not a parse", () => {
  const text = registry(200);
  const cache = new AstCache();
  const docs = new OpenDocuments(() => parser);
  try {
    prepared(cache, text);
    const evaluators = sharedRoot(text);
    assert.notEqual(evaluators, undefined, "the evaluator's tree is on the shelf");
    const fresh = parser.parse(text);
    assert.notEqual(top(fresh), evaluators, 'a parse of the same text has nodes of its own');
    fresh.delete();
    const doc = docs.open(URI, FILE, 1, text);
    assert.equal(top(doc.tree), evaluators, "the document's tree is a copy of the evaluator's");
    // another text: no copy
    const other = docs.open('file:///clan/other.nix', '/clan/other.nix', 1, text);
    assert.notEqual(top(other.tree), evaluators, 'a tree of another file is not taken');
  } finally {
    docs.close(URI);
    docs.close('file:///clan/other.nix');
    cache.clear();
  }
});

test("the evaluator's parse afresh starts from the open document's tree of the same text", () => {
  const text = registry(120);
  const cache = new AstCache();
  const docs = new OpenDocuments(() => parser);
  try {
    const doc = docs.open(URI, FILE, 1, text);
    const documents = top(doc.tree);
    const ast = prepared(cache, text);
    assert.equal(sharedRoot(text, doc), documents, "the evaluator's tree is a copy of the document's");
    assert.equal(shape(ast), shape(parseSource(parser, text)), 'and its AST is the one a parse gives');
    // the next text, which the document does not have, is parsed from that tree
    const changed = text.replace('gen-7"', 'gen-77"');
    assert.equal(shape(prepared(cache, changed)), shape(parseSource(parser, changed)));
    // an incremental parse keeps the blanked comma: its tree is offered only where none was blanked
    assert.equal(sharedTrees.copyOf(FILE, changed, doc), null);
    const plain = registry(120).replace('      files ? { },\n    }:', '      files ? { }\n    }:');
    prepared(cache, plain);
    const next = plain.replace('gen-7"', 'gen-77"');
    prepared(cache, next);
    assert.notEqual(sharedRoot(next, doc), undefined);
  } finally {
    docs.close(URI);
    cache.clear();
  }
});

test('a tree edited and not parsed again is not offered, nor one with a syntax error', () => {
  const text = registry(20);
  const docs = new OpenDocuments(() => parser);
  try {
    const doc = docs.open(URI, FILE, 1, text);
    assert.ok(doc.tree);
    assert.notEqual(sharedRoot(text), undefined);
    replace(docs, doc, text.indexOf('gen-3"'), text.indexOf('gen-3"') + 5, 'gen-33');
    assert.equal(sharedRoot(text), undefined, 'the edited tree is no tree of the old text');
    assert.equal(sharedRoot(doc.text), undefined, 'nor yet of the new one');
    assert.ok(doc.tree);
    assert.notEqual(sharedRoot(doc.text), undefined, 'parsed again, it is offered');
    docs.close(URI);
    assert.equal(sharedRoot(doc.text), undefined, 'the tree of a closed document is not');
    const broken = docs.open(URI, FILE, 2, text.slice(1));
    assert.equal(broken.tree?.rootNode.hasError, true);
    assert.equal(sharedRoot(broken.text), undefined, 'nor one with a syntax error');
  } finally {
    docs.close(URI);
  }
});

test('sharing, each goes on as the parse of its own text through edits, evaluations and the other deleted', () => {
  const start = registry(80);
  const cache = new AstCache();
  const docs = new OpenDocuments(() => parser);
  let next = 11;
  const rand = (n: number) => ((next = (next * 1103515245 + 12345) % 2147483648), next % n);
  try {
    prepared(cache, start);
    let doc = docs.open(URI, FILE, 1, start);
    assert.equal(top(doc.tree), sharedRoot(start, doc));
    let evaluated = start;
    for (let step = 0; step < 60; step++) {
      // a keystroke: a character of a generator name typed or deleted
      const names = [...doc.text.matchAll(/gen-\d+/g)];
      const at = names[rand(names.length)].index! + 4;
      if (rand(2)) replace(docs, doc, at, at, String(rand(10)));
      else replace(docs, doc, at, at + 1, '');
      const fresh = parser.parse(doc.text);
      assert.equal(doc.tree?.rootNode.toString(), fresh.rootNode.toString(), `step ${step}: the document's tree`);
      fresh.delete();
      if (step % 7 === 3) {
        // a pause: the evaluator parses the document's text, from its own tree
        evaluated = doc.text;
        assert.equal(shape(prepared(cache, evaluated)), shape(parseSource(parser, evaluated)), `step ${step}: the evaluator's AST`);
      }
      if (step === 30) {
        // the document closed and opened again: its tree starts from the evaluator's if the texts are the same
        const text = doc.text;
        docs.close(URI);
        doc = docs.open(URI, FILE, doc.version + 1, text);
        assert.equal(doc.tree?.rootNode.toString(), parser.parse(text).rootNode.toString());
      }
    }
    // the evaluator's cache cleared: the document's tree is still whole
    assert.notEqual(sharedRoot(evaluated, doc), undefined);
    cache.clear();
    assert.equal(sharedTrees.copyOf(FILE, evaluated, doc), null, "the cleared cache's tree is not offered");
    replace(docs, doc, 2, 2, ' ');
    assert.equal(doc.tree?.rootNode.toString(), parser.parse(doc.text).rootNode.toString());
    // the document closed: the evaluator starts from a parse, and its tree is whole
    const last = doc.text;
    docs.close(URI);
    assert.equal(shape(prepared(cache, last)), shape(parseSource(parser, last)));
    assert.equal(shape(prepared(cache, evaluated)), shape(parseSource(parser, evaluated)));
  } finally {
    docs.close(URI);
    cache.clear();
  }
});

test("while the evaluator builds a file's next AST, its tree of the last text is not offered (it is being edited)", () => {
  const text = registry(3000);
  const cache = new AstCache();
  try {
    prepared(cache, text);
    assert.notEqual(sharedTrees.copyOf(FILE, text), null);
    const steps = cache.prepare(parser, FILE, text.replace('gen-5"', 'gen-55"'));
    assert.equal(steps.next().done, false, 'the AST is built in steps');
    assert.equal(sharedTrees.copyOf(FILE, text), null);
    steps.return(undefined);
    assert.equal(sharedTrees.copyOf(FILE, text), null, 'nor after the evaluation was dropped');
  } finally {
    cache.clear();
  }
});

test("a cold scan parses the registry and the matrix once: the evaluation after it reads the scan's syntax, and their facts are a parse's own", async () => {
  const texts = {
    'lib/secret-registry.nix': `{ pkgs ? null }:\n{\n${Array.from({ length: 50 }, (_, i) => `  key-${i} = { generator = "gen-${i}"; files.secret = { }; };\n`).join('')}  nogen = { files.k = { }; };\n}\n`,
    'lib/machine-env-matrix.nix': '{\n  lea = [ "key-1" "key-2" ];\n  emily = [ "key-3" "nogen" ];\n}\n',
  };
  const root = writeTree({ 'flake.nix': '{ }\n', ...texts, 'lib/vars-generators.nix': REGISTRY_PIPELINE });
  // every parse of either text, whichever way it is asked for
  const parses = new Map<string, number>();
  const count = (text: string) => {
    for (const [rel, t] of Object.entries(texts)) if (t === text) parses.set(rel, (parses.get(rel) ?? 0) + 1);
  };
  const { parse, parseSteps } = parser;
  parser.parse = function (this: NixParser, text, ...rest) {
    count(text);
    return parse.call(this, text, ...rest);
  };
  parser.parseSteps = function (this: NixParser, text, ...rest) {
    count(text);
    return parseSteps.call(this, text, ...rest);
  };
  try {
    const { found } = await analyze(root);
    assert.deepEqual(Object.fromEntries(parses), { 'lib/secret-registry.nix': 1, 'lib/machine-env-matrix.nix': 1 });
    // the evaluation read them: only it finds that an entry has no generator
    assert.deepEqual(
      found.filter((f) => f.code === 'evaluation-error').map((f) => f.message.match(/Registry entry \w+ has no generator/)?.[0]),
      ['Registry entry nogen has no generator'],
    );
    parser.parse = parse;
    parser.parseSteps = parseSteps;
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, parser);
    await index.scan();
    for (const [rel, text] of Object.entries(texts)) {
      const file = path.join(root, rel);
      const tree = parser.parse(text);
      try {
        const own = extractFile(file, tree, { registry: rel.includes('registry'), matrix: rel.includes('matrix') }, text, parser);
        assert.deepEqual(JSON.parse(JSON.stringify(index.facts.get(file))), JSON.parse(JSON.stringify(own)), rel);
      } finally {
        tree.delete();
      }
    }
  } finally {
    parser.parse = parse;
    parser.parseSteps = parseSteps;
    removeTree(root);
  }
});
