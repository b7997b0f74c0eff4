import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeEdit, NixParser } from '../../server/src/parse/nixParser';

test('nixfmt trailing commas in formals parse without errors, offsets unchanged', async () => {
  const parser = await NixParser.load();
  const cases = [
    '{\n  lib,\n  pkgs,\n}:\n{ }\n',
    '{ lib, }: lib',
    '{ pkgs ? import <nixpkgs> { }, }: pkgs',
    '{\n  lib,\n  # a comment\n}@args:\nargs\n',
  ];
  for (const text of cases) {
    const tree = parser.parse(text);
    try {
      assert.equal(tree.rootNode.hasError, false, `errors in: ${text}`);
      assert.equal(tree.rootNode.endIndex, text.length);
      assert.equal(tree.rootNode.text.length, text.length);
    } finally {
      tree.delete();
    }
  }
});

test('a comma inside a string or comment is left alone', async () => {
  const parser = await NixParser.load();
  const text = '{ a = "x,}:"; # ,}:\n b = ; }';
  const tree = parser.parse(text);
  try {
    assert.equal(tree.rootNode.hasError, true, 'the real syntax error must still be reported');
    assert.match(tree.rootNode.text, /"x,}:"/);
  } finally {
    tree.delete();
  }
});

test('incremental reparse gives the same tree as a full parse', async () => {
  const parser = await NixParser.load();
  let text = '{ lib, ... }:\n{\n  clan.core.vars.generators.foo = {\n    files.key = { };\n  };\n}\n';
  let tree = parser.parse(text);
  const edits: [string, string][] = [
    ['foo', 'foobar'],
    ['files.key', 'files.key2'],
    ['{ };', '{ secret = false; };'],
    ['{\n  clan', '{\n  x = 1;\n  clan'],
  ];
  for (const [from, to] of edits) {
    const start = text.indexOf(from);
    const edit = makeEdit(text, start, start + from.length, to);
    text = text.slice(0, start) + to + text.slice(start + from.length);
    tree.edit(edit);
    const next = parser.parse(text, tree);
    tree.delete();
    tree = next;
    const full = parser.parse(text);
    assert.equal(tree.rootNode.toString(), full.rootNode.toString());
    full.delete();
  }
  tree.delete();
});
