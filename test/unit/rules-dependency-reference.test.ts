// Issue 53, the mutants that survived in rules/unknownDependency.ts, rules/workspaceAnalysis.ts and
// rules/sharedReference.ts, killed from what a clan user sees:
// - unknown-dependency: clan resolves a dependency per machine (the machine's own generator, else a
//   shared one of any machine) and stops with "Generator 'g' depends on 'd', but 'd' was not found".
//   The finding suggests the closest name the failing machine has (clan-core's own generators
//   included), but not where the name is another machine's per-machine generator; a generator no
//   declared machine has is checked against the whole clan; an edit of a machine's imports alone is
//   seen on that keystroke.
// - WorkspaceAnalysis: the model of a file's clan; after commit a read changes no revision (a clan
//   whose files are all gone included); reconfigure applies the new settings.
// - shared generators: clan's mismatch error lists every part that differs; the files of a shared
//   generator on an open machine are told only by a machine with every declaration read that has it
//   shared and whose files are known, and only where the open machine has it shared.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { Problem } from '../../server/src/base/types';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { NixParser } from '../../server/src/syntax/nixParser';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** These files (and an empty flake.nix unless given) in a fresh folder, scanned. */
async function scanned(files: Record<string, string>, withFlake = true): Promise<{ root: string; index: WorkspaceAnalysis }> {
  const root = writeTree(withFlake ? { 'flake.nix': '{ }', ...files } : files);
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return { root, index };
}

/** The findings of rule `code` in the index now. */
function of(index: WorkspaceAnalysis, code: string): Problem[] {
  return [...index.allProblems().values()].flat().filter((p) => p.code === code);
}

/** The findings of rule `code` on the clan `files`. */
async function findings(code: string, files: Record<string, string>): Promise<Problem[]> {
  return of((await scanned(files)).index, code);
}

