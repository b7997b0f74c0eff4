import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Parser } from 'web-tree-sitter';
import { makeEdit, NixParser, outOfTime, threadCpuMs, treeText } from '../../server/src/syntax/nixParser';
import { trailingFormalCommas, withoutCommas } from '../../server/src/syntax/trailingComma';

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

test('a text that reads as having trailing commas gets the tree of the parse that shows where they are', async () => {
  // the oracle: the text parsed as it is, then with the commas its tree shows in code blanked
  const parser = await NixParser.load();
  const raw = new Parser();
  raw.setLanguage((parser as unknown as { parser: Parser }).parser.language);
  const oracle = (text: string) => {
    const first = raw.parse(text)!;
    const commas = first.rootNode.hasError ? trailingFormalCommas(text, first) : [];
    first.delete();
    const fixed = withoutCommas(text, commas);
    const tree = raw.parse(fixed)!;
    const shown = { tree: tree.rootNode.toString(), text: fixed };
    tree.delete();
    return shown;
  };
  const cases = [
    '{\n  lib,\n  pkgs,\n}:\n{ }\n', // the guess holds
    '{ a, }: { s = "b, }: c"; }', // one of the guess's commas stands in a string
    '{ a, }: { s = \'\'\n  b, }: c\n\'\'; }', // in an indented string
    '# x, }:\n{ a }: a', // in a comment only
    '{ a, }: { b = ; }', // a syntax error besides the comma
    '{ a, }@ args: [ ({ b, }: b) ({ c, } : c) ]',
  ];
  for (const text of cases) {
    const want = oracle(text);
    const tree = parser.parse(text);
    assert.equal(tree.rootNode.toString(), want.tree, `parse of ${JSON.stringify(text)}`);
    assert.equal(treeText(tree), want.text, `text parsed of ${JSON.stringify(text)}`);
    tree.delete();
    const steps = parser.parseSteps(text, 5);
    let r = steps.next();
    while (!r.done) r = steps.next();
    assert.equal(r.value.rootNode.toString(), want.tree, `parse in steps of ${JSON.stringify(text)}`);
    assert.equal(treeText(r.value), want.text, `text parsed in steps of ${JSON.stringify(text)}`);
    r.value.delete();
  }
  // and texts made of the pieces that matter here, at random (a fixed seed)
  const pieces = ['{ a, }:', ' "', "''", ' x, }: ', '#', '\n', ' ${', ' }', ' ;', ' = ', ' b', ' [', ' ]', ' (', ' )', ' , ', '{ c, } @ d :', ' let ', ' in '];
  let seed = 1;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  let tried = 0;
  while (tried < 1500) {
    let text = '';
    for (let i = 2 + next(8); i > 0; i--) text += pieces[next(pieces.length)];
    if (!/,\s*\}\s*(@\s*\w+\s*)?:/.test(text)) continue;
    tried++;
    const want = oracle(text);
    const tree = parser.parse(text);
    assert.equal(tree.rootNode.toString(), want.tree, `parse of ${JSON.stringify(text)}`);
    assert.equal(treeText(tree), want.text, `text parsed of ${JSON.stringify(text)}`);
    tree.delete();
  }
  raw.delete();
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

test('a parse in steps halts, lets other parses run, resumes, and gives the same tree as one parse', async () => {
  const parser = await NixParser.load();
  const entries = Array.from({ length: 3000 }, (_, i) => `  key-${i} = { generator = "gen-${i}"; files = [ "a" "b" ]; secret = ${i % 2 === 0}; };`);
  const text = `{\n${entries.join('\n')}\n}\n`;
  const whole = parser.parse(text);
  const steps = parser.parseSteps(text, 0);
  let yields = 0;
  let step = steps.next();
  for (; !step.done; step = steps.next()) {
    yields++;
    // the shared parser parses something else meanwhile
    parser.parse('{ a = 1; }').delete();
  }
  try {
    assert.ok(yields > 1, `halted ${yields} times`);
    assert.equal(step.value.rootNode.toString(), whole.rootNode.toString());
  } finally {
    step.value.delete();
    whole.delete();
  }
  // an abandoned parse frees its parser and leaves the shared one working
  const abandoned = parser.parseSteps(text, 0);
  abandoned.next();
  abandoned.return(undefined as never);
  const after = parser.parse('{ b = 2; }');
  assert.equal(after.rootNode.hasError, false);
  after.delete();
});

test("a parse's budget counts this thread's CPU time: waiting past it does not stop the parse, working past it does", () => {
  const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const spin = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };
  // a thread descheduled for a while (here: blocked) past the wall-clock deadline
  const waited = outOfTime(40);
  assert.equal(waited(), false);
  sleep(150);
  assert.equal(waited(), false, 'stopped a parse that used no CPU time');
  // the same budget spent working, asked as often as tree-sitter asks while it parses
  const worked = outOfTime(40);
  const cpu = threadCpuMs();
  let stopped = false;
  for (const until = performance.now() + 1000; !stopped && performance.now() < until; ) {
    spin(0.1);
    stopped = worked();
  }
  assert.equal(stopped, true, 'a parse past its budget of CPU time was not stopped');
  assert.ok(threadCpuMs() - cpu >= 40, 'stopped before its budget of CPU time was spent');
});
