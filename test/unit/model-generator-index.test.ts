// The generator index (model/clanModel.ts GeneratorIndex) is kept up to date file by file: a
// keystroke replaces one file's generators, an evaluation of the registry replaces the registry
// file's, a registry the extraction understands closes the sets its pipeline computes. After any
// sequence of such changes it must say what an index built from the files as they are now says:
// the same generators in the same order, the same declarations under each name and dependency, the
// same computed names, whether names are open, the same "did you mean". Its versions must move as
// their comments promise: `version` on every change, `namesVersion` exactly when the set of names
// changed. Checked over random sequences of edits (seeded, so a failure can be replayed) of real
// Nix texts parsed by the real grammar, and registries evaluated by the real evaluator.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { extractFile, type FileRoles } from '../../server/src/facts/file';
import type { FileFacts, Generator } from '../../server/src/facts/types';
import { buildClanModel, generatorDeclared, generatorMayExist, GeneratorIndex, relativeToClan, withFiles, withGenerators } from '../../server/src/model/clanModel';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { evaluateClan, type ClanEvaluation } from '../../server/src/model/clanEvaluation';
import { readsWithin } from '../../server/src/facts/eval/context';
import { AstCache } from '../../server/src/facts/eval/index';
import { Confinement } from '../../server/src/base/confinement';
import { NixParser } from '../../server/src/syntax/nixParser';
import { removeTree, writeTree } from '../helpers/tempClan';
import { corpusClans } from '../helpers/corpus';
import { Rng } from '../../fuzz/rng';
import { discoverNixFiles, discoveryOrder } from '../../server/src/base/discover';

const gen = (name: string, body = '') => `${name} = { files.k = { }; script = "echo > $out/k"; ${body} };`;
const module = (...gens: string[]) => `{ clan.core.vars.generators = { ${gens.join(' ')} }; }\n`;

/** What a module file may hold, from one edit to the next. */
const MODULES = [
  module(gen('a')),
  module(gen('a', 'dependencies = [ "b" ];'), gen('b')),
  module(gen('b', 'dependencies = [ "a" "c" ];')),
  module(gen('c'), gen('ab')),
  module(gen('zeta', 'dependencies = [ "a" ];')),
  `{ config, ... }: ${module(gen('dep', 'dependencies = [ "ab" config.dep ];'))}`,
  module(),
  '{ pkgs, ... }: { environment.systemPackages = [ pkgs.hello ]; }\n',
  // a name of a form: its pattern; a name computed from nothing known: the names are open
  '{ config, ... }: { clan.core.vars.generators."tor_${config.x}" = { dependencies = [ "b" ]; files.k = { }; }; }\n',
  '{ config, ... }: { clan.core.vars.generators.${config.x} = { files.k = { }; }; }\n',
  '{ config, ... }: { clan.core.vars.generators = { "wg-${config.x}" = { }; a = { files.k2 = { }; }; }; }\n',
  // generator sets the syntax cannot enumerate: the registry's pipeline (closed when the registry is understood), and another
  '{ pkgs, ... }: { clan.core.vars.generators = import ../lib/vars-generators.nix { keys = [ "wifi" ]; inherit pkgs; }; }\n',
  '{ lib, ... }: { clan.core.vars.generators = lib.mapAttrs (n: v: v) (import ./gens.nix); }\n',
  'this is { not nix\n',
];

/** A file of the folder clan-vars-helper reads (`my.secrets.discover.dir`): a set of generators. */
const HELPER_FILES = ['{ api = { files.token = { }; script = "echo > $out/token"; }; }\n', '{ a = { files.k = { }; }; db = { dependencies = [ "api" ]; }; }\n', '{ owner = "me"; }\n'];

const REGISTRY = (entries: string) => `{ pkgs ? null }: {\n${entries}}\n`;
const ENTRY = (key: string, generator: string) => `  ${key} = { generator = ${generator}; files.value = { }; script = "touch $out/value"; };\n`;
const REGISTRIES = [REGISTRY(ENTRY('wifi', '"wifi-psk"') + ENTRY('api', '"a"')), REGISTRY(ENTRY('wifi', '"wifi-key"')), REGISTRY('')];
/** Registry texts the registry file may hold: those above, and one that also declares a generator as a module does. */
const REGISTRY_TEXTS = [...REGISTRIES, REGISTRY(ENTRY('api', '"a"') + '  clan.core.vars.generators.own = { files.k = { }; };\n')];
const GENERATORS_NIX = '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n';

