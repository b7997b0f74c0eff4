// The machine model after an edit of one module (updated from the model before it, not built anew
// where it can be): what a machine has and how dependencies resolve must be what a fresh build of
// the edited clan says, also where the edit changes more than the machines that import the file (a
// shared generator gone or new, a computed name).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, test } from 'node:test';
import { openReasons } from '../../server/src/model/machineModel';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { clanCoreInStore, removeTree, withNixStore, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const gen = (name: string, extra = '') => `{ clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; ${extra} }; }\n`;

/** What the model says of each machine (its generators sorted by name), and how `names` resolve from each: to compare an updated model with a fresh one. */
function answers(index: WorkspaceAnalysis, root: string, names: string[]): string[] {
  const model = index.clan(root).machineModel();
  return [...model.machines.values()].flatMap((v) => [
    `${v.name}: ${[...v.generators].map(([n, d]) => `${n}@${d.map((g) => `${g.file.slice(root.length + 1)}:${g.name.range.start.line}`).join(',')}`).sort().join(' ')}${openReasons(v).length ? ` open: ${openReasons(v).join('; ')}` : ''}`,
    ...names.map((n) => `${v.name} -> ${n}: ${JSON.stringify(model.resolveDependency(v.name, n))}`),
  ]);
}

/** The rules' findings, in a comparable form. */
function findings(index: WorkspaceAnalysis): string[] {
  return [...index.allProblems().values()].flat().map((p) => `${p.file}:${p.range.start.line} ${p.code} ${p.message}`).sort();
}

/** `typing`: the registry pipeline's evaluation waits for a pause in typing that does not come (the editor while one types): the model reads the literal registry. */
async function editing(files: Record<string, string>, { typing = false, settings = {} }: { typing?: boolean; settings?: Partial<AnalysisSettings> } = {}) {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, { ...DEFAULT_SETTINGS, ...settings }, await NixParser.load());
  if (typing) index.evaluations.deferMs = 3_600_000;
  await index.scan();
  index.allProblems();
  return {
    root,
    index,
    /** Edits `file` (or several files at once), and returns the answers of the updated model after checking them against a fresh build. */
    edit(file: string | Record<string, string>, text: string, names: string[]): string[] {
      const edits = typeof file === 'string' ? { [file]: text } : file;
      for (const [f, t] of Object.entries(edits)) index.updateFromText(`${root}/${f}`, t);
      const problems = findings(index);
      const updated = answers(index, root, names);
      index.engine.clear();
      index.models.clear();
      assert.deepEqual(updated, answers(index, root, names), `after the edit of ${Object.keys(edits).join(', ')}: the updated model equals a fresh build`);
      assert.deepEqual(problems, findings(index), `after the edit of ${Object.keys(edits).join(', ')}: the rules' findings equal those of a fresh build`);
      return updated;
    },
  };
}

