// The flat copy of a tree (server/src/syntax/flatTree.ts) must answer as web-tree-sitter's Node and
// TreeCursor do, on every node of every file of the real clans in ../shared/corpus and of broken
// text (errors, missing nodes, unicode, CRLF).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Node, Tree } from 'web-tree-sitter';
import { NixParser } from '../../server/src/syntax/nixParser';
import type { FlatNode } from '../../server/src/syntax/flatTree';
import { REPO_ROOT } from '../helpers/tempClan';

const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

const BROKEN = [
  '{ a = ; b = [ 1 2 ; c = "x${y"; }',
  '{ config, ... }: { clan.core.vars.generators."ü-é" = { script = \'\'\r\n  echo "$out" ✓\r\n\'\'; }; ',
  'let in in',
  '{ inherit (a) b c; d = x: y: x // y; e = if a then b else; f = { g ? 1, ... }@h: h; }',
  'rec { a = a.b or c; "${x}" = 1; b = ./a/${c}.nix; c = <nixpkgs>; }',
  '',
  '# only a comment\n',
];

function compareNode(flat: FlatNode, node: Node, where: string, namedFirst = false): number {
  const at = `${where}: ${node.type} at ${node.startIndex}`;
  const named = namedFirst ? flat.namedChildren.map((c) => c.startIndex) : null;
  assert.equal(flat.type, node.type, at);
  assert.equal(flat.typeId, node.typeId, at);
  assert.equal(flat.isNamed, node.isNamed, `${at}: isNamed`);
  assert.equal(flat.isMissing, node.isMissing, `${at}: isMissing`);
  assert.equal(flat.hasError, node.hasError, `${at}: hasError`);
  assert.equal(flat.startIndex, node.startIndex, at);
  assert.equal(flat.endIndex, node.endIndex, at);
  assert.deepEqual(flat.startPosition, node.startPosition, at);
  assert.deepEqual(flat.endPosition, node.endPosition, at);
  assert.equal(flat.text, node.text, at);
  assert.equal(flat.parent?.startIndex, node.parent?.startIndex, `${at}: parent`);
  const children = node.children as Node[];
  const flatChildren = flat.children;
  assert.deepEqual(
    flatChildren.map((c) => `${c.type}@${c.startIndex}`),
    children.map((c) => `${c.type}@${c.startIndex}`),
    `${at}: children`,
  );
  assert.deepEqual(
    named ?? flat.namedChildren.map((c) => c.startIndex),
    (node.namedChildren as Node[]).map((c) => c.startIndex),
    `${at}: named children`,
  );
  for (const field of ['attrpath', 'expression', 'body', 'function', 'argument', 'name', 'formals', 'attr', 'default', 'condition', 'consequence', 'alternative', 'left', 'right', 'operator', 'universal', 'environment']) {
    assert.equal(flat.childForFieldName(field)?.startIndex, node.childForFieldName(field)?.startIndex, `${at}: field ${field}`);
  }
  let count = 1;
  children.forEach((c, i) => (count += compareNode(flatChildren[i], c, where, namedFirst)));
  return count;
}

/** Compares the flat copy of a parse of `text` with the tree itself; the number of nodes compared. */
function compareText(parser: NixParser, text: string, where: string, namedFirst = true): number {
  const tree: Tree = parser.parse(text);
  try {
    const flat = NixParser.flatten(tree);
    // Nodes are read as they are asked for, so the order they are asked in must not matter: in a
    // second copy, each node's named children are asked for before its children.
    if (namedFirst) compareNode(NixParser.flatten(tree).rootNode, tree.rootNode, `${where} (named children first)`, true);
    const count = compareNode(flat.rootNode, tree.rootNode, where);
    assert.equal(count, flat.size, `${where}: every node, each read once`);
    assert.equal(flat.capacity, flat.size, `${where}: room made for exactly the tree's nodes`);
    // the cursor visits the same nodes with the same fields
    const c = flat.rootNode.walk();
    const t = tree.walk();
    try {
      for (;;) {
        assert.equal(c.nodeType, t.nodeType, where);
        assert.equal(c.currentFieldName, t.currentFieldName, `${where}: field at ${t.startIndex}`);
        assert.equal(c.startIndex, t.startIndex, where);
        assert.equal(c.nodeIsMissing, t.nodeIsMissing, where);
        const down = c.gotoFirstChild();
        assert.equal(down, t.gotoFirstChild(), where);
        if (down) continue;
        let more = true;
        for (;;) {
          const next = c.gotoNextSibling();
          assert.equal(next, t.gotoNextSibling(), where);
          if (next) break;
          const up = c.gotoParent();
          assert.equal(up, t.gotoParent(), where);
          if (!up) {
            more = false;
            break;
          }
        }
        if (!more) break;
      }
    } finally {
      t.delete();
    }
    // the descendants of a type
    for (const types of [['apply_expression'], ['select_expression'], ['path_expression', 'spath_expression'], ['ERROR'], ['string_fragment', 'identifier']]) {
      assert.deepEqual(
        flat.rootNode.descendantsOfType(types).map((n) => `${n.type}@${n.startIndex}`),
        (tree.rootNode.descendantsOfType(types) as Node[]).map((n) => `${n.type}@${n.startIndex}`),
        `${where}: descendantsOfType(${types.join(', ')})`,
      );
    }
    // the smallest node at each offset
    for (let i = 0; i < text.length; i += 7) {
      for (const end of [i, i + 1, i + 5]) {
        assert.equal(flat.rootNode.descendantForIndex(i, end).id !== undefined, true);
        const a = flat.rootNode.descendantForIndex(i, end);
        const b = tree.rootNode.descendantForIndex(i, end);
        assert.equal(`${a.type}@${a.startIndex}-${a.endIndex}`, `${b?.type}@${b?.startIndex}-${b?.endIndex}`, `${where}: descendantForIndex(${i}, ${end})`);
      }
    }
    return count;
  } finally {
    tree.delete();
  }
}

test('the flat copy of a tree answers as the tree does, on broken and unusual text', async () => {
  const parser = await NixParser.load();
  let errors = 0;
  let missing = 0;
  for (const [i, text] of BROKEN.entries()) {
    compareText(parser, text, `broken text ${i}`);
    const tree = parser.parse(text);
    const all = (n: FlatNode): FlatNode[] => [n, ...n.children.flatMap(all)];
    for (const n of all(NixParser.flatten(tree).rootNode)) {
      if (n.isError) errors++;
      if (n.isMissing) missing++;
    }
    tree.delete();
  }
  // the cases exercise what they are for
  assert.ok(errors > 0 && missing > 0, `${errors} ERROR nodes, ${missing} missing nodes`);
  // nodes are read as they are asked for: never from a tree deleted since
  const tree = parser.parse('{ a = 1; }');
  const flat = NixParser.flatten(tree);
  tree.delete();
  assert.throws(() => flat.rootNode.children, /read after it was deleted/);
});

test('the flat copy of a tree answers as the tree does, on every node of the real clans', { skip: fs.existsSync(CORPUS) ? false : `no corpus at ${CORPUS}` }, async () => {
  const parser = await NixParser.load();
  let files = 0;
  let nodes = 0;
  for (const file of fs.readdirSync(CORPUS, { recursive: true }) as string[]) {
    if (!file.endsWith('.nix') || !fs.statSync(path.join(CORPUS, file)).isFile()) continue;
    const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
    if (text.length > 400_000) continue;
    files++;
    nodes += compareText(parser, text, file, files % 3 === 0);
  }
  assert.ok(files > 1000 && nodes > 500_000, `${files} files, ${nodes} nodes`);
});
