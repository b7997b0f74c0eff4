// The analysis a session keeps up to date change by change must say what a fresh one says of the
// files as they are on disk: every finding, what each machine has, how each machine resolves a
// dependency, and the views (a generator's hover, the dependency graph, the vars view), for each clan
// of the folder. Random sequences of changes (seeded, so a failure replays) to a clan with a registry,
// a matrix, the registry's pipeline, machines, modules, a clan service and inventory.json, vars on disk, a
// sops secret and the keys it is linked to, a machine folder made and deleted (empty, or with its
// configuration), a clan inside it made and unmade by its flake.nix, and links to a module and to a folder of
// modules made and deleted (their targets' edits reported under the real path). Each change is written to disk and
// reported as the editor's watcher reports it (WorkspaceAnalysis.watchedFileChanged, what the server
// calls); some edits come from the editor first (its text, then the save's report of an open
// document), some are typed and not saved (checked against the folder with the editor's texts over
// it), and an open document may be closed without saving (the server reads the file again). After
// each change, the session is checked against a new WorkspaceAnalysis that scans the folder; with
// the server's pause before the registry pipeline is evaluated, once the evaluation landed. Texts with syntax errors are left out: a file that stops
// parsing keeps its last good generators in a session, by design.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { openReasons } from '../../server/src/model/machineModel';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { generatorHover } from '../../server/src/ide/hoverText';
import { buildDependencyGraph } from '../../server/src/ide/graph/build';
import { clanVarsStatus } from '../../server/src/ide/vars/varsStatus';
import { removeTree, writeTree } from '../helpers/tempClan';
import { Rng } from '../../fuzz/rng';
import { newKey, type TestKey } from '../helpers/secretsClan';
import { encryptSopsSecret } from '../helpers/sopsEncrypt';

const gen = (name: string, body = '') => `${name} = { files.k = { }; script = "echo > $out/k"; ${body} };`;
const module = (...gens: string[]) => `{ clan.core.vars.generators = { ${gens.join(' ')} }; }\n`;
const pipeline = (m: string, imports = '') => `{ pkgs, ... }: {\n  imports = [ ${imports} ];\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).${m}; inherit pkgs; };\n}\n`;
const registry = (entries: string) => `{ pkgs ? null }: {\n${entries}}\n`;
const entry = (key: string, generator: string, file = 'value') => `  ${key} = { generator = ${generator}; files.${file} = { }; script = "touch $out/${file}"; };\n`;

const service = (peer: string, body = '') => `{
  _class = "clan.service";
  roles.controller.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.vpn-ca = { files.ca = { }; script = "echo > $out/ca"; }; }; };
  roles.peer.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.${peer} = { ${body} }; }; };
}\n`;

/** A flake.lock locking clan-core as `locked` says. */
const lockOf = (locked: object) => JSON.stringify({ version: 7, root: 'root', nodes: { root: { inputs: { 'clan-core': 'clan-core' } }, 'clan-core': { locked, original: {} } } });