test('machine model: after an edit that makes a generator shared, or one no longer shared, other machines resolve it as a fresh build does', async () => {
  const clan = await editing({
    'machines/a/configuration.nix': '{ imports = [ ./tok.nix ]; }\n',
    'machines/a/tok.nix': gen('tok'),
    'machines/b/configuration.nix': gen('user', 'dependencies = [ "tok" ];'),
    'machines/c/configuration.nix': gen('other'),
  });
  const resolved = (lines: string[]) => lines.filter((l) => l.startsWith('b -> '));
  // per machine: b does not find a's
  assert.deepEqual(resolved(clan.edit('machines/a/tok.nix', gen('tok', 'files.k2 = { };'), ['tok', 'tok2'])), ['b -> tok: {"found":"no","perMachineOn":["a"]}', 'b -> tok2: {"found":"no","perMachineOn":[]}']);
  // shared: clan takes a's on b
  assert.deepEqual(resolved(clan.edit('machines/a/tok.nix', gen('tok', 'share = true;'), ['tok', 'tok2'])), ['b -> tok: {"found":"shared"}', 'b -> tok2: {"found":"no","perMachineOn":[]}']);
  // renamed, no longer shared: tok is gone everywhere
  assert.deepEqual(resolved(clan.edit('machines/a/tok.nix', gen('tok2'), ['tok', 'tok2'])), ['b -> tok: {"found":"no","perMachineOn":[]}', 'b -> tok2: {"found":"no","perMachineOn":["a"]}']);
  // share set to a value not known statically: perhaps shared
  assert.deepEqual(resolved(clan.edit('machines/a/tok.nix', `{ config, ... }: ${gen('tok2', 'share = config.s;')}`, ['tok2'])), ['b -> tok2: {"found":"maybe"}']);
  assert.deepEqual(resolved(clan.edit('machines/a/tok.nix', gen('tok2'), ['tok2'])), ['b -> tok2: {"found":"no","perMachineOn":["a"]}']);
  // renamed per machine: a no longer has tok2
  const renamed = clan.edit('machines/a/tok.nix', gen('tok3'), ['tok2', 'tok3']);
  assert.ok(renamed.includes('a -> tok2: {"found":"no","perMachineOn":[]}') && renamed.includes('a -> tok3: {"found":"machine"}'), renamed.join('\n'));
});

test('machine model: after an edit that makes a generator name computed, the machine may have names of that form', async () => {
  const clan = await editing({
    'machines/a/configuration.nix': '{ imports = [ ./tor.nix ]; }\n',
    'machines/a/tor.nix': gen('tor_main'),
    'machines/b/configuration.nix': gen('user', 'dependencies = [ "tor_main" ];'),
  });
  const computed = '{ config, ... }: {\n  clan.core.vars.generators."tor_${config.x}" = { files.k = { }; script = "x"; };\n}\n';
  const lines = clan.edit('machines/a/tor.nix', computed, ['tor_main']);
  assert.ok(lines.some((l) => l.startsWith('a: ') && l.includes("open: generator names of the form 'tor_*' computed from values not known statically (machines/a/tor.nix:2)")), lines.join('\n'));
  assert.ok(lines.includes('a -> tor_main: {"found":"maybe"}'), lines.join('\n'));
  const back = clan.edit('machines/a/tor.nix', gen('tor_main'), ['tor_main']);
  assert.ok(back.includes('a -> tor_main: {"found":"machine"}'), back.join('\n'));
});

test('generator index: a name computed from nothing known opens the clan\'s names; a name of a form gives its pattern, after edits as in a fresh index', async () => {
  const clan = await editing({
    'machines/a/configuration.nix': '{ imports = [ ./m1.nix ./m2.nix ]; }\n',
    'machines/a/m1.nix': gen('plain1'),
    'machines/a/m2.nix': gen('plain2'),
  });
  const state = () => {
    const index = clan.index.clan(clan.root).generatorIndex;
    return { open: index.namesOpen, patterns: index.namePatterns.map((g) => g.pattern) };
  };
  const type = (file: string, text: string) => {
    clan.index.updateFromText(`${clan.root}/${file}`, text);
    clan.index.allProblems();
    const now = state();
    clan.index.engine.clear();
    clan.index.models.clear();
    assert.deepEqual(state(), now, `after the edit of ${file}: as a fresh index`);
    return now;
  };
  assert.deepEqual(state(), { open: false, patterns: [] });
  assert.deepEqual(type('machines/a/m1.nix', '{ config, ... }: { clan.core.vars.generators."tor_${config.x}" = { files.k = { }; script = "x"; }; }\n'), { open: false, patterns: ['tor_*'] });
  assert.deepEqual(type('machines/a/m2.nix', '{ config, ... }: { clan.core.vars.generators.${config.x} = { files.k = { }; script = "x"; }; }\n'), { open: true, patterns: ['tor_*'] });
  assert.deepEqual(type('machines/a/m1.nix', gen('plain1')), { open: true, patterns: [] });
  assert.deepEqual(type('machines/a/m2.nix', gen('plain2')), { open: false, patterns: [] });
});

