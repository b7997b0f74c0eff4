// The evaluator's own behaviour: unknown values propagate, values remember where they came from,
// budgets and depth limits turn runaway input into "unknown", and validation hashes match clan's.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { evalText, newContext, strictJson, type Outcome } from '../../server/src/facts/eval/index';
import { validationHash } from '../../server/src/facts/eval/validationHash';
import { readsWithin, type EvalOptions } from '../../server/src/facts/eval/context';
import { Confinement } from '../../server/src/base/confinement';
import { NixParser } from '../../server/src/syntax/nixParser';

let parser: NixParser;
let dir: string;
before(async () => {
  parser = await NixParser.load();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-eval-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Free variables (pkgs, lib, config, ...) stand for what the evaluator is not given: unknown. It reads files in `dir`. */
function json(expr: string, options: EvalOptions = {}): Outcome<string> {
  const ctx = newContext(parser, { reads: readsWithin(Confinement.within(dir)), ...options });
  return strictJson(ctx, () => evalText(ctx, expr, path.join(dir, 'expr.nix'), 'unknown'));
}

const isUnknown = (o: Outcome<string>) => 'unknown' in o;
const ok = (o: Outcome<string>) => ('ok' in o ? o.ok : `not ok: ${JSON.stringify(o)}`);

test('unknown values propagate instead of failing', () => {
  for (const expr of [
    'pkgs.hello',
    'lib.mkIf true { a = 1; }',
    'if config.enable then 1 else 2',
    '[ 1 pkgs ]',
    'builtins.attrNames { ${pkgs.name} = 1; }',
    'builtins.currentSystem',
    'builtins.readFile ./secret.txt',
    'builtins.someFutureBuiltin 1',
    'import <nixpkgs> { }',
    '(import <nixpkgs> { }).lib.mkIf',
    'pkgs == null',
    '"${pkgs.openssl}/bin/openssl"',
    'builtins.length (builtins.filter (x: x == pkgs.x) [ 1 2 ])',
    'inputs.self ? foo',
    'with pkgs; [ openssl ]',
    'import ./does-not-exist.nix',
  ]) {
    assert.ok(isUnknown(json(expr)), `${expr} should be unknown, got ${JSON.stringify(json(expr))}`);
  }
});

test('known parts survive next to unknown ones', () => {
  assert.equal(ok(json('{ a = pkgs; b = 1; }.b')), '1');
  assert.equal(ok(json('{ ${pkgs.name} = 1; b = 2; }.b')), '2');
  assert.equal(ok(json('builtins.length [ pkgs lib config ]')), '3');
  assert.equal(ok(json('({ pkgs ? null, keys }: keys) { keys = [ "a" ]; pkgs = pkgs; }')), '["a"]');
  assert.equal(ok(json('false && pkgs.x')), 'false');
  assert.equal(ok(json('with pkgs; let x = 1; in x')), '1');
});

test('values remember the literal that produced them', () => {
  fs.writeFileSync(path.join(dir, 'matrix.nix'), '{\n  lea = [\n    "good"\n    "tpyo"\n  ];\n}\n');
  fs.writeFileSync(path.join(dir, 'registry.nix'), '{ good = { generator = "good-gen"; }; }\n');
  fs.writeFileSync(
    path.join(dir, 'gens.nix'),
    '{ keys }: let r = import ./registry.nix; in builtins.listToAttrs (map (k: { name = (r.${k} or (throw "Unknown secret key in envMatrix: ${k}")).generator; value = { }; }) keys)\n',
  );
  const r = json('builtins.attrNames (import ./gens.nix { keys = (import ./matrix.nix).lea; })');
  assert.ok('error' in r, JSON.stringify(r));
  const err = r.error;
  assert.equal(err.kind, 'throw');
  assert.equal(err.nixMessage, 'Unknown secret key in envMatrix: tpyo');
  assert.equal(err.causes[0].file, path.join(dir, 'matrix.nix'));
  assert.deepEqual(err.causes[0].range.start, { line: 3, character: 4 });

  const ctx2 = newContext(parser, { reads: readsWithin(Confinement.within(dir)) });
  const gen = evalText(ctx2, '(import ./registry.nix).good.generator', path.join(dir, 'x.nix'));
  assert.equal(gen.t, 'string');
  assert.equal(gen.loc?.file, path.join(dir, 'registry.nix'));
  assert.deepEqual(gen.loc?.range.start, { line: 0, character: 23 });
});

test('built-ins say why a value is unknown', () => {
  const nixString = (s: string) => JSON.stringify(s);
  for (const [expr, reason] of [
    [`builtins.fromJSON ${nixString('['.repeat(600) + ']'.repeat(600))}`, 'JSON nested too deeply'],
    [`builtins.fromJSON ${nixString('{ "a\\u0000b": 1 }')}`, 'JSON name with NUL'],
    ['builtins.elem pkgs.x [ 1 ]', 'elem of unknown'],
    ['builtins.lessThan [ pkgs.x ] [ 1 ]', 'comparison with unknown'],
    ['[ (builtins.floor 1.0e19) (builtins.ceil (-1.0e19)) ]', 'float outside the integer range'],
    ['builtins.match "[[=e=]]" "e"', 'regular expression we do not reproduce'],
    ['builtins.split "(a{250}){250}" "a"', 'regular expression we do not reproduce'],
    ['builtins.match "(.)(.)" "é"', 'a match that cuts a UTF-8 character'],
    ['builtins.split "(.)" "é"', 'a match that cuts a UTF-8 character'],
    ['builtins.replaceStrings [ "" ] [ "x" ] "é"', 'a string that is not UTF-8'],
    ['builtins.substring 0 1 "é"', 'substring splits a UTF-8 character'],
    // a string argument that coerces to an unknown value (__toString) is that unknown
    ['builtins.concatStringsSep "," [ "a" { __toString = self: pkgs.x; } ]', "undefined variable 'pkgs'"],
    ['builtins.stringLength { __toString = self: pkgs.x; }', "undefined variable 'pkgs'"],
  ]) {
    const r = json(expr);
    assert.equal('unknown' in r ? r.unknown.reason : `not unknown: ${JSON.stringify(r)}`, reason, expr.slice(0, 80));
  }
});

test('fromJSON errors give the offset where the JSON went wrong', () => {
  for (const [text, offset] of [
    ['"abc', 4],
    ['[1,', 3],
    ['{"a" 1}', 5],
  ] as const) {
    const r = json(`builtins.fromJSON ${JSON.stringify(text)}`);
    assert.equal('error' in r ? r.error.nixMessage : JSON.stringify(r), `JSON parse error at offset ${offset}`, text);
  }
});

test('a regular expression search over budget is unknown where it runs, not a value', () => {
  const ctx = newContext(parser, { maxSteps: 100_000 });
  const v = evalText(ctx, `builtins.match "(a|a)*b" "${'a'.repeat(20)}"`, path.join(dir, 'expr.nix'));
  assert.deepEqual([v.t, v.t === 'unknown' ? v.reason : null], ['unknown', 'budget']);
});

test('strings built from literals remember them: split without a match, concatStringsSep (its first 16)', () => {
  const ctx = newContext(parser);
  const file = path.join(dir, 'expr.nix');
  const unsplit = 'builtins.head (builtins.split "x" "abc")';
  const v = evalText(ctx, unsplit, file);
  assert.deepEqual(v.loc?.range.start, { line: 0, character: unsplit.indexOf('"abc"') });
  const parts = Array.from({ length: 20 }, (_, i) => `"s${i}"`);
  const joined = `throw (builtins.concatStringsSep ", " [ ${parts.join(' ')} ])`;
  const r = json(joined);
  assert.ok('error' in r, JSON.stringify(r));
  assert.deepEqual(
    r.error.causes.map((c) => [c.file, c.range.start.character]),
    parts.slice(0, 16).map((p) => [file, joined.indexOf(p)]),
  );
});

test('runaway evaluation ends as unknown, quickly', () => {
  const started = Date.now();
  for (const expr of [
    'let f = x: f x; in f 1',
    'let f = n: f (n + 1); in f 0',
    'let f = n: [ (f (n + 1)) ]; in f 0',
    'builtins.genList (x: x) 100000000',
    "builtins.foldl' (a: b: a + b) 0 (builtins.genList (x: x) 10000000)",
    'let s = x: x + x; in s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s (s "ab"))))))))))))))))))))))))))))))',
  ]) {
    assert.ok(isUnknown(json(expr)), `${expr}: ${JSON.stringify(json(expr)).slice(0, 200)}`);
  }
  assert.ok(isUnknown(json('builtins.genList (x: x) 1000', { maxSteps: 100 })));
  assert.ok(Date.now() - started < 20_000, 'took too long');
});

test('10,000-deep nesting gives unknown, never a stack overflow', () => {
  const n = 10_000;
  for (const expr of [
    '('.repeat(n) + '1' + ')'.repeat(n),
    '['.repeat(n) + ']'.repeat(n),
    '{ a = '.repeat(n) + '1' + '; }'.repeat(n),
    Array.from({ length: n }, () => '1').join(' + '),
    'let x0 = 1; ' + Array.from({ length: n }, (_, i) => `x${i + 1} = x${i} + 1;`).join(' ') + ` in x${n}`,
    'x: '.repeat(n) + 'x',
  ]) {
    const r = json(expr);
    assert.ok('unknown' in r || 'ok' in r || ('error' in r && r.error.nixMessage === 'cannot convert a function to JSON'), JSON.stringify(r).slice(0, 200));
  }
  // shallow enough nesting is evaluated exactly
  assert.equal(ok(json('('.repeat(100) + '1' + ')'.repeat(100))), '1');
});

test('deep recursion: known as deep as the JS stack allows, then unknown, and the context stays usable', () => {
  const count = 'let count = n: if n == 0 then 0 else 1 + count (n - 1); in';
  assert.equal(ok(json(`${count} count 1000`)), '1000');
  const ctx = newContext(parser);
  const file = path.join(dir, 'deep.nix');
  assert.ok(isUnknown(strictJson(ctx, () => evalText(ctx, `${count} count 1000000`, file))));
  assert.equal(ctx.depth, 0);
  assert.equal(ok(strictJson(ctx, () => evalText(ctx, `${count} count 10`, file))), '10');
});

test('tail calls use no JS stack but count against the depth limit', () => {
  const loop = 'let loop = n: if n == 0 then "done" else loop (n - 1); in';
  assert.equal(ok(json(`${loop} loop 40`, { maxDepth: 50 })), '"done"');
  assert.ok(isUnknown(json(`${loop} loop 60`, { maxDepth: 50 })));
  assert.equal(ok(json(`${loop} loop 9000`)), '"done"');
});

test('Nix errors: infinite recursion, import cycles, lazy cross-imports', () => {
  const r = json('let x = x + 1; in x');
  assert.ok('error' in r && r.error.nixMessage === 'infinite recursion encountered');
  fs.writeFileSync(path.join(dir, 'a.nix'), 'import ./b.nix');
  fs.writeFileSync(path.join(dir, 'b.nix'), 'import ./a.nix');
  const cycle = json('import ./a.nix');
  assert.ok('error' in cycle && cycle.error.nixMessage === 'infinite recursion encountered', JSON.stringify(cycle));
  fs.writeFileSync(path.join(dir, 'c.nix'), '{ x = 1; y = (import ./d.nix).z; }');
  fs.writeFileSync(path.join(dir, 'd.nix'), '{ z = (import ./c.nix).x + 1; }');
  assert.equal(ok(json('import ./c.nix')), '{"x":1,"y":2}');
});

test('bad input never throws', () => {
  for (const text of ['{ a = ', '}}}', 'let in', '"unterminated', "''", 'a b c d e', '{ a.b = 1; a = 2; }', 'x: y:', '{ inherit; }', '\u0000', '']) {
    const r = json(text);
    assert.ok('ok' in r || 'error' in r || 'unknown' in r);
  }
});

const HASH_FIXTURE = 'fixtures/clan-core-vars/validation-hash-vanixiets/vars/per-machine/cinnabar/openssh-cert/.validation-hash';
// The shared folder sits next to the project (../shared), or next to the worktrees' folder.
const fixture = [path.resolve(__dirname, '../../../shared', HASH_FIXTURE), path.resolve(__dirname, '../../../../shared', HASH_FIXTURE)].find((f) => fs.existsSync(f));

test('validation hash: sha256 of builtins.toJSON, as clan writes it', { skip: fixture ? false : `fixture not found: ../shared/${HASH_FIXTURE}` }, () => {
  const expected = fs.readFileSync(fixture!, 'utf8').trim();
  const ctx = newContext(parser);
  // clanServices/sshd: validation = { name = machineName; domains = lib.genAttrs searchDomains lib.id; }
  const v = evalText(
    ctx,
    'let genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names); id = x: x; machineName = "cinnabar"; searchDomains = [ "zt" ]; in { name = machineName; domains = genAttrs searchDomains id; }',
    path.join(dir, 'x.nix'),
  );
  assert.equal(validationHash(ctx, v), expected);
  assert.equal(validationHash(ctx, evalText(ctx, 'null', path.join(dir, 'x.nix'))), null);
  assert.equal(validationHash(ctx, evalText(ctx, '{ a = pkgs.x; }', path.join(dir, 'x.nix'), 'unknown')), undefined);
});

test('text that starts with blank lines or a comment keeps every name and literal exact', () => {
  // tree-sitter's root node starts at the first token, not at the text's first character
  assert.equal(ok(json('\n\n   let name = "é"; other = ./x; in name + baseNameOf other')), '"éx"');
  assert.equal(ok(json('# a comment\n  rec { inherit (builtins) length; n = length [ 1 2 ]; }.n')), '2');
});

test('an evaluation keeps nothing of itself alive when it is done (its scopes, thunks and syntax)', async () => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const refs: WeakRef<object>[] = [];
  (() => {
    const ctx = newContext(parser);
    refs.push(new WeakRef(ctx));
    // a let body, an if branch and a call: each goes on in evalNode's loop (its continuation)
    assert.equal(ok(strictJson(ctx, () => evalText(ctx, 'let f = x: if x then { a = 1; } else { }; in f true', path.join(dir, 'leak.nix'), 'unknown'))), '{"a":1}');
  })();
  await new Promise((r) => setImmediate(r));
  gc();
  assert.equal(refs[0].deref(), undefined, 'the evaluation context was collected');
});

test('a function called again with the same thunks in its set gives the value it gave (Nix is pure); other sets are evaluated anew', () => {
  const ctx = newContext(parser);
  const list = evalText(ctx, 'let f = { x, y ? 1 }: { sum = x + y; }; a = { x = 2; }; b = { x = 2; }; in [ (f a) (f a) (f b) (f { inherit (a) x; }) (f { x = 2; y = pkgs.n; }) ]', path.join(dir, 'kept.nix'), 'unknown');
  assert.equal(list.t, 'list');
  const [first, again, other, inherited, unknownY] = list.t === 'list' ? list.items.map((t) => t.force(ctx)) : [];
  assert.equal(again, first, 'the same set: the kept value');
  assert.notEqual(other, first, 'another set with an equal value: evaluated anew');
  assert.notEqual(inherited, first, '`inherit (a) x` makes a thunk of its own');
  for (const v of [first, other, inherited]) assert.equal(ok(strictJson(ctx, () => v!)), '{"sum":3}');
  assert.ok(isUnknown(strictJson(ctx, () => unknownY!)));
  // a set with a name that cannot be known, an argument that is not a set: not kept, still evaluated
  assert.equal(ok(json('let f = { x ? 1, ... }: x; in [ (f { ${pkgs.n} = 2; }) (f { x = 3; }) ]')), '[1,3]');
  assert.equal(ok(json('let f = { x ? 1, ... }@args: args.x or 0; a = { x = 5; }; in [ (f a) (f a) ]')), '[5,5]');
});

test('a function whose first 32 kept results were never asked for again keeps no more (they would stay alive with it)', () => {
  const ctx = newContext(parser);
  const list = evalText(ctx, 'let f = { x }: { n = x; }; a = { x = 0; }; in (map (i: f { x = i; }) (builtins.genList (i: i) 40)) ++ [ (f a) (f a) ]', path.join(dir, 'trial.nix'), 'unknown');
  assert.equal(list.t, 'list');
  const values = list.t === 'list' ? list.items.map((t) => t.force(ctx)) : [];
  assert.equal(values.length, 42);
  assert.notEqual(values[41], values[40], 'not kept: evaluated again');
  assert.equal(ok(strictJson(ctx, () => values[41])), '{"n":0}');
  assert.equal(ctx.keptResultsShared, false, 'no kept result was given again');
});

test("a kept result given again makes each of its cells maybe two (one per call in Nix): `==` holds where structure says so, else it is unknown", () => {
  // Nix makes two sets, whose cells `g` hold two functions: not equal; here one set: never `true`
  assert.ok(isUnknown(json('let f = { x }: { g = y: y; n = x; }; a = { x = 1; }; in [ (f a) ] == [ (f a) ]')));
  // equal by structure, whether the cells are one or two
  assert.equal(ok(json('let f = { x }: { n = x; }; a = { x = 1; }; in [ (f a) ] == [ (f a) ]')), 'true');
  // no kept result given again: a cell is one cell (Nix: the same function is equal to itself in a list)
  assert.equal(ok(json('let f = { x }: { g = y: y; }; r = f { x = 1; }; in [ r ] == [ r ]')), 'true');
});

test('a recursion through a function with a set pattern goes deeper than the calls whose results are kept', () => {
  assert.equal(ok(json('let go = { n, done ? "done" }: if n == 0 then done else go { n = n - 1; }; in go { n = 5000; }')), '"done"');
});

const reasonOf = (o: Outcome<string>) => ('unknown' in o ? o.unknown.reason : `not unknown: ${JSON.stringify(o).slice(0, 200)}`);
const closureOf = (keys: string) => `builtins.genericClosure { startSet = [ ${keys} ]; operator = x: [ ]; }`;

test('built-ins say why their result is unknown', () => {
  for (const [expr, reason] of [
    ['builtins.attrNames builtins', 'set with unknown names'],
    ['builtins.hasAttr "zzz" builtins', 'open set'],
    ['builtins.getAttr "zzz" builtins', 'open set'],
    ['builtins.attrNames (builtins.mapAttrs (n: v: v) { a = 1; ${pkgs.name} = 2; })', 'set with unknown names'],
    ['builtins.attrNames (builtins.removeAttrs { a = 1; ${pkgs.name} = 2; } [ "a" ])', 'set with unknown names'],
    ['builtins.intersectAttrs { a = 1; } { ${pkgs.name} = 2; }', 'open set'],
    ['builtins.listToAttrs [ { ${pkgs.n} = 1; } ]', 'open set'],
    ['builtins.listToAttrs [ { name = "a"; ${pkgs.n} = 1; } ]', 'open set'],
    ['builtins.catAttrs "a" [ { ${pkgs.n} = 1; } ]', 'open set'],
    ['builtins.genericClosure { startSet = [ ]; ${pkgs.n} = 1; }', 'open set'],
    // which pairs of keys Nix compares depends on its tree: a list next to a number may be an error or not
    [closureOf('{ key = [ 1 ]; } { key = 1; }'), 'list keys'],
    [closureOf('{ key = 1; } { key = [ 1 ]; }'), 'list keys'],
    // Nix compares integers with floats through doubles
    [closureOf('{ key = 9007199254740993; } { key = 1.5; }'), 'large integer and float keys'],
    [closureOf('{ key = -9007199254740993; } { key = 1.5; }'), 'large integer and float keys'],
    [closureOf('{ key = 1.5; } { key = 9007199254740993; }'), 'large integer and float keys'],
    [`let inf = 1.0e308 * 10.0; in ${closureOf('{ key = inf - inf; }')}`, 'NaN key'],
    ['builtins.deepSeq { a = throw "x"; b = pkgs.x; } 1', 'errors in an order we do not know'],
    ['builtins.deepSeq { a = throw "x"; b = throw "y"; } 1', 'errors in an order we do not know'],
    // the same message, but only the throw can be caught by tryEval
    ['builtins.deepSeq { a = throw "attribute \'y\' missing"; b = { }.y; } 1', 'errors in an order we do not know'],
    ['builtins.currentSystem', 'builtins.currentSystem'],
    ['__nixVersion', 'builtins.nixVersion'],
    ['builtins.getEnv "HOME"', 'builtins.getEnv'],
    ['__getFlake "github:clan/x"', 'builtins.getFlake'],
  ]) {
    assert.equal(reasonOf(json(expr)), reason, expr);
  }
  // a built-in that charges a whole set's work at once runs out of budget itself (strictJson would
  // only say that its own next step is over budget: evalText's value is the built-in's)
  const ctx = newContext(parser, { maxSteps: 50 });
  const big = `{ ${Array.from({ length: 200 }, (_, i) => `a${i} = ${i};`).join(' ')} }`;
  const v = evalText(ctx, `builtins.attrNames (builtins.mapAttrs (n: v: v) ${big})`, path.join(dir, 'x.nix'));
  assert.equal(v.t === 'unknown' && v.reason, 'budget');
});

test('control built-ins give unknown for an unknown part, never a guess', () => {
  for (const expr of [
    'builtins.deepSeq [ 1 pkgs.x ] 1',
    'builtins.deepSeq { a = pkgs.x; } 1',
    '(builtins.tryEval pkgs.x).success',
    'throw { outPath = pkgs.x; }',
    'abort { outPath = pkgs.x; }',
    // the context is made into a string only when the value fails; it might have failed itself
    'builtins.addErrorContext { outPath = pkgs.x; } (throw "x")',
    'builtins.toJSON { a = pkgs.x; }',
    'builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: pkgs.x; }',
  ]) {
    assert.ok(isUnknown(json(expr)), `${expr}: ${JSON.stringify(json(expr)).slice(0, 200)}`);
  }
  // a built-in Nix has with flakes only
  assert.equal(ok(json('builtins ? getFlake')), 'true');
});

test('a built-in given an unknown argument is an unknown value: the set around it stays usable', () => {
  const ctx = newContext(parser);
  const v = evalText(ctx, '{ a = builtins.head pkgs; b = builtins.attrNames pkgs; c = 1; }', path.join(dir, 'x.nix'), 'unknown');
  assert.equal(v.t, 'attrs');
  if (v.t !== 'attrs') return;
  assert.equal(v.attrs.get('a')!.force(ctx, null).t, 'unknown');
  assert.equal(v.attrs.get('b')!.force(ctx, null).t, 'unknown');
  assert.equal(v.attrs.get('c')!.force(ctx, null).t, 'int');
});

/** Where the values a failing expression's message was built from are written (character offsets in it), and the error's kind. */
function causes(expr: string): { kind: string; at: number[] } {
  const r = json(expr);
  assert.ok('error' in r, `${expr}: ${JSON.stringify(r).slice(0, 200)}`);
  return { kind: r.error.kind, at: r.error.causes.map((c) => (assert.equal(c.range.start.line, 0), c.range.start.character)) };
}

test('throw and abort name the places of the values in their message; names from built-ins keep the place they are written', () => {
  assert.deepEqual(causes('throw "x"'), { kind: 'throw', at: [] });
  assert.deepEqual(causes('abort "x"'), { kind: 'abort', at: [] });
  const k = 'let k = "tpyo"; in ';
  assert.deepEqual(causes(`${k}throw "bad \${k}"`), { kind: 'throw', at: [8] });
  assert.deepEqual(causes(`${k}abort "bad \${k}"`), { kind: 'abort', at: [8] });
  // a string made where a string without a place was made before: its place is also its cause
  const f = 'let f = x: "${x}"; in ';
  assert.deepEqual(causes(`${f}throw (f (f (toString true)))`), { kind: 'throw', at: [11] });
  // each expression names `b` once, where it is written (marked by the place of "b = 1" or "\"b\"")
  const cases = [
    'throw "${builtins.head (builtins.attrNames { b = 1; })}"',
    'builtins.mapAttrs (n: v: throw "${n}") { b = 1; }',
    'throw "${builtins.head (builtins.attrNames (builtins.mapAttrs (n: v: v) { b = 1; }))}"',
    'throw "${builtins.head (builtins.attrNames (builtins.removeAttrs { a = 1; b = 1; } [ "a" ]))}"',
    'throw "${builtins.head (builtins.attrNames (builtins.intersectAttrs { b = 0; } { b = 1; }))}"',
    'throw "${builtins.head (builtins.attrNames (builtins.listToAttrs [ { name = "b"; value = 1; } ]))}"',
  ];
  for (const expr of cases) {
    const at = expr.includes('b = 1') ? expr.indexOf('b = 1') : expr.indexOf('"b"');
    assert.deepEqual(causes(expr).at, [at], expr);
  }
  // a set from a built-in knows no place for some names: that does not erase the place the name had before `//`
  const args = '({ a = 1; } // builtins.functionArgs ({ b }: b))';
  const keep = [
    `throw "\${builtins.elemAt (builtins.attrNames ({ b = 1; } // builtins.mapAttrs (n: v: v) ${args})) 1}"`,
    `throw "\${builtins.elemAt (builtins.attrNames ({ b = 1; } // builtins.removeAttrs ${args} [ ])) 1}"`,
    'throw "${builtins.head (builtins.attrNames ({ "1" = 0; } // builtins.listToAttrs [ { name = toString true; value = 1; } ]))}"',
  ];
  for (const expr of keep) {
    const at = expr.includes('b = 1') ? expr.indexOf('b = 1') : expr.indexOf('"1" = 0');
    assert.deepEqual(causes(expr).at, [at], expr);
  }
});
