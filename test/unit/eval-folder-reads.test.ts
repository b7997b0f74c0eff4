// `builtins.readDir`, `builtins.pathExists` and `lib.filesystem.listFilesRecursive` in the
// evaluator: unknown where an evaluation may list no folder (facts are kept by file content), and
// with the model's folder reads (context.ts folderReads) the clan's folders as Nix lists them, never
// a folder outside it, by its name or through a link.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { folderReads, NO_READS, type EvalReads } from '../../server/src/facts/eval/context';
import { callFunction, evalText, newContext, strictJson, Thunk } from '../../server/src/facts/eval/index';
import { nixLib } from '../../server/src/facts/eval/nixLib';
import { NixParser } from '../../server/src/syntax/nixParser';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

async function evaluate(root: string, text: string, reads: EvalReads): Promise<string> {
  const ctx = newContext(await NixParser.load(), { reads });
  const lib = nixLib(ctx);
  const r = strictJson(ctx, () => {
    const fn = evalText(ctx, `lib: ${text}`, path.join(root, 'x.nix'));
    return callFunction(ctx, fn, Thunk.of(lib), null);
  });
  return 'ok' in r ? r.ok : 'error' in r ? `error: ${r.error.message}` : `unknown: ${r.unknown.reason}`;
}

test('readDir, pathExists, listFilesRecursive: the clan\'s folders with its folder reads, unknown without; a folder outside, or a link out, is unknown', async () => {
  const outside = writeTree({ 'secret.nix': '{ }\n' });
  const root = writeTree({ 'mods/a.nix': '{ }\n', 'mods/sub/b.nix': '{ }\n', 'mods/sub/deeper/c.nix': '{ }\n' });
  roots.push(outside, root);
  fs.symlinkSync(outside, path.join(root, 'mods', 'out'));
  fs.symlinkSync(outside, path.join(root, 'linked'));
  execFileSync('mkfifo', [path.join(root, 'mods', 'fifo')]);
  const reads = { ...NO_READS, ...folderReads(Confinement.within(root)) };

  assert.equal(await evaluate(root, 'builtins.readDir ./mods', reads), '{"a.nix":"regular","fifo":"unknown","out":"symlink","sub":"directory"}');
  assert.equal(await evaluate(root, '[ (builtins.pathExists ./mods/a.nix) (builtins.pathExists ./mods/none.nix) (builtins.pathExists ./mods/sub) ]', reads), '[true,false,true]');
  // links are files to listFilesRecursive, as in nixpkgs: it does not descend into the one leading out
  assert.equal(
    await evaluate(root, 'map (f: builtins.substring (builtins.stringLength (toString ./.)) 100 (toString f)) (lib.filesystem.listFilesRecursive ./mods)', reads),
    JSON.stringify(['/mods/a.nix', '/mods/fifo', '/mods/out', '/mods/sub/b.nix', '/mods/sub/deeper/c.nix']),
  );
  assert.match(await evaluate(root, `builtins.readDir ${outside}`, reads), /^unknown: builtins\.readDir of .*not a folder that may be read/);
  assert.match(await evaluate(root, 'builtins.readDir ./linked', reads), /^unknown: builtins\.readDir of .*linked: not a folder that may be read/);
  assert.match(await evaluate(root, `builtins.pathExists ${outside}/secret.nix`, reads), /^unknown: builtins\.pathExists/);
  assert.match(await evaluate(root, 'builtins.pathExists ./linked/secret.nix', reads), /^unknown: builtins\.pathExists/);
  // an evaluation kept by file content lists nothing
  assert.equal(await evaluate(root, 'builtins.readDir ./mods', NO_READS), 'unknown: builtins.readDir');
  assert.equal(await evaluate(root, 'builtins.pathExists ./mods/a.nix', NO_READS), 'unknown: builtins.pathExists of ' + path.join(root, 'mods', 'a.nix'));
});