/** `file:line message` of findings, the file relative to the clan root. */
const brief = (root: string, found: Problem[]) => found.map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.message}`).sort();

/** A generator `name` with one file and a script; `extra`: more of its attributes. */
const gen = (name: string, extra = '') => `clan.core.vars.generators.${name} = { ${extra}files.k = { }; script = "echo > $out/k"; };`;

// ---------------------------------------------------------------- unknown-dependency

test("unknown-dependency: another machine's per-machine generator is reported as such, without a did-you-mean though the machine has a name close to it", async () => {
  const [p, ...rest] = await findings('unknown-dependency', {
    'machines/a/configuration.nix': `{ imports = [ ../../modules/peers.nix ]; ${gen('wireguard-keys')} }\n`,
    'machines/b/configuration.nix': `{ ${gen('wireguard-key')} }\n`,
    'modules/peers.nix': `{ ${gen('peers', 'dependencies = [ "wireguard-key" ]; ')} }\n`,
  });
  assert.deepEqual(rest, []);
  assert.equal(p.severity, 'error');
  assert.equal(p.message, "'wireguard-key' is a per-machine generator of 'b', not of machine 'a': declare it there too, or make it shared (share = true).");
  assert.deepEqual(p.fixes, []);
});

test("unknown-dependency: the suggestion comes from what the failing machine has, clan-core's own generators included (state-version)", async () => {
  const [p, ...rest] = await findings('unknown-dependency', {
    'machines/a/configuration.nix': `{ ${gen('peers', 'dependencies = [ "state-versio" ]; ')} }\n`,
  });
  assert.deepEqual(rest, []);
  assert.equal(p.severity, 'error');
  assert.equal(p.message, "No generator named 'state-versio' is declared for machine 'a', nor as a shared generator. Did you mean 'state-version'?");
  assert.equal(p.explanation, `clan vars generate stops with "Generator 'peers' depends on 'state-versio', but 'state-versio' was not found".`);
  assert.deepEqual(p.fixes?.map((f) => [f.title, f.edits[0].newText]), [["Change to 'state-version'", '"state-version"']]);
});

test('unknown-dependency: a generator only a machine the clan does not declare would have (a role naming an unknown machine) is checked against the whole clan', async () => {
  const { root, index } = await scanned({
    'machines/a/configuration.nix': `{ ${gen('wireguard-key')} }\n`,
    'clan.nix': `{ inventory.instances.extra = {
  module.name = "importer";
  roles.default.machines.ghost = { };
  roles.default.extraModules = [ { ${gen('peers', 'dependencies = [ "wireguard-kye" ]; ')} } ];
}; }\n`,
  });
  const found = of(index, 'unknown-dependency');
  assert.deepEqual(brief(root, found), ["clan.nix:4 No generator named 'wireguard-kye' is declared in this clan. Did you mean 'wireguard-key'?"]);
  assert.equal(found[0].severity, 'error');
});

test("unknown-dependency: silent on an open machine where the name resolves to a shared generator, though the clan's own modules declare it per-machine on another machine", async () => {
  const { index } = await scanned({
    'inventory.json': JSON.stringify({ machines: { a: {}, m: {}, s: {} } }),
    'clan.nix': '{ modules.vpn = ./services/vpn; inventory.instances.home = { module = { name = "vpn"; input = "self"; }; roles.peer.machines.s = { }; }; }\n',
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
    // machine s has shared generator vpn-home, named from the instance
    'services/vpn/default.nix': `{
  _class = "clan.service";
  roles.peer.perInstance = { instanceName, ... }: { nixosModule = {
    clan.core.vars.generators."vpn-\${instanceName}" = { share = true; files.k = { }; script = "echo > $out/k"; };
  }; };
}\n`,
    'machines/a/configuration.nix': `{ ${gen('vpn-home')} }\n`,
    // open: a module of another flake is not read
    'machines/m/configuration.nix': `{ inputs, ... }: { imports = [ inputs.mystery.nixosModules.default ]; ${gen('peers', 'dependencies = [ "vpn-home" ]; ')} }\n`,
  });
  assert.deepEqual(of(index, 'unknown-dependency'), []);
});

test("unknown-dependency: an edit of a machine's imports alone (no generator changed) is seen on that edit", async () => {
  const config = (imports: string) => `{ imports = [ ${imports} ]; }\n`;
  const { root, index } = await scanned({
    'machines/a/configuration.nix': config('../../modules/peers.nix ../../modules/key.nix'),
    'machines/b/configuration.nix': config('../../modules/key.nix'),
    'modules/peers.nix': `{ ${gen('peers', 'dependencies = [ "wireguard-key" ]; ')} }\n`,
    'modules/key.nix': `{ ${gen('wireguard-key')} }\n`,
  });
  assert.deepEqual(of(index, 'unknown-dependency'), []);
  index.updateFromText(path.join(root, 'machines/a/configuration.nix'), config('../../modules/peers.nix'));
  assert.deepEqual(brief(root, of(index, 'unknown-dependency')), ["modules/peers.nix:1 'wireguard-key' is a per-machine generator of 'b', not of machine 'a': declare it there too, or make it shared (share = true)."]);
  index.updateFromText(path.join(root, 'machines/a/configuration.nix'), config('../../modules/peers.nix ../../modules/key.nix'));
  assert.deepEqual(of(index, 'unknown-dependency'), []);
});

// ---------------------------------------------------------------- WorkspaceAnalysis

const DEPENDS_ON_NOPE = `{ ${gen('x', 'dependencies = [ "nope" ]; ')} }\n`;

test("workspace analysis: clanOf gives the model of the file's clan (a nested flake is a clan of its own)", async () => {
  const { root, index } = await scanned({ 'x.nix': `{ ${gen('top')} }\n`, 'sub/flake.nix': '{ }', 'sub/a.nix': `{ ${gen('inner')} }\n` });
  const inner = index.clanOf(path.join(root, 'sub/a.nix'));
  assert.equal(inner.root, path.join(root, 'sub'));
  assert.deepEqual(inner.generators.map((g) => g.name.name), ['inner']);
  assert.deepEqual(index.clanOf(path.join(root, 'x.nix')).generators.map((g) => g.name.name), ['top']);
});

test('workspace analysis: building a clan model is a new revision; after commit, reads change none, also where a clan has no file left', async () => {
  const { root, index } = await scanned({ 'x.nix': DEPENDS_ON_NOPE, 'sub/flake.nix': '{ }', 'sub/a.nix': DEPENDS_ON_NOPE }, false);
  const scannedOnly = index.revisions();
  index.clan(path.join(root, 'sub'));
  assert.notEqual(index.revisions(), scannedOnly, "the sub-clan's model built");
  const reads = () => {
    for (const r of [root, path.join(root, 'sub')]) index.clan(r).machineModel();
    index.clanOf(path.join(root, 'x.nix'));
    return [...index.engine.allProblems().keys()].map((f) => path.relative(root, f)).sort();
  };
  index.commit();
  let committed = index.revisions();
  assert.deepEqual(reads(), ['sub/a.nix', 'x.nix']);
  assert.equal(index.revisions(), committed, 'read after commit');
  // the top clan (no flake.nix: the folder) loses its only file
  index.remove(path.join(root, 'x.nix'));
  index.commit();
  committed = index.revisions();
  assert.deepEqual(reads(), ['sub/a.nix'], "x.nix's finding is gone");
  assert.equal(index.revisions(), committed, 'read after commit, the clan without files included');
});

test('workspace analysis: reconfigure applies the new settings (a code ignored, then no longer)', async () => {
  const { index } = await scanned({ 'x.nix': DEPENDS_ON_NOPE });
  assert.equal(of(index, 'unknown-dependency').length, 1);
  await index.reconfigure({ ...DEFAULT_SETTINGS, ignore: ['unknown-dependency'] });
  assert.deepEqual(of(index, 'unknown-dependency'), []);
  await index.reconfigure(DEFAULT_SETTINGS);
  assert.equal(of(index, 'unknown-dependency').length, 1);
});

// ---------------------------------------------------------------- shared generators

test("shared-definition-mismatch: clan's error lists every part the definitions differ in", async () => {
  const x = (body: string) => `{ clan.core.vars.generators.x = { share = true; script = "touch $out/k"; ${body} }; }\n`;
  const { root, index } = await scanned({ 'machines/a/x.nix': x('files.k = { };'), 'machines/b/x.nix': x('files.j = { }; prompts.p = { };') });
  assert.deepEqual(brief(root, of(index, 'shared-definition-mismatch')), [
    "machines/b/x.nix:1 Machines a and b have different definitions for shared generator 'x' (differ in: files, prompts). clan vars generate stops with this error: every machine using a shared generator must declare it identically. Declare it once in a module both machines import.",
  ]);
});

/** A machine importing `modules` and another flake's module (it is open), then `body`. */
const openMachine = (modules: string[], body = '') => `{ inputs, config, ... }: {\n  imports = [ inputs.x.nixosModules.y ${modules.join(' ')} ];\n${body}\n}\n`;
/** The same with every module read. */
const closedMachine = (modules: string[], body = '') => `{ config, ... }: {\n  imports = [ ${modules.join(' ')} ];\n${body}\n}\n`;
/** A module declaring generator `ca` with files key and key.pub, shared or not; `extra`: more of its attributes. */
const ca = (share: boolean, extra = '') => `{ ... }: {\n  clan.core.vars.generators.ca = {${share ? ' share = true;' : ''} files.key = { }; files."key.pub".secret = false; script = "ssh-keygen -f $out/key"; ${extra}};\n}\n`;
const CA = '../../modules/ca.nix';
/** Line 3 of a machine's file: a read of ca's file `crt`. */
const READ_CRT = '  environment.etc.crt.source = config.clan.core.vars.generators.ca.files.crt.path;';
/** The unknown-var-read error on open machine a when machine `ref` tells ca's files. */
const noCrt = (ref: string) =>
  `machines/a/configuration.nix:3 Shared generator 'ca' declares no file 'crt' on machine '${ref}', whose modules are all read, so it has none on machine 'a' either. Its files: key, key.pub.`;

test('unknown-var-read: the machine that tells a shared generator\'s files has it shared (one that has it per-machine, earlier in order, does not)', async () => {
  const { root, index } = await scanned({
    'modules/ca.nix': ca(true),
    'modules/own-ca.nix': ca(false, 'files.crt = { }; '),
    'machines/a/configuration.nix': openMachine([CA], READ_CRT),
    'machines/a1/configuration.nix': closedMachine(['../../modules/own-ca.nix']),
    'machines/b/configuration.nix': closedMachine([CA]),
  });
  assert.deepEqual(brief(root, of(index, 'unknown-var-read')), [noCrt('b')]);
});

test("unknown-var-read: the machine that tells a shared generator's files is one whose files of it are known (one where a prompt's persist is computed, earlier in order, does not)", async () => {
  const { root, index } = await scanned({
    'modules/ca.nix': ca(true),
    'modules/more-ca.nix': '{ config, ... }: { clan.core.vars.generators.ca.prompts.pw.persist = config.keep; }\n',
    'machines/a/configuration.nix': openMachine([CA], READ_CRT),
    'machines/a1/configuration.nix': closedMachine([CA, '../../modules/more-ca.nix']),
    'machines/b/configuration.nix': closedMachine([CA]),
  });
  const found = of(index, 'unknown-var-read');
  assert.deepEqual(brief(root, found), [noCrt('b')]);
  assert.equal(found[0].severity, 'error');
});

test('unknown-var-read: silent on an open machine that has the generator per-machine (a module we could not read may add the file), though another machine has it shared', async () => {
  const { index } = await scanned({
    'modules/ca.nix': ca(true),
    'modules/own-ca.nix': ca(false),
    'machines/a/configuration.nix': openMachine(['../../modules/own-ca.nix'], READ_CRT),
    'machines/b/configuration.nix': closedMachine([CA]),
  });
  assert.deepEqual(of(index, 'unknown-var-read'), []);
});