const ROOT = '/clan';
const REGISTRY_FILE = `${ROOT}/lib/secret-registry.nix`;
const GENERATORS_FILE = `${ROOT}/lib/vars-generators.nix`;
const HELPER_MODULE = `${ROOT}/modules/helper.nix`;
const MODULE_FILES = ['machines/m0/configuration.nix', 'machines/m1/configuration.nix', 'modules/one.nix', 'modules/two.nix', 'modules/three.nix', 'vars/other/x.nix'].map((f) => `${ROOT}/${f}`);
const HELPER_DIR_FILES = ['vars/generators/api.nix', 'vars/generators/db.nix'].map((f) => `${ROOT}/${f}`);
/** Another clan's registry, in a folder of this one: its entries are not this clan's generators. */
const OTHER_REGISTRY = `${ROOT}/sub/lib/secret-registry.nix`;

let parser: NixParser;
/** The real evaluations of the registries above (their pipeline over the keys of the matrix). */
const evaluations: ClanEvaluation[] = [];
const roots: string[] = [];

before(async () => {
  parser = await NixParser.load();
  for (const registry of REGISTRIES) {
    const dir = writeTree({ 'lib/secret-registry.nix': registry, 'lib/vars-generators.nix': GENERATORS_NIX, 'lib/machine-env-matrix.nix': '{ m0 = [ "wifi" ]; }\n' });
    roots.push(dir);
    const files = { registryFile: `${dir}/lib/secret-registry.nix`, matrixFile: `${dir}/lib/machine-env-matrix.nix`, generatorsFile: `${dir}/lib/vars-generators.nix` };
    const evaluation = evaluateClan(parser, files, { machines: null }, { reads: readsWithin(Confinement.within(dir)), astCache: new AstCache(10) });
    assert.ok(evaluation.registry?.entries.length === (registry.match(/generator =/g)?.length ?? 0), 'the registry evaluates');
    evaluations.push(evaluation);
  }
});
after(() => roots.forEach(removeTree));

const NO_ROLES: FileRoles = { registry: false, matrix: false };

function facts(file: string, text: string): FileFacts {
  const tree = parser.parse(text);
  try {
    return extractFile(file, tree, file === REGISTRY_FILE || file === OTHER_REGISTRY ? { registry: true, matrix: false } : NO_ROLES, text, parser);
  } finally {
    tree.delete();
  }
}

const at = (g: Generator) => `${path.relative(ROOT, g.file)}:${g.name.range.start.line}:${g.name.range.start.character}:${g.origin}`;
const QUESTIONS = ['aa', 'b', 'wifi', 'tor_x', 'zet', 'dbb', 'apii'];

/** Everything the index answers, in a comparable form. */
function answers(index: GeneratorIndex): unknown {
  // the declarations of a name in file order (what insert keeps); the generators naming a dependency as a set (readers sort them by fileOrder)
  const listed = (m: Map<string, Generator[]>, ordered: boolean) => [...m].map(([k, gs]) => `${k}: ${(ordered ? gs.map(at) : gs.map(at).sort()).join(' ')}`).sort();
  const generators = index.generators;
  // the order fileOrder gives, from generators shuffled the same way each time
  const reversed = [...generators].reverse().sort(index.fileOrder);
  return {
    generators: generators.map(at),
    count: index.count,
    // by file (the map's own order is not read: `generators` gives the clan's order)
    byFile: [...index.byFile].map(([f, gs]) => `${path.relative(ROOT, f)}: ${gs.map(at).join(' ')}`).sort(),
    byName: listed(index.byName, true),
    dependents: listed(index.dependents, false),
    computed: index.computed.map((c) => `${at(c.g)} ${c.glob.pattern}`),
    patterns: index.namePatterns.map((g) => g.pattern),
    open: index.namesOpen,
    fileOrder: reversed.map(at),
    closest: QUESTIONS.map((q) => JSON.stringify(index.closestName(q))),
  };
}

function fresh(files: Map<string, FileFacts>, registry: { evaluation: ClanEvaluation | null; understood: boolean } | null): GeneratorIndex {
  const index = new GeneratorIndex(REGISTRY_FILE, GENERATORS_FILE, files);
  if (registry) index.useRegistry(registry.evaluation, registry.understood, files);
  return index;
}

