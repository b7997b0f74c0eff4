// A function applied to thousands of arguments (`f "a" "a" "a" ...`, a list pasted without its
// brackets) nests as deep as it is long: application n is the function of application n+1. The
// fuzzer (seed 777, round 35) typed one of 6,000 into a facts-era configuration.nix: each keystroke
// spent 0.7 s extracting its facts (every application asked for its parent, which tree-sitter finds
// by descending from the root again), requests went unanswered for 2-6 s, and in some versions the
// legacy-secret reads overflowed the call stack, so the file was skipped and its findings lost.
// Walking all of its 60,000 nodes with a cursor, a JS object each, then still cost 160 ms a keystroke
// (requests queued behind it): the extractors let tree-sitter find the few node types they read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Node, TreeCursor } from 'web-tree-sitter';
import { extractFile } from '../../server/src/facts/file';
import { NixParser } from '../../server/src/syntax/nixParser';

const CHAIN = 6000;

const TEXT = `{ config, pkgs, ... }:
{
  imports = [ (import ./wifi.nix { inherit pkgs; }) ];
  clan.core.facts.services.wifi.secret.psk = { };
  pasted = builtins.concatStrings ${'"a" '.repeat(CHAIN)};
  wrapped = f (g config.clan.core.facts.services.wifi.secret.psk.path ${'"b" '.repeat(CHAIN)});
  networking.wireless.secretsFile = config.clan.core.facts.services.wifi.secret.psk.path;
}
`;

/** Counts the calls of a getter while `f` runs. */
function counting<T>(proto: object, getter: string, f: () => T): { result: T; calls: number } {
  const descriptor = Object.getOwnPropertyDescriptor(proto, getter)!;
  let calls = 0;
  Object.defineProperty(proto, getter, {
    ...descriptor,
    get(this: unknown) {
      calls++;
      return descriptor.get!.call(this);
    },
  });
  try {
    return { result: f(), calls };
  } finally {
    Object.defineProperty(proto, getter, descriptor);
  }
}

test('a chain of 6,000 arguments: its facts are extracted, without a parent lookup per application', async () => {
  const parser = await NixParser.load();
  // what is measured is extraction; the parse gets time enough (its wall-clock budget for a text this
  // size, 1.5 s, ran out once under npm test's four-way concurrency on two cores: CI of 2026-11-24)
  const tree = parser.parse(TEXT, undefined, 30_000);
  try {
    const extract = () => extractFile('/clan/machines/m/configuration.nix', tree, { registry: false, matrix: false }, TEXT, parser);
    // each ask for a node's parent walks down from the root
    const { result: facts, calls: parents } = counting(Node.prototype, 'parent', extract);
    // each node a cursor walk visits becomes a JS object
    const { calls: visited } = counting(TreeCursor.prototype, 'currentNode', extract);
    assert.equal(facts.skipped, undefined);
    assert.deepEqual(
      facts.legacySecrets?.declarations.map((d) => `${d.kind} ${d.name}`),
      ['facts-service wifi'],
    );
    // the read inside the long chain, and the one after it
    assert.equal(facts.legacySecrets?.reads.length, 2);
    assert.deepEqual(
      facts.imports?.map((i) => [i.target, i.passesPkgs]),
      [['/clan/machines/m/wifi.nix', true]],
    );
    // a few per read or access found (their enclosing bindings), not one per application
    assert.ok(parents < 200, `${parents} parent lookups`);
    const nodes = tree.rootNode.descendantCount;
    assert.ok(visited < nodes / 10, `a cursor visited ${visited} of the tree's ${nodes} nodes`);
  } finally {
    tree.delete();
  }
});