test('generator index: the declarations with computed names after edits are those of a fresh index, in file order, and an edit of a file without any keeps the list', async () => {
  const computed = (name: string) => `{ config, ... }: { clan.core.vars.generators."${name}_\${config.x}" = { files.k = { }; script = "x"; }; }\n`;
  const clan = await editing({
    'machines/a/configuration.nix': '{ imports = [ ./m1.nix ./m2.nix ./m3.nix ]; }\n',
    'machines/a/m1.nix': gen('plain1'),
    'machines/a/m2.nix': computed('two'),
    'machines/a/m3.nix': gen('plain3'),
  });
  const index = () => clan.index.clan(clan.root).generatorIndex;
  const listed = () => index().computed.map((c) => `${c.g.file.slice(clan.root.length + 1)} ${c.glob.pattern}`);
  /** Edits one file as a keystroke does: the index updated, not built again. */
  const type = (file: string, text: string) => {
    const before = index();
    clan.index.updateFromText(`${clan.root}/${file}`, text);
    clan.index.allProblems();
    assert.equal(index(), before, 'the index is updated in place');
  };
  const fresh = () => {
    clan.index.engine.clear();
    clan.index.models.clear();
    return listed();
  };
  assert.deepEqual(listed(), ['machines/a/m2.nix two_*']);
  // a file before it gains a computed name: it comes first, as in a fresh index
  type('machines/a/m1.nix', computed('one'));
  const both = ['machines/a/m1.nix one_*', 'machines/a/m2.nix two_*'];
  assert.deepEqual(listed(), both);
  // a keystroke in a file without computed names: the same list, not made again
  const kept = index().computed;
  type('machines/a/m3.nix', gen('plain3b'));
  assert.equal(index().computed, kept);
  // the computed name gone again
  type('machines/a/m2.nix', gen('plain2'));
  assert.deepEqual(listed(), ['machines/a/m1.nix one_*']);
  assert.deepEqual(fresh(), ['machines/a/m1.nix one_*']);
  type('machines/a/m2.nix', computed('two'));
  assert.deepEqual(listed(), both);
  assert.deepEqual(fresh(), both);
});

test("machine model: after an edit of a clan service's role, only that role's machines have its new generator", async () => {
  const service = (peer: string) => `{
  _class = "clan.service";
  roles.controller.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.vpn-ca = { }; }; };
  roles.peer.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.${peer} = { }; }; };
}\n`;
  const clan = await editing({
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {}, c: {} } }),
    'clan.nix': `{ modules.vpn = ./services/vpn.nix; inventory.instances.v = { module = { name = "vpn"; input = "self"; }; roles.controller.machines.a = { }; roles.peer.machines.b = { }; roles.peer.machines.c = { }; }; }\n`,
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
    'services/vpn.nix': service('vpn-peer'),
  });
  const lines = clan.edit('services/vpn.nix', service('vpn-peer-key'), ['vpn-peer-key']);
  assert.deepEqual(
    lines.filter((l) => l.includes(' -> ')),
    ['a -> vpn-peer-key: {"found":"no","perMachineOn":["b","c"]}', 'b -> vpn-peer-key: {"found":"machine"}', 'c -> vpn-peer-key: {"found":"machine"}'],
  );
});

