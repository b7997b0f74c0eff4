// The facts shipped for clan-core at one revision (scripts/known-inputs.ts): the facts of every file
// of clanServices/ (tests/ left out), nixosModules/ and darwinModules/, rebased to a root token and
// slimmed to what the machine model reads; and which generators each nixosModules.<n> /
// darwinModules.<n> output (and each module of LIB_MODULES) declares.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../../server/src/facts/file';
import type { FileFacts, Generator, ModuleFacts, ModuleRef } from '../../server/src/facts/types';
import { ROOT_TOKEN } from '../../server/src/model/inputs/knownInputs';
import { rebase } from '../../server/src/model/inputs/shippedFacts';
import { isNixpkgsModule } from '../../server/src/model/closedModules';
import type { NixParser } from '../../server/src/syntax/nixParser';

const MAX_FILE_BYTES = 2_000_000;
/** The folders whose .nix files are shipped. */
export const SHIPPED_DIRS = ['clanServices', 'nixosModules', 'darwinModules'];

/** Whether a path (relative to clan-core's root) is one of the files whose facts are shipped. */
export function shippedClanCoreFile(rel: string): boolean {
  const parts = rel.split('/');
  if (!rel.endsWith('.nix') || !SHIPPED_DIRS.includes(parts[0])) return false;
  return parts[0] !== 'clanServices' || !parts.includes('tests');
}

/** The facts of clan-core's shipped files in `dir` (a checkout), by path relative to it, rebased to ROOT_TOKEN and slimmed. */
export function clanCoreFacts(dir: string, parser: NixParser): Map<string, FileFacts> {
  const out = new Map<string, FileFacts>();
  for (const rel of walk(dir).filter(shippedClanCoreFile).sort()) {
    const file = path.join(dir, rel);
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) continue;
    const text = fs.readFileSync(file, 'utf8');
    const tree = parser.parse(text);
    try {
      out.set(rel, rebase(slim(extractFile(file, tree, { registry: false, matrix: false }, text, parser)), dir, ROOT_TOKEN) as FileFacts);
    } finally {
      tree.delete();
    }
  }
  return out;
}

function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/**
 * Only what the machine model and the module graph read of an input's file: generators (names,
 * share, dependencies, files, prompts, options, how they were known), the module structure
 * (imports, flake modules, clan services and roles) and generator sets that cannot be enumerated.
 * Scripts, accesses, legacy secrets and edit positions stay out.
 */
export function slim(f: FileFacts): FileFacts {
  const out: FileFacts = { file: f.file, generators: f.generators.map(slimGenerator), opaqueGeneratorSources: f.opaqueGeneratorSources, importApplies: [], accesses: [] };
  if (f.hasSyntaxErrors) out.hasSyntaxErrors = true;
  if (f.modules) {
    const m: ModuleFacts = { imports: f.modules.imports, flakeModules: f.modules.flakeModules, machineModules: [], instances: [], services: f.modules.services };
    if (f.modules.isClanService) m.isClanService = true;
    if (f.modules.serviceRoles?.length) m.serviceRoles = f.modules.serviceRoles;
    if (f.modules.serviceImports?.length) m.serviceImports = f.modules.serviceImports;
    if (f.modules.settingDefaults) m.settingDefaults = f.modules.settingDefaults;
    out.modules = m;
  }
  return out;
}

function slimGenerator(g: Generator): Generator {
  const out: Generator = {
    name: g.name,
    file: g.file,
    origin: g.origin,
    share: g.share,
    dependencies: g.dependencies,
    // a file's or prompt's conditions (VarFile.conditions) are not shipped yet: clan-core's are taken as unconditional, as before they were read
    files: g.files.map((v) => (v.deploy === undefined ? { name: v.name, range: v.range } : { name: v.name, range: v.range, deploy: v.deploy })),
    prompts: g.prompts.map((p) => ({ name: p.name, range: p.range })),
    options: g.options.map(({ removal: _r, elements: _e, ...o }) => o),
  };
  if (g.aliases?.length) out.aliases = g.aliases;
  if (g.evaluated) out.evaluated = true;
  if (g.filesUnknown) out.filesUnknown = true;
  if (g.nameTemplate) out.nameTemplate = g.nameTemplate;
  if (g.moduleClass) out.moduleClass = g.moduleClass;
  if (g.conditions) out.conditions = g.conditions;
  return out;
}

