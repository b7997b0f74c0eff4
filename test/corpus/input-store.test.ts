// A clan's flake inputs placed in a Nix store (NIX_STORE_DIR) the way Nix puts them after evaluating
// the flake: each at <store>/<hash>-source, the hash from the lock's narHash. clan-core at the revision
// Lassulus' clan locks is at hand in ../shared/inputs; with it in a test store, clan-core's services
// are read from the store (an input on this machine wins over the shipped summary), and every machine
// whose inputs are all at hand (in the store, or known from the shipped summary) is known.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { sourceStorePath } from '../../server/src/model/inputs/flakeInputs';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { REPO_ROOT, withNixStore } from '../helpers/tempClan';

const SHARED = path.resolve(REPO_ROOT, '..', 'shared');
const CLAN = path.join(SHARED, 'corpus', 'Lassulus+superconfig');
const SOURCE = path.join(SHARED, 'inputs', 'clan-lol+clan-core@87bb027aafa7');
const present = fs.existsSync(path.join(CLAN, 'flake.lock')) && fs.existsSync(SOURCE);
const stores: string[] = [];
after(() => stores.forEach((s) => fs.rmSync(s, { recursive: true, force: true })));

async function machines(storeDir: string) {
  return withNixStore(storeDir, async () => {
    const index = new WorkspaceAnalysis(CLAN, DEFAULT_SETTINGS, await NixParser.load());
    await index.scan();
    const model = index.clan(CLAN).machineModel();
    return [...model.machines.values()].map((v) => ({
      name: v.name,
      unknowns: v.unknowns,
      files: [...new Set([...v.generators.values()].flat().map((g) => g.file))],
    }));
  });
}

test("inputs in a test store: Lassulus' clan-core (87bb027, from ../shared/inputs) is read from the store, and each machine whose inputs are at hand is known", { skip: present ? false : `${CLAN} or ${SOURCE} is absent` }, async () => {
  const lock = JSON.parse(fs.readFileSync(path.join(CLAN, 'flake.lock'), 'utf8'));
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-store-'));
  stores.push(store);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-store-'));
  stores.push(empty);
  const dir = sourceStorePath(lock.nodes['clan-core'].locked.narHash, store)!;
  // a copy: a store path that is a link is not read (an input is read only from a real folder of the store)
  fs.cpSync(SOURCE, dir, { recursive: true, verbatimSymlinks: true });

  const inStore = await machines(store);
  const shipped = await machines(empty);
  const known = (list: typeof inStore) => list.filter((m) => m.unknowns.length === 0).map((m) => m.name);
  // the same machines are known either way; the open ones are open only for inputs whose sources are not at hand
  assert.deepEqual(known(inStore), known(shipped));
  // open only for what is not at hand: modules of inputs neither in the store nor known at their
  // locked commits (stockholm takes submodules no snapshot has; disko's and nix-rosetta-builder's
  // locked commits are newer than their snapshots), and one computed import; never clan-core
  const open = inStore.filter((m) => m.unknowns.length);
  const reasons = new Set(open.flatMap((m) => m.unknowns));
  for (const r of reasons) assert.match(r, /^a module of flake input '(?!clan-core')[\w-]+' \(.*\), not on this machine$|^a module not known statically \(servePage /, r);
  // clan-core's services were read from the store, not from the shipped summary
  const files = inStore.flatMap((m) => m.files);
  assert.ok(files.some((f) => f.startsWith(dir + path.sep)), 'no generator from the store');
  assert.ok(!files.some((f) => f.startsWith('/clan-vars-known/')), 'a generator from the shipped summary');
  assert.ok(shipped.flatMap((m) => m.files).some((f) => f.startsWith('/clan-vars-known/')));
});
