// A function applied to thousands of arguments (`f "a" "a" "a" ...`, a list pasted without its
// brackets) nests as deep as it is long: application n is the function of application n+1. The
// fuzzer (seed 777, round 35) typed one of 6,000 into a facts-era configuration.nix: each keystroke
// spent 0.7 s extracting its facts (every application asked for its parent, which tree-sitter finds
// by descending from the root again), requests went unanswered for 2-6 s, and in some versions the
// legacy-secret reads overflowed the call stack, so the file was skipped and its findings lost.
// Walking all of its 60,000 nodes with a cursor, a JS object each, then still cost 160 ms a keystroke
// (requests queued behind it). The extraction now reads the tree out of wasm memory
// (syntax/flatTree.ts), where a parent is a number.
// The fuzzer (seed 2128495745) also typed an attribute path of thousands of parts: the legacy
// secrets' names asked for the path's parts once per part, 1.4 s a keystroke.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFile } from '../../server/src/facts/file';
import { FlatNode, FlatTree } from '../../server/src/syntax/flatTree';
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

/** Counts the calls of a getter (or a method) while `f` runs. */
function counting<T>(proto: object, getter: string, f: () => T): { result: T; calls: number } {
  const descriptor = Object.getOwnPropertyDescriptor(proto, getter)!;
  let calls = 0;
  Object.defineProperty(
    proto,
    getter,
    descriptor.get
      ? {
          ...descriptor,
          get(this: unknown) {
            calls++;
            return descriptor.get!.call(this);
          },
        }
      : {
          ...descriptor,
          value(this: unknown, ...args: unknown[]) {
            calls++;
            return (descriptor.value as (...a: unknown[]) => unknown).apply(this, args);
          },
        },
  );
  try {
    return { result: f(), calls };
  } finally {
    Object.defineProperty(proto, getter, descriptor);
  }
}

test('a chain of 6,000 arguments: its facts are extracted in time linear in the chain', async () => {
  const parser = await NixParser.load();
  // what is measured is extraction; the parse gets time enough (its wall-clock budget for a text this
  // size, 1.5 s, ran out once under npm test's four-way concurrency on two cores: CI of 2026-11-24)
  const tree = parser.parse(TEXT, undefined, 30_000);
  try {
    const extract = () => extractFile('/clan/machines/m/configuration.nix', tree, { registry: false, matrix: false }, TEXT, parser);
    // a node asked for as an object (each distinct one made once)
    const { result: facts, calls: objects } = counting(FlatTree.prototype, 'node', extract);
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
    // linear in the tree: the applications are found once (as objects: those tree-sitter's own
    // search gave too), not once per application walked past
    const nodes = tree.rootNode.descendantCount;
    assert.ok(objects < 2 * nodes, `${objects} nodes asked for as objects, of the tree's ${nodes}`);
    const { calls: parents } = counting(FlatNode.prototype, 'parent', extract);
    assert.ok(parents < 200, `${parents} parents asked for`);
  } finally {
    tree.delete();
  }
});

test('an attribute path of 3,000 parts: the legacy secrets read its parts once', async () => {
  const parser = await NixParser.load();
  const path = `${'a.'.repeat(3000)}b`;
  for (const [text, kind] of [
    [`{ config, ... }: { sops.secrets.${path} = { }; }`, 'sops-secret'],
    [`{ config, ... }: { clan.core.facts.services.${path} = { }; }`, 'facts-service'],
  ]) {
    const tree = parser.parse(text);
    try {
      const { result: facts, calls } = counting(FlatNode.prototype, 'namedChildren', () => extractFile('/clan/machines/m/configuration.nix', tree, { registry: false, matrix: false }, text, parser));
      assert.deepEqual(facts.legacySecrets?.declarations.map((d) => `${d.kind} ${d.name}`), [`${kind} a`]);
      assert.ok(calls < 50, `the named children of nodes asked for ${calls} times`);
    } finally {
      tree.delete();
    }
  }
});
