// unknown-var-read as the user sees it: `config.clan.core.vars.generators.<g>.files.<f>.path` (or
// through home-manager's `osConfig`) on a machine without generator <g>, or whose <g> declares no file
// <f>. The whole finding is pinned: message, explanation, severity, range and the did-you-mean fix.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { NixParser } from '../../server/src/syntax/nixParser';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** A finding of the rule, file relative to the clan, lines and columns 0-based as in the Problem. */
interface Seen {
  at: string;
  severity: string;
  message: string;
  explanation?: string;
  fixes: { title: string; edits: { at: string; newText: string }[]; safe?: boolean }[];
}

const where = (root: string, file: string, r: Problem['range']) => `${path.relative(root, file)}:${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

function seen(root: string, p: Problem): Seen {
  return {
    at: where(root, p.file, p.range),
    severity: p.severity,
    message: p.message,
    explanation: p.explanation,
    fixes: (p.fixes ?? []).map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ at: where(root, e.file, e.range), newText: e.newText })), safe: f.safe })),
  };
}

/** The rule's findings on a clan written from `files`, as the checker gives them, sorted by place. */
async function findings(files: Record<string, string>, settings: Partial<AnalysisSettings> = {}): Promise<Seen[]> {
  const root = writeTree(files);
  roots.push(root);
  const report = await analyzeFolder(root, { ...DEFAULT_SETTINGS, ...settings }, () => {});
  return report.problems
    .filter((p) => p.code === 'unknown-var-read')
    .map((p) => seen(root, p))
    .sort((a, b) => a.at.localeCompare(b.at));
}

/** A machine module importing another flake's module (the machine is open), then `body`. */
const open = (body: string) => `{ inputs, config, ... }: {\n  imports = [ inputs.x.nixosModules.y ];\n${body}\n}\n`;
/** A module with every part read, then `body`. */
const closed = (body: string) => `{ config, ... }: {\n${body}\n}\n`;
const SSH = `  clan.core.vars.generators.ssh-host = { files.key = { }; files."key.pub".secret = false; script = "touch $out/key $out/key.pub"; };`;
const read = (expr: string) => `  environment.etc.x.source = ${expr};`;
/** Column of `needle` in `line`. */
const col = (line: string, needle: string) => line.indexOf(needle);
const THROWN = (name: string) => `Evaluation of the machine fails with "attribute '${name}' missing"`;
const NOT_READ = "Not read: a module of flake input 'x' (inputs.x.nixosModules.y).";

test('unknown-var-read: a generator two machines with every module read lack is one error on the read, "have" for both, with a did-you-mean fix that writes the bare name', async () => {
  const line = read('config.clan.core.vars.generators.ssh-hots.files.key.path');
  const at = col(line, 'ssh-hots');
  const range = `modules/web.nix:1:${at}-1:${at + 8}`;
  assert.deepEqual(
    await findings({
      'flake.nix': '{ }',
      'modules/web.nix': closed(line),
      'machines/a/configuration.nix': `{ imports = [ ../../modules/web.nix ];\n${SSH}\n}\n`,
      'machines/b/configuration.nix': `{ imports = [ ../../modules/web.nix ];\n${SSH}\n}\n`,
    }),
    [
      {
        at: range,
        severity: 'error',
        message: "Machines 'a', 'b' have no generator 'ssh-hots'. Did you mean 'ssh-host'?",
        explanation: `${THROWN('ssh-hots')}.`,
        fixes: [{ title: "Change to 'ssh-host'", edits: [{ at: range, newText: 'ssh-host' }], safe: false }],
      },
    ],
  );
});

test('unknown-var-read: the fix for a file whose right name is not an identifier writes it quoted', async () => {
  const line = read('config.clan.core.vars.generators.ssh-host.files."key.pbu".path');
  const at = col(line, '"key.pbu"');
  const range = `machines/a/configuration.nix:2:${at}-2:${at + 9}`;
  assert.deepEqual(await findings({ 'flake.nix': '{ }', 'machines/a/configuration.nix': closed(`${SSH}\n${line}`) }), [
    {
      at: range,
      severity: 'error',
      message: "Generator 'ssh-host' of machine 'a' declares no file 'key.pbu'. Did you mean 'key.pub'?",
      explanation: `${THROWN('key.pbu')}.`,
      fixes: [{ title: "Change to 'key.pub'", edits: [{ at: range, newText: '"key.pub"' }], safe: false }],
    },
  ]);
});

test("unknown-var-read: a read through home-manager's osConfig reads the machine's own generators", async () => {
  const line = '  home-manager.users.x = { osConfig, ... }: { home.file.k.source = osConfig.clan.core.vars.generators.ssh-host.files.kye.path; };';
  const at = col(line, 'kye');
  const found = await findings({ 'flake.nix': '{ }', 'machines/a/configuration.nix': closed(`${SSH}\n${line}`) });
  assert.deepEqual(
    found.map((f) => [f.at, f.message]),
    [[`machines/a/configuration.nix:2:${at}-2:${at + 3}`, "Generator 'ssh-host' of machine 'a' declares no file 'kye'. Did you mean 'key'?"]],
  );
});

test('unknown-var-read: reads of a generator without a file (its `files`, its `share`) are no reads of a file, and the reads of files beside them are still checked', async () => {
  const found = await findings({
    'flake.nix': '{ }',
    'machines/a/configuration.nix': closed(
      [SSH, '  x = builtins.attrNames config.clan.core.vars.generators.ssh-host.files;', '  y = config.clan.core.vars.generators.ssh-host.share;', read('config.clan.core.vars.generators.ssh-host.files.kye.path')].join('\n'),
    ),
  });
  assert.deepEqual(
    found.map((f) => `${f.at.split(':').slice(0, 2).join(':')} ${f.message}`),
    ["machines/a/configuration.nix:4 Generator 'ssh-host' of machine 'a' declares no file 'kye'. Did you mean 'key'?"],
  );
});

test("unknown-var-read: a read written over two lines is not taken for one of the machine's own generators (another machine's, split after `generators`; a default on the next line)", async () => {
  // the columns line up as an own read's would on one line: `nodes.b.` before `config` is what tells it
  const first = '  k = nodes.b.config.clan.core.vars.generators';
  const start = col(first, 'nodes');
  const second = `${' '.repeat(start + 'config.clan.core.vars.generators.'.length - 1)}.ssh-hots.files.key.path;`;
  assert.equal(col(second, 'ssh-hots') - start, 'config.clan.core.vars.generators.'.length);
  // `or null` ends where the read's `path` does
  const own = '  y = config.clan.core.vars.generators.ssh-hots.files.key.path';
  const fallback = `${' '.repeat(own.length - 'or null'.length)}or null;`;
  assert.equal(fallback.length - 1, own.length);
  const found = await findings({
    'flake.nix': '{ }',
    'machines/a/configuration.nix': `{ config, nodes, ... }:\nlet\n${first}\n${second}\n${own}\n${fallback}\nin {\n${SSH}\n  environment.etc.k.source = k;\n  environment.etc.y.source = y;\n}\n`,
    // b has ssh-hots, so the read of b's is sound; a has none, which only a mistaken own read would report
    'machines/b/configuration.nix': closed('  clan.core.vars.generators.ssh-hots = { files.key = { }; script = "touch $out/key"; };'),
  });
  assert.deepEqual(found, []);
});

test('unknown-var-read: on an open machine, a likely typo of a generator is a warning naming what was not read, with the clause a module we could not read may declare it', async () => {
  const line = read('config.clan.core.vars.generators.ssh-hots.files.key.path');
  const at = col(line, 'ssh-hots');
  const range = `machines/a/configuration.nix:3:${at}-3:${at + 8}`;
  assert.deepEqual(await findings({ 'flake.nix': '{ }', 'machines/a/configuration.nix': open(`${SSH}\n${line}`) }), [
    {
      at: range,
      severity: 'warning',
      message: `No module we can read declares a generator 'ssh-hots' for machine 'a'. Did you mean 'ssh-host'? ${NOT_READ}`,
      explanation: `${THROWN('ssh-hots')}, unless a module we could not read declares it.`,
      fixes: [{ title: "Change to 'ssh-host'", edits: [{ at: range, newText: 'ssh-host' }], safe: false }],
    },
  ]);
});

test("unknown-var-read: on an open machine, another machine's per-machine generator is a warning naming whose it is", async () => {
  const line = read('config.clan.core.vars.generators.radio-sync.files.k.path');
  const at = col(line, 'radio-sync');
  assert.deepEqual(
    await findings({
      'flake.nix': '{ }',
      'machines/a/configuration.nix': open(line),
      'machines/b/configuration.nix': closed('  clan.core.vars.generators.radio-sync = { files.k = { }; script = "touch $out/k"; };'),
    }),
    [
      {
        at: `machines/a/configuration.nix:2:${at}-2:${at + 10}`,
        severity: 'warning',
        message: `Generator 'radio-sync' is declared for 'b', not for machine 'a'. ${NOT_READ}`,
        explanation: `${THROWN('radio-sync')}, unless a module we could not read declares it.`,
        fixes: [],
      },
    ],
  );
});

test('unknown-var-read: on an open machine, a likely typo of a file is a warning with the clause a module we could not read may declare it', async () => {
  const line = read('config.clan.core.vars.generators.ssh-host.files.kye.path');
  const at = col(line, 'kye');
  const range = `machines/a/configuration.nix:3:${at}-3:${at + 3}`;
  assert.deepEqual(await findings({ 'flake.nix': '{ }', 'machines/a/configuration.nix': open(`${SSH}\n${line}`) }), [
    {
      at: range,
      severity: 'warning',
      message: `No module we can read declares a file 'kye' of generator 'ssh-host' for machine 'a'. Did you mean 'key'? ${NOT_READ}`,
      explanation: `${THROWN('kye')}, unless a module we could not read declares it.`,
      fixes: [{ title: "Change to 'key'", edits: [{ at: range, newText: 'key' }], safe: false }],
    },
  ]);
});

test("unknown-var-read: on an open machine, a file another machine's declaration of the generator has is no typo (a module we could not read may add it here too)", async () => {
  // b's ssh-host also declares `kye` (beside other files): a module of input x may declare it on a as well
  const found = await findings({
    'flake.nix': '{ }',
    'machines/a/configuration.nix': open(`${SSH}\n${read('config.clan.core.vars.generators.ssh-host.files.kye.path')}`),
    'machines/b/configuration.nix': closed('  clan.core.vars.generators.ssh-host = { files.kye = { }; files.other = { }; script = "touch $out/kye $out/other"; };'),
  });
  assert.deepEqual(found, []);
});

test('unknown-var-read: a module no machine we read imports, while a machine is open: a likely typo of a file, explained for a machine importing it', async () => {
  const line = read('config.clan.core.vars.generators.ssh-host.files.kye.path');
  const at = col(line, 'kye');
  const range = `modules/signing.nix:2:${at}-2:${at + 3}`;
  assert.deepEqual(await findings({ 'flake.nix': '{ }', 'machines/a/configuration.nix': open(''), 'modules/signing.nix': closed(`${SSH}\n${line}`) }), [
    {
      at: range,
      severity: 'warning',
      message: `No module we can read declares a file 'kye' of generator 'ssh-host', and no machine we read imports this module. Did you mean 'key'? ${NOT_READ}`,
      explanation: `Evaluation of a machine importing this module fails with "attribute 'kye' missing", unless a module we could not read declares it.`,
      fixes: [{ title: "Change to 'key'", edits: [{ at: range, newText: 'key' }], safe: false }],
    },
  ]);
});

test('unknown-var-read: a clan that declares no machine (a library of modules other flakes use): a likely typo of a file is a warning; a declared file or a name not near one is not', async () => {
  const line = read('config.clan.core.vars.generators.ssh-host.files.kye.path');
  const at = col(line, 'kye');
  const range = `modules/signing.nix:2:${at}-2:${at + 3}`;
  assert.deepEqual(await findings({ 'flake.nix': '{ }', 'modules/signing.nix': closed(`${SSH}\n${line}`) }), [
    {
      at: range,
      severity: 'warning',
      message: `No module we can read declares a file 'kye' of generator 'ssh-host', and this clan declares no machine. Did you mean 'key'?`,
      explanation: `Evaluation of a machine importing this module fails with "attribute 'kye' missing", unless a module we could not read declares it.`,
      fixes: [{ title: "Change to 'key'", edits: [{ at: range, newText: 'key' }], safe: false }],
    },
  ]);
  for (const file of ['key', 'certificate']) {
    assert.deepEqual(await findings({ 'flake.nix': '{ }', 'modules/signing.nix': closed(`${SSH}\n${read(`config.clan.core.vars.generators.ssh-host.files.${file}.path`)}`) }), [], file);
  }
  // a machine that is read and imports nothing of it: nothing evaluates the module
  assert.deepEqual(await findings({ 'flake.nix': '{ }', 'machines/a/configuration.nix': closed(''), 'modules/signing.nix': closed(`${SSH}\n${line}`) }), []);
});

test('unknown-var-read: a read of a generator no module declares, in a module no machine we read imports: a likely typo while a machine is open or the clan declares no machine; silent for a name clan-core declares, a name not near one, and when every machine is read', async () => {
  const line = read('config.clan.core.vars.generators.ssh-hots.files.key.path');
  const at = col(line, 'ssh-hots');
  const range = `modules/signing.nix:2:${at}-2:${at + 8}`;
  const expected = (where: string, notRead: string) => [
    {
      at: range,
      severity: 'warning',
      message: `No module we can read declares a generator 'ssh-hots', and ${where}. Did you mean 'ssh-host'?${notRead}`,
      explanation: `Evaluation of a machine importing this module fails with "attribute 'ssh-hots' missing", unless a module we could not read declares it.`,
      fixes: [{ title: "Change to 'ssh-host'", edits: [{ at: range, newText: 'ssh-host' }], safe: false }],
    },
  ];
  assert.deepEqual(await findings({ 'flake.nix': '{ }', 'modules/signing.nix': closed(`${SSH}\n${line}`) }), expected('this clan declares no machine', ''));
  assert.deepEqual(await findings({ 'flake.nix': '{ }', 'machines/a/configuration.nix': open(''), 'modules/signing.nix': closed(`${SSH}\n${line}`) }), expected('no machine we read imports this module', ` ${NOT_READ}`));
  assert.deepEqual(await findings({ 'flake.nix': '{ }', 'machines/a/configuration.nix': closed(''), 'modules/signing.nix': closed(`${SSH}\n${line}`) }), []);
  for (const gen of ['state-version', 'mail-relay']) {
    const own = `  clan.core.vars.generators.state-versions = { files.version = { }; script = "touch $out/version"; };`;
    assert.deepEqual(await findings({ 'flake.nix': '{ }', 'modules/signing.nix': closed(`${SSH}\n${own}\n${read(`config.clan.core.vars.generators.${gen}.files.version.path`)}`) }), [], gen);
  }
});

/** A module declaring shared generator `ca` with files key and key.pub (and `extra` in it). */
const CA = (extra = '') => `{ pkgs, ... }: {\n  clan.core.vars.generators.ca = { share = true; files.key = { }; files."key.pub".secret = false;${extra} script = "touch $out/key $out/key.pub"; };\n}\n`;
const readCa = (file: string) => read(`config.clan.core.vars.generators.ca.files.${file}.path`);

test('unknown-var-read: on a machine with every module read, a file its shared generator lacks is its own error, not one told from another machine', async () => {
  const line = readCa('crt');
  const at = col(line, 'crt');
  const found = await findings({
    'flake.nix': '{ }',
    'modules/ca.nix': CA(),
    'machines/a/configuration.nix': `{ config, ... }: {\n  imports = [ ../../modules/ca.nix ];\n${line}\n}\n`,
    'machines/b/configuration.nix': '{ imports = [ ../../modules/ca.nix ]; }\n',
  });
  assert.deepEqual(
    found.map((f) => [f.at, f.severity, f.message, f.explanation]),
    [[`machines/a/configuration.nix:2:${at}-2:${at + 3}`, 'error', "Generator 'ca' of machine 'a' declares no file 'crt'.", `${THROWN('crt')}.`]],
  );
});

test('unknown-var-read: on an open machine, a file of a shared generator that the machine with every module read declares is no finding', async () => {
  // b adds `crt` to the shared ca; a's modules we read do not, but one we could not read may
  const found = await findings({
    'flake.nix': '{ }',
    'modules/ca.nix': CA(),
    'machines/a/configuration.nix': `{ inputs, config, ... }: {\n  imports = [ inputs.x.nixosModules.y ../../modules/ca.nix ];\n${readCa('crt')}\n}\n`,
    'machines/b/configuration.nix': '{ imports = [ ../../modules/ca.nix ]; clan.core.vars.generators.ca.files.crt = { }; }\n',
  });
  assert.deepEqual(found, []);
});

test('unknown-var-read: a shared file a letter away from one the machine with every module read declares: did you mean, without listing its files', async () => {
  const line = readCa('kye');
  const at = col(line, 'kye');
  const range = `machines/a/configuration.nix:2:${at}-2:${at + 3}`;
  assert.deepEqual(
    await findings({
      'flake.nix': '{ }',
      'modules/ca.nix': CA(),
      'machines/a/configuration.nix': `{ inputs, config, ... }: {\n  imports = [ inputs.x.nixosModules.y ../../modules/ca.nix ];\n${line}\n}\n`,
      'machines/b/configuration.nix': '{ imports = [ ../../modules/ca.nix ]; }\n',
    }),
    [
      {
        at: range,
        severity: 'error',
        message: "Shared generator 'ca' declares no file 'kye' on machine 'b', whose modules are all read, so it has none on machine 'a' either. Did you mean 'key'?",
        explanation: `${THROWN('kye')}; were it declared there by a module we could not read, clan vars generate would stop with "Machines b and a have different definitions for shared generator 'ca' (differ in: files)".`,
        fixes: [{ title: "Change to 'key'", edits: [{ at: range, newText: 'key' }], safe: false }],
      },
    ],
  );
});

test("unknown-var-read: a module a clan service's role gives a machine the clan does not declare is on no machine of ours: nothing said, and the clan's other reads are still checked", async () => {
  const found = await findings({
    'flake.nix': '{ }',
    'clan.nix': `{ inventory.instances.extra = { module.name = "importer"; roles.default.machines.ghost = { }; roles.default.extraModules = [ ({ config, ... }: { environment.etc.g.source = config.clan.core.vars.generators.ssh-hots.files.key.path; }) ]; }; }\n`,
    'machines/a/configuration.nix': closed(`${SSH}\n${read('config.clan.core.vars.generators.ssh-host.files.kye.path')}`),
  });
  assert.deepEqual(
    found.map((f) => `${f.at.split(':')[0]} ${f.message}`),
    ["machines/a/configuration.nix Generator 'ssh-host' of machine 'a' declares no file 'kye'. Did you mean 'key'?"],
  );
});

test("unknown-var-read: on an open machine, a likely typo of a file of a clan-core service's generator (clan-core read from a checkout)", async () => {
  const clanCore = writeTree({
    'clanServices/sshd/default.nix': `{ ... }: { _class = "clan.service"; manifest.name = "sshd"; roles.server.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.openssh = { files."ssh.id_ed25519" = { }; files."ssh.id_ed25519.pub".secret = false; script = "ssh-keygen -f $out/ssh.id_ed25519"; }; }; }; }\n`,
  });
  roots.push(clanCore);
  const line = read('config.clan.core.vars.generators.openssh.files."ssh.id_ed2519".path');
  const found = await findings(
    {
      'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; module.input = "clan-core"; roles.server.tags.all = { }; }; }; }; }\n`,
      'machines/a/configuration.nix': open(line),
    },
    { clanCorePath: clanCore },
  );
  assert.deepEqual(
    found.map((f) => [f.severity, f.message, f.fixes[0]?.edits[0].newText]),
    [['warning', `No module we can read declares a file 'ssh.id_ed2519' of generator 'openssh' for machine 'a'. Did you mean 'ssh.id_ed25519'? ${NOT_READ}`, '"ssh.id_ed25519"']],
  );
});