/** Content address of a file's facts. */
export function factsId(f: FileFacts): string {
  return createHash('sha256').update(JSON.stringify(f)).digest('hex').slice(0, 16);
}

/** A module nixpkgs' library makes to rename or remove options: it declares options, no generators. */
const OPTION_MODULE = /^(lib\.)?(mk(Renamed|Removed|Alias|Changed|Merged)OptionModule(With)?|doRename)\s/;

/**
 * `nixosModules.<n>` / `darwinModules.<n>` -> the generator names their modules declare, read from
 * the flake modules' definitions (`flake.nixosModules.x = ./file`, `.imports = [ ... ]`) and the
 * imports of the files they reach. Modules of clan-core's inputs (sops-nix, disko, data-mesher) are
 * not followed: they are other flakes. A definition bound through a `let` (clanCore) is not seen by
 * the extractor: `roots` (letBoundRoots) names its files. An output that reaches a file outside the
 * shipped set, an import the syntax cannot resolve (but a nixpkgs module, or one nixpkgs' library
 * makes to rename options), or generators it cannot enumerate is left out (not known).
 */
export function moduleGenerators(facts: Map<string, FileFacts>, roots: Record<string, { roots: string[]; skip: string[] }> = {}): Record<string, string[]> {
  const relOf = (p: string) => (p.startsWith(ROOT_TOKEN + '/') ? p.slice(ROOT_TOKEN.length + 1) : null);
  const defs = new Map<string, ModuleRef[]>();
  for (const [rel, f] of facts) {
    if (!rel.endsWith('flake-module.nix')) continue;
    for (const d of f.modules?.flakeModules ?? []) {
      if (d.cls !== 'nixos' && d.cls !== 'darwin') continue;
      const key = `${d.cls}Modules.${d.name}`;
      const refs = defs.get(key) ?? defs.set(key, []).get(key)!;
      if (d.target) refs.push({ range: d.range, path: d.target });
      refs.push(...d.imports);
    }
  }
  for (const [key, r] of Object.entries(roots)) {
    if (!defs.get(key)?.length) defs.set(key, r.roots.map((p) => ({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, path: `${ROOT_TOKEN}/${p}` })));
  }
  const fileOf = (p: string): string | null => {
    const rel = relOf(p);
    if (rel === null) return null;
    return facts.has(rel) ? rel : facts.has(`${rel}/default.nix`) ? `${rel}/default.nix` : null;
  };
  const out: Record<string, string[]> = {};
  next: for (const key of [...defs.keys()].sort()) {
    const names = new Set<string>();
    // files imported only on NixOS (`lib.optionals (_class == "nixos") [...]`) are left out of a darwin output
    const seen = new Set<string>(roots[key]?.skip.map((s) => fileOf(`${ROOT_TOKEN}/${s}`) ?? s) ?? []);
    const queue = [...defs.get(key)!];
    while (queue.length) {
      const ref = queue.pop()!;
      if (ref.flakeModule) {
        const other = defs.get(`${ref.flakeModule.cls}Modules.${ref.flakeModule.name}`);
        if (!other) continue next;
        const id = `#${ref.flakeModule.cls}.${ref.flakeModule.name}`;
        if (!seen.has(id)) seen.add(id), queue.push(...other);
        continue;
      }
      if (ref.input || isNixpkgsModule(ref) || (ref.unknown !== undefined && OPTION_MODULE.test(ref.unknown))) continue;
      const rel = ref.path ? fileOf(ref.path) : null;
      if (!rel) continue next;
      if (seen.has(rel)) continue;
      seen.add(rel);
      const f = facts.get(rel)!;
      if (f.opaqueGeneratorSources.length) continue next;
      for (const g of f.generators) names.add(g.name.name ?? g.name.pattern ?? '*');
      queue.push(...(f.modules?.imports ?? []));
    }
    out[key] = [...names].sort();
  }
  return out;
}