test('machine model: after edits of the registry and the matrix, alone or with a module, the updated model equals a fresh build', async () => {
  const registry = (entries: string) => `{ pkgs ? null }: {\n${entries}}\n`;
  const entry = (key: string, generator: string) => `  ${key} = { generator = ${generator}; files.value = { }; script = "touch $out/value"; };\n`;
  const plain = entry('wifi', '"wifi-psk"') + entry('api', '"api-token"');
  const clan = await editing({
    'lib/secret-registry.nix': registry(plain),
    'lib/machine-env-matrix.nix': '{\n  m0 = [ "wifi" "api" ];\n  m1 = [ "api" ];\n}\n',
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
    'machines/m0/configuration.nix': '{ pkgs, ... }: {\n  imports = [ ./own.nix ];\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\n}\n',
    'machines/m0/own.nix': gen('own-0'),
    // depends on a registry generator no machine's keys select (when there is one)
    'machines/m1/spare.nix': gen('spare-user', 'dependencies = [ "spare-key" ];'),
    // a module no machine imports: checked against the whole clan (is spare-key declared at all)
    'modules/loose.nix': gen('loose', 'dependencies = [ "spare-key" ];'),
    'machines/m1/configuration.nix': '{ pkgs, ... }: {\n  imports = [ ./spare.nix ];\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m1; inherit pkgs; };\n}\n',
  });
  const names = ['wifi-psk', 'wifi-key', 'api-token', 'own-0', 'own-1'];
  // a registry entry's generator renamed: the name's machines looked up again
  let lines = clan.edit('lib/secret-registry.nix', registry(entry('wifi', '"wifi-key"') + entry('api', '"api-token"')), names);
  assert.ok(lines.includes('m1 -> wifi-key: {"found":"no","perMachineOn":["m0"]}'), lines.join('\n'));
  // the matrix gives m1 the wifi key too
  lines = clan.edit('lib/machine-env-matrix.nix', '{\n  m0 = [ "wifi" "api" ];\n  m1 = [ "api" "wifi" ];\n}\n', names);
  assert.ok(lines.includes('m1 -> wifi-key: {"found":"machine"}'), lines.join('\n'));
  // the registry and a module edited together (a checkout, a save of all files)
  lines = clan.edit({ 'lib/secret-registry.nix': registry(plain), 'machines/m0/own.nix': gen('own-1') }, '', names);
  assert.ok(lines.includes('m0 -> own-1: {"found":"machine"}') && lines.includes('m0 -> own-0: {"found":"no","perMachineOn":[]}'), lines.join('\n'));
  // a registry of a shape not read: the machines importing the generators file are open
  lines = clan.edit('lib/secret-registry.nix', 'builtins.fromJSON (builtins.readFile ./registry.json)\n', names);
  assert.ok(lines.some((l) => l.startsWith('m1: ') && l.includes('open: generators computed in machines/m1/configuration.nix:3')), lines.join('\n'));
  lines = clan.edit('lib/secret-registry.nix', registry(plain), names);
  assert.ok(lines.includes('m1 -> wifi-psk: {"found":"machine"}'), lines.join('\n'));
  // a second entry of the same generator: both its declarations on the machines that have it
  lines = clan.edit('lib/secret-registry.nix', registry(plain + entry('wifi2', '"wifi-psk"')), names);
  assert.ok(lines.some((l) => l.startsWith('m0: ') && l.includes('wifi-psk@lib/secret-registry.nix:1,lib/secret-registry.nix:3')), lines.join('\n'));
  lines = clan.edit('lib/secret-registry.nix', registry(plain), names);
  // an entry no machine's keys select: declared in the clan, on no machine
  lines = clan.edit('lib/secret-registry.nix', registry(plain + entry('spare', '"spare-key"')), [...names, 'spare-key']);
  assert.ok(lines.includes('m1 -> spare-key: {"found":"no","perMachineOn":[]}'), lines.join('\n'));
  lines = clan.edit('lib/secret-registry.nix', registry(plain), names);
  // an entry whose generator name is computed
  lines = clan.edit('lib/secret-registry.nix', registry(plain + entry('vpn', '"vpn-${pkgs.system}"')), names);
  lines = clan.edit('lib/secret-registry.nix', registry(plain), names);
  assert.ok(lines.includes('m1 -> wifi-psk: {"found":"machine"}'), lines.join('\n'));
});