/** The rule's findings in the editor's incremental analysis, `file:line message`. */
function editorFindings(index: WorkspaceAnalysis, root: string): string[] {
  return [...index.allProblems().values()]
    .flat()
    .filter((p) => p.code === 'unknown-var-read')
    .map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.message}`)
    .sort();
}

async function editor(files: Record<string, string>): Promise<{ index: WorkspaceAnalysis; root: string }> {
  const root = writeTree(files);
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load(), () => {});
  await index.scan();
  return { index, root };
}

test('unknown-var-read in the editor: a read typed into a file that declares nothing is checked at once', async () => {
  const { index, root } = await editor({ 'flake.nix': '{ }', 'machines/a/configuration.nix': `{ imports = [ ./reader.nix ];\n${SSH}\n}\n`, 'machines/a/reader.nix': '{ config, ... }: let k = config.clan.core.vars.generators.ssh-host.files.key.path; in { environment.etc.k.source = k; }\n' });
  assert.deepEqual(editorFindings(index, root), []);
  index.updateFromText(`${root}/machines/a/reader.nix`, '{ config, ... }: let k = config.clan.core.vars.generators.ssh-host.files.kye.path; in { environment.etc.k.source = k; }\n');
  assert.deepEqual(editorFindings(index, root), ["machines/a/reader.nix:1 Generator 'ssh-host' of machine 'a' declares no file 'kye'. Did you mean 'key'?"]);
});

test('unknown-var-read in the editor: a machine made to import a module that reads a generator it lacks gets the finding at once', async () => {
  const { index, root } = await editor({
    'flake.nix': '{ }',
    'modules/web.nix': closed(read('config.clan.core.vars.generators.ssh-host.files.key.path')),
    'machines/a/configuration.nix': `{ imports = [ ../../modules/web.nix ];\n${SSH}\n}\n`,
    'machines/b/configuration.nix': '{ imports = [ ]; }\n',
  });
  assert.deepEqual(editorFindings(index, root), []);
  index.updateFromText(`${root}/machines/b/configuration.nix`, '{ imports = [ ../../modules/web.nix ]; }\n');
  assert.deepEqual(editorFindings(index, root), ["modules/web.nix:2 Machine 'b' has no generator 'ssh-host'."]);
});

test("unknown-var-read in the editor: a registry edit that takes a machine's generator away is checked at once in the modules reading it", async () => {
  // the matrix gives machine a key `db`; renaming the key in the registry leaves a without db-password
  const registry = (key: string) => `{ pkgs ? null }: {\n  ${key} = { generator = "db-password"; files.value = { }; script = "touch $out/value"; };\n}\n`;
  const { index, root } = await editor({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': registry('db'),
    'lib/machine-env-matrix.nix': '{ a = [ "db" ]; }\n',
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script prompts; }; }) keys)\n',
    'machines/a/configuration.nix': `{ config, pkgs, ... }:\nlet gens = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).a; inherit pkgs; };\nin {\n  clan.core.vars.generators = gens;\n${read('config.clan.core.vars.generators.db-password.files.value.path')}\n}\n`,
  });
  assert.deepEqual(editorFindings(index, root), []);
  index.updateFromText(`${root}/lib/secret-registry.nix`, registry('dc'));
  assert.deepEqual(editorFindings(index, root), ["machines/a/configuration.nix:5 Machine 'a' has no generator 'db-password'."]);
});

test("unknown-var-read in the editor: an edit of a file the registry imports that gives a machine's key an entry whose generator is not known makes the machine open at once (only the evaluated registry changed)", async () => {
  // a has keys db and x; x has no entry until lib/extra.nix gives it one without a generator name: a may then have any generator
  const { index, root } = await editor({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': '{ pkgs ? null }: {\n  db = { generator = "db-password"; files.value = { }; script = "touch $out/value"; };\n} // import ./extra.nix\n',
    'lib/extra.nix': '{ }\n',
    'lib/machine-env-matrix.nix': '{ a = [ "db" "x" ]; }\n',
    'machines/a/configuration.nix': closed(read('config.clan.core.vars.generators.postgres.files.value.path')),
  });
  assert.deepEqual(editorFindings(index, root), ["machines/a/configuration.nix:2 Machine 'a' has no generator 'postgres'."]);
  index.updateFromText(`${root}/lib/extra.nix`, '{ x = { envVar = "X_KEY"; }; }\n');
  assert.deepEqual(editorFindings(index, root), []);
});

test('unknown-var-read: a read in a let binding nothing else in the let names is never evaluated (clan\'s disk-id migration leaves one in disko.nix); named anywhere else, it is reported', async () => {
  const disko = (body: string) =>
    `{ config, ... }:\nlet\n  suffix = config.clan.core.vars.generators.disk-id.files.diskId.value;\n  other = 1;\nin\n{\n  ${body}\n}\n`;
  const clan = (body: string) => ({ 'flake.nix': '{ }', 'machines/a/configuration.nix': closed(`  imports = [ ./disko.nix ];\n${SSH}`), 'machines/a/disko.nix': disko(body) });
  // the disk's name no longer uses it, though a comment and a string still say the word: silent
  assert.deepEqual(await findings(clan('# suffix is to prevent disk name collisions\n  disko.devices.disk.main.name = "main-615c41a9";\n  description = "no suffix";')), []);
  // used in the body, in a string, by another binding, or inherited: the read is evaluated
  for (const body of ['disko.devices.disk.main.name = "main-" + suffix;', 'disko.devices.disk.main.name = "main-${suffix}";', 'x = other + suffix;', 'inherit suffix;']) {
    const found = await findings(clan(body));
    assert.equal(found.length, 1, body);
    assert.equal(found[0].message, "Machine 'a' has no generator 'disk-id'.", body);
    assert.equal(found[0].at.split(':')[0], 'machines/a/disko.nix', body);
  }
  // a name that only starts like it (suffix') is another name: silent
  assert.deepEqual(await findings(clan(`x = let suffix' = 1; in suffix';`)), []);
  // named by a binding before it, or read in an attribute set (its value is reachable from outside): reported
  const before = `{ config, ... }:\nlet\n  name = "main-" + suffix;\n  suffix = config.clan.core.vars.generators.disk-id.files.diskId.value;\nin\n{\n  disko.devices.disk.main.name = name;\n}\n`;
  const inSet = `{ config, ... }:\n{\n  environment = { etc = config.clan.core.vars.generators.disk-id.files.diskId.path; };\n}\n`;
  for (const text of [before, inSet]) assert.equal((await findings({ ...clan(''), 'machines/a/disko.nix': text })).length, 1, text);
});