function run(seed: number, steps: number): void {
  const rng = new Rng(seed);
  const pick = (n: number) => rng.int(0, n - 1);
  const files = new Map<string, FileFacts>();
  const put = (file: string, text: string) => files.set(file, facts(file, text));
  // the files at the start: the helper's folder named, a module, the registry and its pipeline
  put(HELPER_MODULE, '{ lib, ... }: { my.secrets.discover.dir = ../vars/generators; }\n');
  put(MODULE_FILES[0], MODULES[1]);
  put(HELPER_DIR_FILES[0], HELPER_FILES[0]);
  put(REGISTRY_FILE, REGISTRIES[0]);
  put(GENERATORS_FILE, GENERATORS_NIX);
  const index = fresh(files, null);
  let registry: { evaluation: ClanEvaluation | null; understood: boolean } | null = null;
  const names = () => [...index.byName.keys()].sort().join(' ');
  /** `file` given `text` (null: deleted), in the files and the index; what was done, to name a failing step. */
  const edit = (file: string, text: string | null) => {
    if (text === null) files.delete(file);
    else put(file, text);
    index.setFile(file, files.get(file));
    return `${path.relative(ROOT, file)} ${text === null ? 'deleted' : JSON.stringify(text.slice(0, 60))}`;
  };
  for (let step = 0; step < steps; step++) {
    const before = { version: index.version, namesVersion: index.namesVersion, names: names() };
    let what: string;
    const choice = pick(10);
    if (choice < 6) what = edit(MODULE_FILES[pick(MODULE_FILES.length)], pick(5) === 0 ? null : MODULES[pick(MODULES.length)]);
    else if (choice < 8) what = edit(HELPER_DIR_FILES[pick(HELPER_DIR_FILES.length)], pick(4) === 0 ? null : HELPER_FILES[pick(HELPER_FILES.length)]);
    else if (choice < 9) {
      const file = pick(3) === 0 ? OTHER_REGISTRY : REGISTRY_FILE;
      const r = pick(REGISTRY_TEXTS.length + 1);
      what = edit(file, r === REGISTRY_TEXTS.length ? null : REGISTRY_TEXTS[r]);
    } else {
      const e = pick(evaluations.length + 1);
      registry = { evaluation: e === evaluations.length ? null : evaluations[e], understood: pick(2) === 0 };
      index.useRegistry(registry.evaluation, registry.understood, files);
      what = `the registry's evaluation ${e}, ${registry.understood ? 'understood' : 'not understood'}`;
    }
    const where = `seed ${seed}, step ${step} (${what})`;
    assert.deepEqual(answers(index), answers(fresh(files, registry)), `${where}: the index updated says what a fresh one says`);
    assert.ok(index.version >= before.version, `${where}: the version never goes back`);
    // what no fresh index can vouch for, as it is built by the same code
    const generators = index.generators;
    assert.deepEqual([...generators].reverse().sort(index.fileOrder), generators, `${where}: fileOrder orders the generators as the index lists them`);
    assert.deepEqual(generators.filter((g) => g.origin === 'registry' && g.file !== REGISTRY_FILE).map(at), [], `${where}: registry entries are generators of the clan's own registry file only`);
    const evaluated: (string | null)[] | null = registry?.evaluation?.registry?.entries.flatMap((e) => (e.generator ? [e.generator.name] : [])) ?? null;
    const fromRegistry = generators.filter((g) => g.file === REGISTRY_FILE).map((g) => `${g.name.name} ${g.origin}`);
    const own = files.get(REGISTRY_FILE)?.generators ?? [];
    // with an evaluation: what the file declares as a module does, then the evaluation's entries
    const expected: string[] = evaluated ? [...own.filter((g) => g.origin === 'module').map((g) => `${g.name.name} module`), ...evaluated.map((n) => `${n} registry`)] : own.map((g) => `${g.name.name} ${g.origin}`);
    assert.deepEqual(fromRegistry, expected, `${where}: the registry file's generators`);
    const changed = names() !== before.names;
    assert.equal(index.namesVersion > before.namesVersion, changed, `${where}: namesVersion moves exactly when the names changed (${before.names} -> ${names()})`);
  }
}

test('generator index: after random edits of modules, helper files and the registry, and new evaluations, it answers as one built from the files as they are', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) run(seed, 120);
});

test('generator index: every change of a file moves its version, an evaluation with the same generators does not', () => {
  const files = new Map<string, FileFacts>([[MODULE_FILES[0], facts(MODULE_FILES[0], MODULES[0])]]);
  const index = new GeneratorIndex(REGISTRY_FILE, GENERATORS_FILE, files);
  let v = index.version;
  // the same text again is a change all the same (the index does not compare facts)
  index.setFile(MODULE_FILES[0], files.get(MODULE_FILES[0]));
  assert.ok(index.version > v);
  v = index.version;
  index.useRegistry(null, false, files);
  assert.equal(index.version, v, 'no evaluation, not understood: as before');
  index.useRegistry(evaluations[0], false, files);
  assert.ok(index.version > v, "the registry file's generators come from the evaluation");
  v = index.version;
  index.useRegistry(evaluations[0], false, files);
  assert.equal(index.version, v, 'the same evaluation again: nothing to do');
});

