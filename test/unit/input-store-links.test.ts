// Flake inputs in the Nix store and links (security issue 52, finding 6): an input's store path is
// read only when it is a real folder of the store, and every read below it stays below it. The
// old model followed a store path that is itself a link (`path:./link`, which nix archives as a
// link) to wherever it pointed, and a service file of an input linking out of it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { flakeInputs, sourceStorePath } from '../../server/src/model/inputs/flakeInputs';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { NixParser } from '../../server/src/syntax/nixParser';
import { SECRET } from '../helpers/outsideReads';
import { removeTree, withNixStore, writeTree } from '../helpers/tempClan';
import { ownGenerators } from '../helpers/ownGenerators';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const hash = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
const service = (name: string) => `{ _class = "clan.service"; roles.default.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.${name} = { files.k = { }; }; }; }; }\n`;

/**
 * A store with three inputs: `linked`, whose store path is a link to a folder outside; `leaky`, a
 * real store folder whose service file is a link out of it; `fine`, a real folder. Each outside
 * file declares a generator named after SECRET.
 */
function storeWithLinks() {
  const base = writeTree({
    'outside/linked/clanServices/svc/default.nix': service(`${SECRET}linked`),
    'outside/leaked.nix': service(`${SECRET}leaked`),
    'store/keep': '',
  });
  roots.push(base);
  const store = path.join(base, 'store');
  const linked = sourceStorePath(hash('linked'), store)!;
  fs.symlinkSync(path.join(base, 'outside/linked'), linked);
  const leaky = sourceStorePath(hash('leaky'), store)!;
  fs.mkdirSync(path.join(leaky, 'clanServices/svc'), { recursive: true });
  fs.symlinkSync(path.join(base, 'outside/leaked.nix'), path.join(leaky, 'clanServices/svc/default.nix'));
  const fine = sourceStorePath(hash('fine'), store)!;
  fs.mkdirSync(path.join(fine, 'clanServices/svc'), { recursive: true });
  fs.writeFileSync(path.join(fine, 'clanServices/svc/default.nix'), service('from-the-store'));
  const lock = {
    version: 7,
    root: 'root',
    nodes: {
      root: { inputs: { linked: 'linked', leaky: 'leaky', fine: 'fine' } },
      linked: { locked: { narHash: hash('linked') } },
      leaky: { locked: { narHash: hash('leaky') } },
      fine: { locked: { narHash: hash('fine') } },
    },
  };
  const instance = (input: string) => `${input} = { module.name = "svc"; module.input = "${input}"; roles.default.machines.a = { }; };`;
  const clan = writeTree({
    'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances = { ${['linked', 'leaky', 'fine'].map(instance).join(' ')} }; }; }; }\n`,
    'flake.lock': JSON.stringify(lock),
    'machines/a/configuration.nix': '{ }\n',
  });
  roots.push(clan);
  return { store, clan, linked, leaky, fine };
}

test('flake inputs: a store path that is a link is not an input on this machine', () => {
  const { store, clan, fine, leaky } = storeWithLinks();
  const found = flakeInputs(clan, null, store);
  assert.deepEqual([...found.dirs.keys()].sort(), ['fine', 'leaky']);
  assert.equal(found.dirs.get('fine'), fine);
  assert.equal(found.dirs.get('leaky'), leaky);
  assert.deepEqual(found.missing, ['linked']);
});

test("model: nothing is read through an input's store path that is a link, nor through a link in an input that leads out of it", async () => {
  const { store, clan } = storeWithLinks();
  await withNixStore(store, async () => {
    const index = new WorkspaceAnalysis(clan, DEFAULT_SETTINGS, await NixParser.load());
    await index.scan();
    const report = machinesReport(index.clan(clan));
    const [a] = report.machines;
    assert.deepEqual(ownGenerators(a.generators), ['from-the-store']);
    assert.ok(!JSON.stringify(report).includes(SECRET), JSON.stringify(report));
    // both services that could not be read leave the machine open, with their reasons
    assert.deepEqual(a.unknowns.filter((u) => u.includes("'svc'")).sort(), ["clan service 'svc' from leaky (instance 'leaky')", "clan service 'svc' from linked (instance 'linked')"]);
  });
});