test('machine model: while the registry pipeline is not evaluated yet (typing), an edit of one entry keeps the declarations of the others; each machine has those a fresh build gives it', async () => {
  const registry = (entries: string) => `{ pkgs ? null }: {\n${entries}}\n`;
  const entry = (key: string, generator: string) => `  ${key} = { generator = ${generator}; files.value = { }; script = "touch $out/value"; };\n`;
  const plain = entry('wifi', '"wifi-psk"') + entry('api', '"api-token"');
  const clan = await editing(
    {
      'lib/secret-registry.nix': registry(plain),
      'lib/machine-env-matrix.nix': '{\n  m0 = [ "wifi" "api" ];\n  m1 = [ "api" ];\n}\n',
      'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
      'machines/m0/configuration.nix': '{ pkgs, ... }: {\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\n}\n',
      'machines/m1/configuration.nix': '{ pkgs, ... }: {\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m1; inherit pkgs; };\n}\n',
    },
    { typing: true },
  );
  const wifiOn = (lines: string[]) => lines.find((l) => l.startsWith('m0: '))!.split(' ').find((w) => w.startsWith('wifi-psk@'));
  // a second entry of the same generator, no key of the matrix selecting it: clan merges both declarations into m0's wifi-psk
  let lines = clan.edit('lib/secret-registry.nix', registry(plain + entry('wifi2', '"wifi-psk"')), []);
  assert.equal(wifiOn(lines), 'wifi-psk@lib/secret-registry.nix:1,lib/secret-registry.nix:3');
  // that entry written over two lines: m0's declarations are the first (kept) and the new one
  lines = clan.edit('lib/secret-registry.nix', registry(plain + '  wifi2 = {\n    generator = "wifi-psk"; files.value = { }; script = "touch $out/value"; };\n'), []);
  assert.equal(wifiOn(lines), 'wifi-psk@lib/secret-registry.nix:1,lib/secret-registry.nix:4');
});

test('machine model: after a registry edit that drops the only registry declaration of a name a module also declares, the generators depending on it are checked again', async () => {
  const registry = (entries: string) => `{ pkgs ? null }: {\n${entries}}\n`;
  const entry = (key: string, generator: string) => `  ${key} = { generator = ${generator}; files.value = { }; script = "touch $out/value"; };\n`;
  const plain = entry('api', '"api-token"');
  const clan = await editing({
    'lib/secret-registry.nix': registry(plain + entry('spare', '"x"')),
    'lib/machine-env-matrix.nix': '{\n  m0 = [ "api" ];\n}\n',
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
    'machines/m0/configuration.nix': '{ pkgs, ... }: {\n  imports = [ ../../modules/x.nix ./reader.nix ];\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\n}\n',
    'modules/x.nix': '{ clan.core.vars.generators.x = { files.key = { }; script = "touch $out/key"; }; }\n',
    // reads a file of x that only the registry's x (on no machine) might have declared
    'machines/m0/reader.nix': '{ clan.core.vars.generators.reader = { dependencies = [ "x" ]; files.k = { }; script = "cat $in/x/kay > $out/k"; }; }\n',
  });
  const inputFindings = () => findings(clan.index).filter((f) => f.includes(' unknown-input '));
  assert.deepEqual(inputFindings(), [], "while the registry declares x too, x's files are not known");
  clan.edit('lib/secret-registry.nix', registry(plain), ['x']);
  assert.equal(inputFindings().length, 1, 'the registry no longer declares x: $in/x/kay is a file x does not declare');
  clan.edit('lib/secret-registry.nix', registry(plain + entry('spare', '"x"')), ['x']);
  assert.deepEqual(inputFindings(), []);
});