/** What each file may hold from one change to the next; null: deleted. */
const TEXTS: Record<string, (string | null)[]> = {
  'machines/m0/configuration.nix': [
    pipeline('m0', '../../modules/a.nix'),
    pipeline('m0', '../../modules/a.nix ../../modules/b.nix'),
    pipeline('m0', '../../modules/c.nix ../../modules/b.nix'),
    pipeline('m0'),
    module(gen('own', 'dependencies = [ "wifi-psk" ];')),
    // through the links (LINKS), when they are there
    pipeline('m0', '../../mods ../../modules/b.nix'),
    pipeline('m0', '../../modules/linked.nix'),
  ],
  'machines/m1/configuration.nix': [
    pipeline('m1'),
    pipeline('m1', '../../modules/b.nix'),
    pipeline('m1', '../../modules/c.nix ../../modules/a.nix'),
    `{ imports = [ ../../modules/b.nix ]; }\n`,
    null,
    pipeline('m1', '../../modules/dir'),
    // through the links (LINKS), when they are there
    pipeline('m1', '../../modules/linked.nix ../../mods'),
  ],
  // a folder imported as a module: its default.nix, which may come and go
  'modules/dir/default.nix': [module(gen('d', 'dependencies = [ "x" ];')), `{ imports = [ ./part.nix ]; }\n`, null],
  'modules/dir/part.nix': [module(gen('x', 'files.k4 = { };')), null],
  'modules/a.nix': [
    module(gen('x')),
    module(gen('x', 'dependencies = [ "wifi-psk" ];')),
    module(gen('reader', 'dependencies = [ "api-token" ]; script = "cat $in/api-token/value > $out/k";')),
    module(gen('reader', 'dependencies = [ "api-token" ]; script = "cat $in/api-token/valu > $out/k";')),
    `{ config, ... }: { clan.core.vars.generators."x_\${config.n}" = { files.k = { }; script = "echo > $out/k"; }; }\n`,
    module(gen('x', 'share = true;')),
    null,
  ],
  'modules/b.nix': [module(gen('y', 'dependencies = [ "x" ];')), module(gen('x', 'files.k2 = { };')), module(gen('y', 'dependencies = [ "nope" ];')), '{ }\n', null],
  // what the script and file rules read: prompts, public files, a script reading a dependency's file, a cycle, runtime inputs
  'modules/c.nix': [
    null,
    module(gen('z', 'prompts.pw = { }; script = "cat $prompts/pw > $out/k";')),
    module(gen('z', 'prompts.pw = { }; script = "cat $prompts/pass > $out/k";')),
    module(gen('z', 'dependencies = [ "x" ]; files.k.secret = false; script = "cat $in/x/k > $out/k";')),
    module(gen('z', 'dependencies = [ "y" ];'), gen('y', 'dependencies = [ "z" ];')),
    `{ pkgs, ... }: ${module(gen('z', 'runtimeInputs = [ pkgs.openssl ]; script = "openssl rand -hex 8 > $out/k; wg genkey > $out/k";'))}`,
    module(gen('x', 'files.k3 = { }; script = "echo > $out/k3";')),
  ],
  'lib/secret-registry.nix': [
    registry(entry('wifi', '"wifi-psk"') + entry('api', '"api-token"')),
    registry(entry('wifi', '"wifi-key"') + entry('api', '"api-token"')),
    registry(entry('wifi', '"wifi-psk"') + entry('api', '"api-token"', 'token')),
    registry(entry('wifi', '"wifi-psk"') + entry('api', '"api-token"') + entry('spare', '"x"')),
    registry(entry('wifi', '"wifi-psk"') + entry('vpn', '"vpn-${pkgs.system}"')),
    'builtins.fromJSON (builtins.readFile ./registry.json)\n',
    registry(entry('wifi', '"wifi-psk"') + '  api = { generator = "api-token"; share = true; files.value = { }; script = "touch $out/value"; };\n'),
    registry(entry('wifi', '"x"') + entry('api', '"api-token"')),
  ],
  // a clan service of the clan's own, and its instances
  'clan.nix': [
    '{ modules.vpn = ./services/vpn.nix; inventory.instances.v = { module = { name = "vpn"; input = "self"; }; roles.peer.machines.m0 = { }; }; }\n',
    '{ modules.vpn = ./services/vpn.nix; inventory.instances.v = { module = { name = "vpn"; input = "self"; }; roles.peer.machines.m1 = { }; roles.controller.machines.m0 = { }; }; }\n',
    '{ modules.vpn = ./services/vpn.nix; inventory.instances.v = { module = { name = "vpn"; input = "self"; }; roles.peer.tags.all = { }; }; }\n',
    '{ }\n',
    // clan-core's zerotier service: its generators come from the clan-core the flake locks
    '{ modules.vpn = ./services/vpn.nix; inventory.instances.zerotier = { roles.controller.machines.m0 = { }; roles.peer.machines.m1 = { }; }; }\n',
  ],
  'services/vpn.nix': [service('vpn-peer'), service('vpn-key', 'dependencies = [ "wifi-psk" ];'), service('x', 'files.k = { };'), service('"vpn-${instanceName}"'), service('z', 'share = true; files.k = { };'), null],
  // machines the inventory names (m3 has no folder)
  'inventory.json': [null, JSON.stringify({ machines: { m0: {}, m3: { tags: ['all'] } } }), JSON.stringify({ machines: { m1: { machineClass: 'darwin' } } })],
  // another clan inside this one, when its flake.nix is there
  'sub/flake.nix': [null, '{ }\n'],
  'sub/machines/s0/configuration.nix': [module(gen('x', 'dependencies = [ "y" ];')), `{ imports = [ ../../modules/c.nix ]; }\n`, null],
  'sub/modules/c.nix': [module(gen('y')), module(gen('wifi-psk')), null],
  // the clan-core the flake locks: a revision the shipped summary knows (0542e4dd: its zerotier service's generators are known),
  // another it knows (bce2dff5: they depend on values not known statically), one it does not know, or none
  'flake.lock': [
    null,
    lockOf({ type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: '0542e4dd8ad62964eb1b38b2a6bfa734fa28a448', narHash: 'sha256-8bfvrjIDDbo/5mcLQs99pCWnokv7IFs07Xnm3J9TuEs=', lastModified: 1775649136 }),
    lockOf({ type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: 'bce2dff5cefb6a5103045d8c7cb6a5359e57d368', narHash: 'sha256-+ii1eDukr3eBaFi9XLC8VegCFGoOPLjOqfrGNgVidIQ=', lastModified: 1774357514 }),
    lockOf({ type: 'tarball', url: 'https://git.clan.lol/api/v1/repos/clan/clan-core/archive/0000000000000000000000000000000000000000.tar.gz', narHash: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', lastModified: 1753100016 }),
  ],
  // the clan's flake.nix: with clan named, or not (then its generators alone make it a clan)
  'flake.nix': ['{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n', '{ outputs = _: { }; }\n'],
  // what clan vars generate put on disk: the vars view, the graph and the machines named on disk read it
  'vars/per-machine/m0/x/k/value': [null, 'v\n'],
  'vars/per-machine/m0/x/.validation-hash': [null, 'abc\n'],
  'vars/per-machine/m1/wifi-psk/value/value': [null, 'psk'],
  'vars/shared/api-token/value/value': [null, 'token\n'],
  'vars/per-machine/m9/old/k/value': [null, 'v\n'],
  'lib/machine-env-matrix.nix': ['{\n  m0 = [ "wifi" "api" ];\n  m1 = [ "api" ];\n}\n', '{\n  m0 = [ "wifi" ];\n  m1 = [ "api" "wifi" ];\n}\n', '{\n  m0 = [ "wifi" "wifi" ];\n  m1 = [ "vpn" ];\n}\n', '{\n  m0 = [ "api" "nokey" ];\n}\n', '{ }\n'],
};

/** The texts of the sops key files and the secret (age keys and sops encryption are made in `before`): whose keys the secret is encrypted for, and whose keys the machine and the user have. */
const SOPS = ['sops/machines/m0/key.json', 'sops/users/admin/key.json', 'vars/per-machine/m0/z/k/secret'];

const START = (): Record<string, string> => ({
  'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
  ...Object.fromEntries(Object.entries(TEXTS).flatMap(([f, texts]) => (texts[0] === null ? [] : [[f, texts[0]]]))),
});

/**
 * Links that come and go: a file linked to a module, and a folder linked to the module folder, which
 * the scan walks first (`mods` is before `modules` and less deep than `modules/dir`), so that the
 * folder's files are found under the link only. The watcher reports an edit of their targets under
 * the real path.
 */
const LINKS: [string, string][] = [
  ['modules/linked.nix', 'c.nix'],
  ['mods', 'modules/dir'],
];

const NAMES = ['wifi-psk', 'wifi-key', 'api-token', 'x', 'y', 'z', 'own', 'vpn-x86_64-linux', 'vpn-peer', 'vpn-key', 'vpn-ca'];

let parser: NixParser;
const roots: string[] = [];
before(async () => {
  parser = await NixParser.load();
  const [a, b] = [await newKey(), await newKey()];
  const key = (k: TestKey) => JSON.stringify([{ publickey: k.recipient, type: 'age' }]);
  const [machine, user, secret] = SOPS;
  TEXTS[machine] = [key(a), key(b), null];
  TEXTS[user] = [key(b), key(a)];
  TEXTS[secret] = [null, await encryptSopsSecret('s', [a.recipient]), await encryptSopsSecret('s', [a.recipient, b.recipient]), '{ "sops": '];
});
after(() => roots.forEach(removeTree));

/** Every finding, what each machine has and how it resolves `NAMES`, in a comparable form. */
function answers(index: WorkspaceAnalysis, root: string): string[] {
  const rel = (f: string) => path.relative(root, f);
  const problems = [...index.allProblems().values()].flat().map((p) => `${rel(p.file)}:${p.range.start.line}:${p.range.start.character} ${p.code} ${p.message}`.replaceAll(root, '<root>'));
  // each clan of the folder (a flake.nix below it makes another)
  return [...problems.sort(), ...index.clanRoots().flatMap(({ root: r }) => [`clan ${rel(r)}`, ...clanAnswers(index, r, root)])];
}

function clanAnswers(index: WorkspaceAnalysis, clanRoot: string, root: string): string[] {
  const rel = (f: string) => path.relative(root, f);
  const model = index.clan(clanRoot).machineModel();
  const machines = [...model.machines.values()].flatMap((v) => [
    `${v.name}: ${[...v.generators].map(([n, d]) => `${n}@${d.map((g) => `${rel(g.file)}:${g.name.range.start.line}`).join(',')}`).sort().join(' ')}${openReasons(v).length ? ` open: ${openReasons(v).join('; ')}` : ''}`,
    ...NAMES.map((n) => `${v.name} -> ${n}: ${JSON.stringify(model.resolveDependency(v.name, n))}`),
  ]);
  // the views: a generator's hover, the dependency graph, the vars view (each from the same model and findings)
  const clan = index.clan(clanRoot);
  const found = [...index.allProblems().values()].flat();
  const views = [
    ...NAMES.map((n) => `hover ${n}: ${generatorHover(clan, n)}`),
    `graph: ${JSON.stringify(buildDependencyGraph(clan, found))}`,
    `vars: ${JSON.stringify(clanVarsStatus(clan, found))}`,
  ].map((l) => l.replaceAll(root, '<root>'));
  return [...machines, ...views];
}

/** `deferMs`: the server's pause in typing before the registry pipeline is evaluated (0: at once, as the checker); the session is compared once the evaluation landed. */
async function run(seed: number, steps: number, deferMs = 0): Promise<void> {
  const root = writeTree(START());
  for (const [link, to] of LINKS) fs.symlinkSync(to, path.join(root, link));
  // the secret's links to the keys of the machine and the user it is for (the folders stay when a key file goes)
  for (const [link, to] of [['machines/m0', SOPS[0]], ['users/admin', SOPS[1]]]) {
    const at = path.join(root, 'vars/per-machine/m0/z/k', link);
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(at), path.dirname(path.join(root, to))), at);
  }
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, parser);
  index.evaluations.deferMs = deferMs;
  await index.scan();
  index.allProblems();
  const rng = new Rng(seed);
  const pick = (n: number) => rng.int(0, n - 1);
  const files = Object.keys(TEXTS);
  const done: string[] = [];
  /** The open documents whose text in the editor is not on disk. */
  const open = new Map<string, string>();
  index.openInEditor = (f) => open.has(f);
  /** The editor's text of an open document indexed, as the server does (its tree is the document's). */
  const typeInEditor = (file: string, text: string) => {
    const tree = parser.parse(text);
    try {
      index.updateFromDocument({ file, text, tree, parseError: null });
    } finally {
      tree.delete();
    }
  };
  /** A change the watcher reports, as the server takes it: where a link changed, the open documents are indexed again. */
  const watched = async (file: string, deleted: boolean, isOpen: (f: string) => boolean = (f) => open.has(f)) => {
    if (await index.watchedFileChanged(file, deleted, isOpen)) for (const [f, t] of open) typeInEditor(f, t);
  };
  for (let step = 0; step < steps; step++) {
    // a machine's folder made with its configuration, or deleted with it (the watcher reports the folder
    // too); or m4's made empty (nothing but the watcher's report of the folder tells of it) or deleted
    if (pick(6) === 0) {
      const name = pick(3) === 0 ? 'm4' : 'm2';
      const folder = path.join(root, 'machines', name);
      const made = !fs.existsSync(folder);
      if (!made) fs.rmSync(folder, { recursive: true });
      else if (name === 'm4') fs.mkdirSync(folder);
      else writeFile(path.join(folder, 'configuration.nix'), pipeline('m2', '../../modules/b.nix'));
      await watched(folder, !made);
      if (made && name === 'm2') await watched(path.join(folder, 'configuration.nix'), false);
      done.push(`machines/${name} ${made ? 'made' : 'deleted'}`);
      await check(done);
      continue;
    }
    // a link made or deleted
    if (pick(10) === 0) {
      const [link, to] = LINKS[pick(LINKS.length)];
      const at = path.join(root, link);
      const made = !isLink(at);
      if (made) fs.symlinkSync(to, at);
      else fs.rmSync(at);
      await watched(at, !made);
      done.push(`link ${link} ${made ? 'made' : 'deleted'}`);
      await check(done);
      continue;
    }
    const file = files[pick(files.length)];
    const text = TEXTS[file][pick(TEXTS[file].length)];
    const abs = path.join(root, file);
    const kind = pick(6);
    // an open document closed without saving: the server reads the file from disk again
    if (kind === 0 && open.size) {
      const closed = [...open.keys()][pick(open.size)];
      open.delete(closed);
      await index.documentClosed(closed);
      done.push(`${path.relative(root, closed)} closed`);
      await check(done);
      continue;
    }
    // a .nix file typed in the editor and not saved: the session reads the editor's text, and a fresh analysis must too
    if (kind === 1 && text !== null && file.endsWith('.nix') && (open.has(abs) || index.facts.has(abs))) {
      open.set(abs, text);
      typeInEditor(abs, text);
      done.push(`${file} text ${TEXTS[file].indexOf(text)} typed, not saved`);
      await check(done);
      continue;
    }
    // a .nix file that is there typed in the editor and saved: the editor's text first, then the watcher's report of the open document
    const typed = kind === 2 && text !== null && file.endsWith('.nix') && index.facts.has(abs) && !open.has(abs);
    if (typed) typeInEditor(abs, text);
    if (text === null) fs.rmSync(abs, { force: true });
    else writeFile(abs, text);
    await watched(abs, text === null, (f) => (typed && f === abs) || open.has(f));
    done.push(`${file} ${text === null ? 'deleted' : `text ${TEXTS[file].indexOf(text)}${typed ? ' typed and saved' : ''}`}${open.has(abs) ? ' (open, not saved)' : ''}`);
    await check(done);
  }

  async function check(done: string[]): Promise<void> {
    // the pause in typing over: what the server publishes once the evaluation landed (a publish may schedule another)
    for (index.allProblems(); index.evaluations.pending(); index.allProblems()) await index.evaluations.whenLanded();
    const updated = answers(index, root);
    // the files as the editor has them: those on disk, the open documents' texts over them
    let folder = root;
    if (open.size) {
      withOpen++;
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-random-'));
      roots.push(folder);
      fs.cpSync(root, folder, { recursive: true, verbatimSymlinks: true });
      for (const [f, t] of open) writeFile(path.join(folder, path.relative(root, f)), t);
    }
    const fresh = new WorkspaceAnalysis(folder, DEFAULT_SETTINGS, parser);
    await fresh.scan();
    assert.deepEqual(updated, answers(fresh, folder), `seed ${seed}, after ${done.join(', ')}: the analysis kept up to date says what a fresh one says`);
    seen.add(updated.join('\n'));
  }
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** The distinct states the runs checked: many, or the changes test little. */
const seen = new Set<string>();
/** How many checks had open documents whose text is not on disk. */
let withOpen = 0;