test("generator index: the registry's pipeline is a closed set of generators exactly while the registry is understood, whatever its evaluation", () => {
  const pipeline = MODULES.find((m) => m.includes('vars-generators.nix'))!;
  const files = new Map<string, FileFacts>([[MODULE_FILES[2], facts(MODULE_FILES[2], pipeline)]]);
  const index = new GeneratorIndex(REGISTRY_FILE, GENERATORS_FILE, files);
  assert.equal(index.namesOpen, true, 'not understood: the pipeline may make any name');
  for (const evaluation of [null, evaluations[0]]) {
    index.useRegistry(evaluation, true, files);
    assert.equal(index.namesOpen, false, 'understood: the registry says which names');
    index.useRegistry(evaluation, false, files);
    assert.equal(index.namesOpen, true);
  }
});

test('clan model: what it picks from its files, seen through some files or some generators; whether a name may exist; paths as the clan names them', () => {
  const files = new Map<string, FileFacts>();
  for (const [f, text] of [
    [MODULE_FILES[0], MODULES[1]],
    [MODULE_FILES[1], '{ pkgs, ... }: { environment.systemPackages = [ pkgs.hello ]; }\n'],
    [MODULE_FILES[2], MODULES.find((m) => m.includes('tor_'))!],
  ] as const)
    files.set(f, facts(f, text));
  const clan = buildClanModel(ROOT, DEFAULT_SETTINGS, files);
  const named = (gs: readonly Generator[]) => gs.map((g) => g.name.name ?? g.name.pattern);
  const picked = (c: typeof clan) => c.filesWith('generators', (f) => f.generators).map((x) => `${path.relative(ROOT, x.file)}: ${named(x.items).join(' ')}`);
  // built without a keeper of picks, it picks from its own files: those with something picked, in order
  assert.deepEqual(picked(clan), ['machines/m0/configuration.nix: a b', 'modules/one.nix: tor_*']);
  assert.deepEqual(picked(withFiles(clan, new Set([MODULE_FILES[2]]))), ['modules/one.nix: tor_*']);
  // the clan's generators in the order a scan finds their files (modules/one.nix is a folder less deep)
  const some = withGenerators(clan, clan.generators.slice(1));
  assert.deepEqual(named(some.generators), ['a', 'b']);
  assert.deepEqual(named(clan.generators), ['tor_*', 'a', 'b'], 'the model itself is left as it was');
  // a literal name, a name of a declared form, neither; no set the syntax cannot enumerate: no other name may exist
  assert.deepEqual(['a', 'tor_x', 'c'].map((n) => [generatorDeclared(clan, n), generatorMayExist(clan, n)]), [[true, true], [true, true], [false, false]]);
  files.set(MODULE_FILES[1], facts(MODULE_FILES[1], MODULES.find((m) => m.includes('generators.${config.x}'))!));
  const open = buildClanModel(ROOT, DEFAULT_SETTINGS, files);
  assert.deepEqual([generatorDeclared(open, 'c'), generatorMayExist(open, 'c')], [false, true], 'a name computed from nothing known: any name may exist');
  assert.equal(relativeToClan(clan, REGISTRY_FILE), 'lib/secret-registry.nix');
  assert.equal(relativeToClan(clan, ROOT), 'clan', "the clan's own folder by its name");
});

test('the order of files: discoveryOrder sorts every tree as the scan finds its files (the corpus clans, and names with a dash, a dot or a digit beside a folder of their prefix)', async () => {
  const tree = writeTree({ 'a.nix': '', 'a/x.nix': '', 'a-b/x.nix': '', 'a.b/x.nix': '', 'a0/x.nix': '', 'b.nix': '', 'a/a/y.nix': '', 'ab.nix': '', 'Z.nix': '' });
  roots.push(tree);
  const trees = [tree, ...corpusClans()];
  for (const root of trees) {
    const found = await discoverNixFiles(root, Confinement.within(root));
    assert.deepEqual([...found].sort(discoveryOrder), found, `${root}: discoveryOrder is the order discoverNixFiles found its ${found.length} files in`);
    assert.deepEqual([...found].reverse().sort(discoveryOrder), found);
  }
  assert.deepEqual((await discoverNixFiles(tree, Confinement.within(tree))).map((f) => path.relative(tree, f)), ['Z.nix', 'a.nix', 'ab.nix', 'b.nix', 'a/x.nix', 'a-b/x.nix', 'a.b/x.nix', 'a0/x.nix', 'a/a/y.nix']);
});