test("machine model: after a registry edit, a generator the registry and two clan-core services declare is on each machine with the declarations a fresh build gives it", async () => {
  const { store, lock } = clanCoreInStore({
    // tor-key declared by each role: the server's and the client's declaration are two
    'clanServices/tor/default.nix': `{
  _class = "clan.service";
  roles.server.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.tor-key = { files.key = { }; }; }; };
  roles.client.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.tor-key = { files.pub = { }; }; }; };
}\n`,
    // and another service's, on m1
    'clanServices/relay/default.nix': '{\n  _class = "clan.service";\n  roles.default.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.tor-key = { files.relay = { }; }; }; };\n}\n',
  });
  roots.push(store);
  const registry = (file: string) => `{ pkgs ? null }: {\n  tk = { generator = "tor-key"; files.${file} = { }; script = "touch $out/${file}"; };\n}\n`;
  const pipeline = (m: string) => `{ pkgs, ... }: {\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).${m}; inherit pkgs; };\n}\n`;
  await withNixStore(store, async () => {
    const clan = await editing({
      'flake.lock': lock,
      'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
      // m0 is tor's server and selects the registry's tor-key; m1 selects it and is relay's; m2 is tor's client
      'clan.nix': '{ inventory.instances.tor = { module.name = "tor"; roles.server.machines.m0 = { }; roles.client.machines.m2 = { }; }; inventory.instances.relay = { module.name = "relay"; roles.default.machines.m1 = { }; }; }\n',
      'lib/secret-registry.nix': registry('value'),
      'lib/machine-env-matrix.nix': '{\n  m0 = [ "tk" ];\n  m1 = [ "tk" ];\n  m2 = [ ];\n}\n',
      'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
      'machines/m0/configuration.nix': pipeline('m0'),
      'machines/m1/configuration.nix': pipeline('m1'),
      'machines/m2/configuration.nix': pipeline('m2'),
    });
    const declared = () => {
      const model = clan.index.clan(clan.root).machineModel();
      return [...model.machines.values()].map((v) => `${v.name}: ${(v.generators.get('tor-key') ?? []).map((g) => `${g.origin} ${g.files.map((f) => f.name).join(' ')}`).join(', ')}`);
    };
    // the service's two declarations of tor-key are one (the file's), on the machines of both roles
    const expected = ['m0: registry value, module key pub', 'm1: registry value, module relay', 'm2: module key pub'];
    assert.deepEqual(declared(), expected);
    clan.edit('lib/secret-registry.nix', registry('secret'), ['tor-key']);
    assert.deepEqual(declared(), expected.map((l) => l.replace('registry value', 'registry secret')));
  });
});

test('machine model: while the registry pipeline is not evaluated yet (typing), a matrix edit selecting an entry whose generator name is computed gives that machine names of its form', async () => {
  const registry = '{ pkgs ? null }: {\n  wifi = { generator = "wifi-psk"; files.value = { }; script = "x"; };\n  vpn = { generator = "vpn-${pkgs.system}"; files.value = { }; script = "x"; };\n}\n';
  const matrix = (m0: string) => `{\n  m0 = [ ${m0} ];\n}\n`;
  const clan = await editing(
    {
      'lib/secret-registry.nix': registry,
      'lib/machine-env-matrix.nix': matrix('"wifi"'),
      'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
      'machines/m0/configuration.nix': '{ pkgs, ... }: {\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\n}\n',
    },
    { typing: true },
  );
  const vpn = () => clan.index.clan(clan.root).generators.find((g) => g.origin === 'registry' && g.name.pattern === 'vpn-*')!;
  assert.deepEqual(clan.index.clan(clan.root).machineModel().machinesOfGenerator(vpn()), []);
  const lines = clan.edit('lib/machine-env-matrix.nix', matrix('"wifi" "vpn"'), ['vpn-x86_64-linux']);
  assert.ok(lines.some((l) => l.startsWith('m0: ') && l.endsWith("open: generator names of the form 'vpn-*' computed from values not known statically (lib/secret-registry.nix:3)")), lines.join('\n'));
  assert.ok(lines.includes('m0 -> vpn-x86_64-linux: {"found":"maybe"}'), lines.join('\n'));
  assert.deepEqual(clan.index.clan(clan.root).machineModel().machinesOfGenerator(vpn()), ['m0'], "the machines whose keys select the generator's entry");
});

