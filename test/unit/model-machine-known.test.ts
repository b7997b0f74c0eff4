// What the machine model knows of a machine's generators where a generator set is computed: a clan
// service's computed name that is no template of what clan passes it, a generator set computed
// beside the registry pipeline, and the registry pipeline's model kept up to date while the clan
// has no registry file.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { openReasons } from '../../server/src/model/machineModel';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const gen = (name: string, extra = '') => `{ clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; ${extra} }; }\n`;

async function scanned(files: Record<string, string>) {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return { root, index };
}

/** `machine: generators | open: reasons` as the machines view shows them (clan-core's own generators left out). */
function machines(index: WorkspaceAnalysis, root: string): string[] {
  return machinesReport(index.clan(root)).machines.map((m) => `${m.name}: ${m.generators.filter((g) => g !== 'state-version').join(', ')}${m.unknowns.length ? ` | open: ${m.unknowns.join('; ')}` : ''}`);
}

/** The rules' findings, in a comparable form. */
function findings(index: WorkspaceAnalysis): string[] {
  return [...index.allProblems().values()].flat().map((p) => `${p.file}:${p.range.start.line} ${p.code} ${p.message}`).sort();
}

test("a clan service's computed generator name that is no template of what clan passes (a value of config): names of that form on the role's machines, beside the names made of the instance", async () => {
  const service = `{
  _class = "clan.service";
  manifest.name = "vpn";
  roles.peer.perInstance = { instanceName, ... }: {
    nixosModule = { config, ... }: {
      clan.core.vars.generators."vpn-\${instanceName}" = { files.k = { }; script = "echo > $out/k"; };
      clan.core.vars.generators."peer-\${config.networking.hostName}" = { files.k = { }; script = "echo > $out/k"; };
    };
  };
}
`;
  const { root, index } = await scanned({
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {} } }),
    'clan.nix': `{ modules.vpn = ./services/vpn.nix; inventory.instances.home = { module = { name = "vpn"; input = "self"; }; roles.peer.machines.a = { }; }; }\n`,
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
    'services/vpn.nix': service,
  });
  assert.deepEqual(machines(index, root), ["a: vpn-home | open: generator names of the form 'peer-*' computed from values not known statically (services/vpn.nix:7)", 'b: ']);
  const a = index.clan(root).machineModel().machines.get('a')!;
  assert.deepEqual(openReasons(a), ["generator names of the form 'peer-*' computed from values not known statically (services/vpn.nix:7)"]);
  assert.deepEqual(index.clan(root).machineModel().resolveDependency('a', 'peer-a'), { found: 'maybe' });
});