/**
 * Outputs nixosModules/flake-module.nix defines through a `let` binding, which the extractor does not
 * follow: `clanCore` imports ./clanCore and, on darwin, ../darwinModules/hosts.nix; the files
 * nixosModules/clanCore/default.nix imports only when `_class == "nixos"` are left out of the darwin
 * one. Both are read from the checkout's text at each revision; where the binding or the list is not
 * written so, the outputs are not listed (not known).
 */
export function letBoundRoots(dir: string): Record<string, { roots: string[]; skip: string[] }> {
  const module = readText(dir, 'nixosModules/flake-module.nix');
  const core = readText(dir, 'nixosModules/clanCore/default.nix');
  if (!module || !core) return {};
  const bound = /^\s*flake\.nixosModules\.clanCore\s*=\s*clanCore\s*;/m.test(module) && /^\s*clanCore\s*=/m.test(module) && /^\s*\.\/clanCore\s*$/m.test(module);
  const nixosOnly = /\+\+\s*lib\.optionals\s*\(\s*_class\s*==\s*"nixos"\s*\)\s*\[([^\]]*)\]\s*;\s*\}\s*$/.exec(core);
  if (!bound || !nixosOnly || !/\[[^\]]*\]\s*\+\+\s*lib\.optionals/.test(core)) return {};
  const skip = [...nixosOnly[1].matchAll(/\.\/([\w.-]+)/g)].map((m) => `nixosModules/clanCore/${m[1]}`);
  const out: Record<string, { roots: string[]; skip: string[] }> = { 'nixosModules.clanCore': { roots: ['nixosModules/clanCore'], skip: [] } };
  if (/lib\.optionals\s*\(\s*_class\s*==\s*"darwin"\s*\)\s*\[\s*\.\.\/darwinModules\/hosts\.nix\s*\]/.test(module)) out['darwinModules.clanCore'] = { roots: ['nixosModules/clanCore', 'darwinModules/hosts.nix'], skip };
  return out;
}

function readText(dir: string, rel: string): string | null {
  try {
    return fs.readFileSync(path.join(dir, rel), 'utf8');
  } catch {
    return null;
  }
}

/**
 * Modules clan-core's machines import from its library rather than from a module output
 * (`clan-core.clanLib.test.minifyModule` in checks/installation): the output, the file it is, and
 * the binding that makes it so, checked by hand at the five revisions (lib/default.nix binds
 * `test = import ./test`; lib/test/default.nix binds `minifyModule = ./minify.nix`). The binding is
 * checked again at every revision read: where it is not found, the output is not listed (not known).
 */
export const LIB_MODULES: { output: string; file: string; boundIn: string; binding: RegExp }[] = [
  { output: 'clanLib.test.minifyModule', file: 'lib/test/minify.nix', boundIn: 'lib/test/default.nix', binding: /^\s*minifyModule\s*=\s*\.\/minify\.nix\s*;/m },
];

/**
 * The generator names of LIB_MODULES in the checkout `dir`, read with our extractor: a module
 * that imports others or sets generators the syntax cannot list is left out (not known).
 */
export function libModuleGenerators(dir: string, parser: NixParser): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of LIB_MODULES) {
    const bound = readText(dir, m.boundIn);
    const text = readText(dir, m.file);
    if (bound === null || text === null || !m.binding.test(bound)) continue;
    const tree = parser.parse(text);
    try {
      const f = extractFile(path.join(dir, m.file), tree, { registry: false, matrix: false }, text, parser);
      if (f.hasSyntaxErrors || f.opaqueGeneratorSources.length || f.modules?.imports.length) continue;
      out[m.output] = [...new Set(f.generators.map((g) => g.name.name ?? g.name.pattern ?? '*'))].sort();
    } finally {
      tree.delete();
    }
  }
  return out;
}

/** What a clan-core variant ships as its module outputs' generators: module outputs, then library modules. */
export function outputGenerators(dir: string, facts: Map<string, FileFacts>, parser: NixParser): Record<string, string[]> {
  return { ...moduleGenerators(facts, letBoundRoots(dir)), ...libModuleGenerators(dir, parser) };
}