test('machine model: after an edit of the matrix of a clan without a registry (or whose registry the scan does not read), the model a fresh build gives', async () => {
  const generatorsFile = (registry: string) => `{ keys, pkgs ? null }:\nlet registry = import ${registry} { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.\${k}.generator; value = { inherit (registry.\${k}) files script; }; }) keys)\n`;
  const machine = '{ pkgs, ... }: {\n  imports = [ ./own.nix ];\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\n}\n';
  // the registry not written yet: the matrix and the generators file are
  const unwritten = await editing({
    'lib/machine-env-matrix.nix': '{\n  m0 = [ "wifi" ];\n}\n',
    'lib/vars-generators.nix': generatorsFile('./secret-registry.nix'),
    'machines/m0/configuration.nix': machine,
    'machines/m0/own.nix': gen('own', 'dependencies = [ "wifi-psk" ];'),
  });
  let lines = unwritten.edit('lib/machine-env-matrix.nix', '{\n  m0 = [ "wifi" "api" ];\n}\n', ['wifi-psk']);
  assert.ok(lines.some((l) => l.startsWith('m0: ') && l.includes('open: generators computed in machines/m0/configuration.nix:3')), lines.join('\n'));
  // the registry in a folder the scan skips (result/), which the registry pipeline's evaluation reads
  const registry = '{ pkgs ? null }: {\n  wifi = { generator = "wifi-psk"; files.value = { }; script = "x"; };\n}\n';
  const skipped = await editing(
    {
      'result/secret-registry.nix': registry,
      'lib/machine-env-matrix.nix': '{\n  m0 = [ "wifi" ];\n}\n',
      'lib/vars-generators.nix': generatorsFile('../result/secret-registry.nix'),
      'machines/m0/configuration.nix': machine,
      'machines/m0/own.nix': gen('own', 'dependencies = [ "wifi-psk" ];'),
    },
    { settings: { registryPath: 'result/secret-registry.nix' } },
  );
  assert.ok(skipped.index.clan(skipped.root).registry, 'the registry, from its evaluation');
  lines = skipped.edit('lib/machine-env-matrix.nix', '{\n  m0 = [ "wifi" "api" ];\n}\n', ['wifi-psk']);
  assert.ok(lines.some((l) => l.startsWith('m0: ')), lines.join('\n'));
});

test('machine model: after a matrix edit of one key of a generator two registry keys share, each machine has it as a fresh build gives it', async () => {
  const entry = (key: string, generator: string) => `  ${key} = { generator = ${generator}; files.value = { }; script = "touch $out/value"; };\n`;
  const matrix = (m1: string) => `{\n  m0 = [ "wifi" "api" ];\n  m1 = [ ${m1} ];\n}\n`;
  const pipeline = (m: string) => `{ pkgs, ... }: {\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).${m}; inherit pkgs; };\n}\n`;
  const clan = await editing(
    {
      // wifi and wifi2 give the same generator
      'lib/secret-registry.nix': `{ pkgs ? null }: {\n${entry('wifi', '"wifi-psk"')}${entry('wifi2', '"wifi-psk"')}${entry('api', '"api-token"')}}\n`,
      'lib/machine-env-matrix.nix': matrix('"wifi2"'),
      'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
      'machines/m0/configuration.nix': pipeline('m0'),
      'machines/m1/configuration.nix': pipeline('m1'),
    },
    { typing: true },
  );
  const has = (lines: string[], m: string) => lines.find((l) => l.startsWith(`${m}: `))!.includes('wifi-psk@');
  // m1's key of wifi-psk gone: m0 keeps wifi-psk through its other key
  let lines = clan.edit('lib/machine-env-matrix.nix', matrix('"api"'), ['wifi-psk']);
  assert.deepEqual([has(lines, 'm0'), has(lines, 'm1')], [true, false]);
  lines = clan.edit('lib/machine-env-matrix.nix', matrix('"api" "wifi2"'), ['wifi-psk']);
  assert.deepEqual([has(lines, 'm0'), has(lines, 'm1')], [true, true]);
});