test('analysis: after random changes to the registry, the matrix, machines and modules, as the watcher reports them, every finding and machine is what a fresh analysis gives', async () => {
  for (let seed = 1; seed <= 12; seed++) await run(seed, 50);
  assert.ok(seen.size > 100, `${seen.size} distinct states checked`);
  assert.ok([...seen].some((state) => state.split('\n').includes('clan sub')), 'some states have the clan inside this one');
  assert.ok([...seen].some((state) => state.split('\n').some((l) => l.startsWith('m4:'))), 'some states have the empty machine folder');
  assert.ok([...seen].some((state) => state.includes('zerotier-controller@')), 'some states have the zerotier generators of the clan-core the flake locks');
  for (const code of ['secret-recipients-outdated', 'broken-secret-link']) assert.ok([...seen].some((state) => state.includes(` ${code} `)), `some states have ${code}`);
  assert.ok(withOpen > 50, `${withOpen} checks with documents open and not saved`);
  assert.ok([...seen].some((state) => state.includes('@mods/')) && [...seen].some((state) => state.includes('@modules/linked.nix')), 'some states have generators found through the links');
});

test("analysis: with the server's pause before the registry pipeline is evaluated, once the evaluation landed, every finding and machine is what a fresh analysis gives", async () => {
  for (let seed = 1; seed <= 6; seed++) await run(seed, 40, 5);
});