test("machine model: after an edit that declares a name another file or clan-core's clanCore module declares on the machine too, its declarations are a fresh build's, in file order", async () => {
  const clan = await editing({
    'machines/m0/configuration.nix': '{ imports = [ ../../modules/a.nix ../../modules/b.nix ]; }\n',
    'modules/a.nix': gen('x'),
    'modules/b.nix': gen('x', 'files.k2 = { };'),
  });
  const on = (lines: string[], name: string) => lines.find((l) => l.startsWith('m0: '))!.split(' ').find((w) => w.startsWith(`${name}@`));
  // a.nix edited: its declaration stays before b.nix's
  assert.equal(on(clan.edit('modules/a.nix', gen('x', 'files.k3 = { };'), []), 'x'), 'x@modules/a.nix:0,modules/b.nix:0');
  // the machine declares state-version itself: clan-core's declaration (the clanCore module's) is not one of its own
  const own = on(clan.edit('modules/b.nix', gen('x') + gen('state-version'), []), 'state-version');
  assert.equal(own, 'state-version@modules/b.nix:1');
});

test("rules after an edit of a machine's imports: a generator's declarations now on one machine are checked together, as a fresh build checks them", async () => {
  const clan = await editing({
    'machines/m0/configuration.nix': '{ imports = [ ../../modules/c.nix ]; }\n',
    'machines/m1/configuration.nix': '{ imports = [ ../../modules/d.nix ]; }\n',
    'modules/c.nix': '{ clan.core.vars.generators.x = { files.k3 = { }; script = "echo > $out/k3"; }; }\n',
    'modules/d.nix': '{ clan.core.vars.generators.x = { files.k = { }; }; }\n',
  });
  const missing = () => findings(clan.index).filter((f) => f.includes(' missing-output '));
  assert.deepEqual(missing(), [], 'on two machines, the declarations of x are two generators');
  // m0 imports both: the module system merges them, and the script does not write k (edit() compares with a fresh build)
  clan.edit('machines/m0/configuration.nix', '{ imports = [ ../../modules/c.nix ../../modules/d.nix ]; }\n', ['x']);
  assert.equal(missing().length, 1, missing().join('\n'));
});

test("machines: the folders under machines/ are clan's machines as the flake.nix the editor has says, saved or not, as a fresh build of its text", async () => {
  // no generator, no clan.nix, no vars/: only a flake.nix that names clan makes machines of the folders
  const clan = await editing({ 'flake.nix': '{ }\n', 'machines/m0/README': 'a host\n' });
  assert.deepEqual(clan.edit('machines/m0/configuration.nix', '{ }\n', []), [], 'a flake that names no clan: its machines/ folders are no machines');
  // typed, not saved: the file on disk still names no clan
  const named = clan.edit('flake.nix', '{ inputs.clan-core.url = "git+https://git.clan.lol/clan/clan-core"; }\n', []);
  assert.ok(named.some((l) => l.startsWith('m0: ')), named.join('\n'));
  assert.deepEqual(clan.edit('flake.nix', '{ }\n', []), [], 'and none again once the text names no clan');
});

test('machine model: a folder a machine imports made or deleted on disk (empty: only the watcher tells) is read again', async () => {
  const { root, index } = await editing({
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { }; }; }\n',
    'machines/m/configuration.nix': '{ imports = [ ../../modules/later ]; }\n',
  });
  const fresh = async () => {
    const again = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
    await again.scan();
    return answers(again, root, []);
  };
  assert.match(answers(index, root, []).join('\n'), /open: module not analysed: modules\/later/);
  fs.mkdirSync(`${root}/modules/later`, { recursive: true });
  await index.watchedFileChanged(`${root}/modules/later`, false);
  assert.match(answers(index, root, []).join('\n'), /open: folder without default.nix: modules\/later/);
  assert.deepEqual(answers(index, root, []), await fresh());
  fs.rmSync(`${root}/modules/later`, { recursive: true });
  await index.watchedFileChanged(`${root}/modules/later`, true);
  assert.match(answers(index, root, []).join('\n'), /open: module not analysed: modules\/later/);
});
