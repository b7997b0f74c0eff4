// How the module graph (moduleGraph.ts) reads modules: a node's facts (a file of the clan, or of a
// flake input read from outside it), a module reference as the nodes it names or the reason it
// cannot be followed, a node's imports, and a node as chains show it. Nodes are files, inline flake
// modules (`<file>#<index>`) and modules written inline for some machines (`<file>#@<line>:<col>`).
import * as path from 'node:path';
import { Confinement } from '../base/confinement';
import type { ExternalModules } from './inputs/externalModules';
import { CLAN_CORE_MACHINE_GENERATORS, CLAN_CORE_UNREAD } from './clanCoreGenerators';
import { isNixpkgsModule } from './closedModules';
import { contains, type Range } from '../base/types';
import type { ComputedFlakeModules, FileFacts, ModuleRef } from '../facts/types';
import type { NixParser } from '../syntax/nixParser';
import { MODULE_OUTPUTS } from '../facts/modulePaths';
import { evaluateComputedSet, evaluateOwnImports, type ComputedModule, type ComputedSet } from './computedModules';
import { emptyArgValues, evaluateArgImport, type ArgImport } from './argImports';
import { noteRead } from '../facts/eval/context';

/** How a flake-parts clan passes its flake's modules (`flake.modules.<cls>.<name>`) to machines as an argument. */
const FLAKE_MODULES = new Set(['config.flake.modules', 'self.modules', 'inputs.self.modules']);

/** The nodes a module reference names, or why it cannot be followed. */
export type Resolved = { files: string[] } | { reason: string };

export class ModuleLookup {
  /** Files of flake inputs (outside the workspace) read so far, with their facts. */
  readonly outsideFiles = new Map<string, FileFacts>();
  /** Flake modules by `<class>/<name>` -> their definitions: a path, or `<file>#<index>` for one written inline. */
  readonly flakeModules = new Map<string, string[]>();
  /** Aspects of flake-aspects whose modules are more than their classes' definitions, by name ('' for every aspect): why. */
  readonly openAspects = new Map<string, string>();
  /** Sets of flake modules computed from the file tree, with where each is written; evaluated when first needed. */
  readonly computedSets: { file: string; def: ComputedFlakeModules; value?: ComputedSet }[] = [];
  /** The clan's specialArgs and `flake.<x>` definitions, for imports computed from a module argument (argImports.ts). */
  readonly argValues = emptyArgValues();
  /** Those imports evaluated, by where each is written. */
  private readonly argImports = new Map<string, ArgImport>();
  /** Module files' own imports computed in them, evaluated, by file. */
  private readonly computedImports = new Map<string, ComputedModule>();
  /** Modules written inline for some machines, as nodes: where each is written. */
  readonly inlineNodes = new Map<string, { file: string; range: Range }>();

  constructor(
    private readonly root: string,
    private readonly files: Map<string, FileFacts>,
    private readonly outside: ExternalModules,
    private readonly parser: NixParser | null = null,
  ) {}

  /** Facts of a workspace file, or of a file of a flake input read from outside the workspace. */
  factsOf(file: string): FileFacts | undefined {
    const own = this.files.get(file);
    if (own || inside(this.root, file)) return own;
    if (!this.outsideFiles.has(file)) {
      const f = this.outside.read(file);
      if (!f) return undefined;
      this.outsideFiles.set(file, f);
    }
    return this.outsideFiles.get(file);
  }

  /** The file of a node: an inline flake module's (`<file>#<index>`) is the file it is written in. */
  fileOfNode(node: string): string {
    const hash = node.lastIndexOf('#');
    return hash > 0 && !this.factsOf(node) ? node.slice(0, hash) : node;
  }

  /** A module named by its path (a file, or a folder's default.nix) as the node that reads it, or why it cannot be read. */
  moduleAt(p: string): Resolved {
    const file = this.factsOf(p) ? p : path.join(p, 'default.nix');
    if (this.factsOf(file)) return { files: [file] };
    if (!inside(this.root, p)) return { reason: `module outside the clan: ${p}` };
    // the clan's folder itself is `.`
    const rel = path.relative(this.root, p) || '.';
    // whether it is a folder is read from disk: the structure holds while nothing at `p` changes (WorkspaceAnalysis.changedOnDisk)
    noteRead(p);
    return Confinement.within(this.root).isDirectory(p) ? { reason: `folder without default.nix: ${rel}` } : { reason: `module not analysed: ${rel}` };
  }

  /** A module written inline in a file for some machines (an instance role's extraModules) as a node (`<file>#@<line>:<col>`): its imports are those written inside it. */
  inlineNode(file: string, range: Range): string {
    const node = `${file}#@${range.start.line}:${range.start.character}`;
    this.inlineNodes.set(node, { file, range });
    return node;
  }

  /**
   * `from`: the file the reference is written in, when it is a module of the machine's evaluation of
   * its own (not an inline module, not a clan service), whose arguments are the machine's: then an
   * import computed by a function of a module argument (`nflib.scanPaths ./. { }`) is evaluated.
   */
  resolveRef(ref: ModuleRef, from?: string): Resolved {
    if (ref.path) return this.moduleAt(ref.path);
    if (ref.selfPath !== undefined) return this.moduleAt(path.join(this.root, ref.selfPath));
    if (ref.flakeModule) return this.flakeModule(ref.flakeModule);
    if (isNixpkgsModule(ref)) return { files: [] };
    if (ref.argModule) return this.argModule(ref, ref.argModule);
    if (ref.applied && from) return this.argImport(ref, from);
    if (!ref.input && from && this.factsOf(from)?.modules?.computedImports !== undefined) return this.ownImports(ref, from);
    if (!ref.input) return { reason: `a module not known statically (${ref.unknown})` };
    // an input on this machine whose source declares no generators brings none
    const dir = this.outside.inputs.dirs.get(ref.input.name);
    if (dir && this.outside.declaresGenerators(dir) === false) return { files: [] };
    // a module the shipped summary knows (`nixosModules.installer`, `clanLib.test.minifyModule`):
    // clan-core's own machine generators are always assumed
    const names = this.outside.moduleGenerators(ref.input.name, ref.input.attr.replace(/"/g, ''));
    if (names && names.every((n) => CLAN_CORE_MACHINE_GENERATORS.has(n))) return { files: [] };
    const where = this.outside.inputs.missing.includes(ref.input.name) ? ', not on this machine' : '';
    return { reason: `a module of flake input '${ref.input.name}' (${ref.unknown})${where}` };
  }

  /** `modules.nixos.base` for an argument `modules`: the flake's module where the clan's specialArgs give the flake's modules so (`inherit (config.flake) modules;`). */
  private argModule(ref: ModuleRef, { arg, cls, name }: NonNullable<ModuleRef['argModule']>): Resolved {
    const what = `a module not known statically (${ref.unknown})`;
    const whole = this.argValues.specialArgs.get('*');
    if (whole?.length) return { reason: `${what}: the clan's specialArgs are written in a way not known statically` };
    const defs = this.argValues.specialArgs.get(arg) ?? [];
    if (defs.length !== 1) return { reason: `${what}: ${defs.length ? `specialArgs.${arg} is defined more than once` : `'${arg}' is not one of the clan's specialArgs`}` };
    const source = defs[0].def.source?.replace(/[\s()]/g, '');
    if (source !== undefined && FLAKE_MODULES.has(source)) return name.includes('.') ? { reason: `${what}: not a module of the flake's` } : this.flakeModule({ cls, name });
    // `flakeInputs = inputs;`: `flakeInputs.x.nixosModules.y` is input x's
    if (source === 'inputs' || source === 'self.inputs') return this.resolveRef({ range: ref.range, input: { name: cls, attr: name }, unknown: ref.unknown });
    return { reason: `${what}: specialArgs.${arg} is neither the flake's modules nor its inputs` };
  }

  /** A module file's own imports, computed in it: the modules they list (all of them, this reference's among them), or why they cannot be told. */
  private ownImports(ref: ModuleRef, from: string): Resolved {
    let r = this.computedImports.get(from);
    if (!r) this.computedImports.set(from, (r = evaluateOwnImports(this.root, this.parser, from, this.factsOf(from)!.modules!.computedImports!)));
    const what = `a module not known statically (${ref.unknown})`;
    // the evaluation's reason may be another element's of the list (an input's module beside it): not said of this one
    if ('reason' in r) return { reason: what };
    return this.modulesAt(r.paths, what);
  }

  /** The modules at `paths` (files, folders' default.nix), or the first reason one cannot be read, after `what`. */
  private modulesAt(paths: string[], what: string): Resolved {
    const files: string[] = [];
    for (const p of paths) {
      const m = this.moduleAt(p);
      if ('reason' in m) return { reason: `${what}: ${m.reason}` };
      files.push(...m.files);
    }
    return { files };
  }

  /** The file a node is, when it is a module file of its own that is no clan service (see resolveRef). */
  moduleFile(node: string): string | undefined {
    const facts = this.factsOf(node);
    return facts && !facts.modules?.isClanService ? node : undefined;
  }

  /** An import computed by a function of a module argument given by the clan's specialArgs: the modules it lists, or why they cannot be told. */
  private argImport(ref: ModuleRef, from: string): Resolved {
    const key = `${from}\u0000${ref.range.start.line}:${ref.range.start.character}`;
    let r = this.argImports.get(key);
    if (!r) this.argImports.set(key, (r = evaluateArgImport(this.root, this.parser, from, ref.applied!, this.argValues)));
    const what = `a module not known statically (${ref.unknown})`;
    if ('reason' in r) return { reason: `${what}: ${r.reason}` };
    return this.modulesAt(r.paths, what);
  }

  /** A flake module of this clan: each definition written inline (`<file>#<i>`), or a path (`nixosModules.x = ./x;`, a folder too). */
  private flakeModule(fm: { cls: string; name: string }): Resolved {
    const open = this.openAspects.get(fm.name) ?? this.openAspects.get('');
    if (open !== undefined) return { reason: `flake module '${fm.name}' (${fm.cls}): ${open}` };
    const defs = this.flakeModules.get(`${fm.cls}/${fm.name}`);
    if (!defs) return this.computedFlakeModule(fm);
    const files: string[] = [];
    for (const d of defs) {
      const hash = d.lastIndexOf('#');
      if (hash > 0 && this.factsOf(d.slice(0, hash)) && !this.factsOf(d)) {
        files.push(d);
        continue;
      }
      const r = this.moduleAt(d);
      if ('reason' in r) return r;
      files.push(...r.files);
    }
    return { files };
  }

  /**
   * A flake module no definition names literally: from the sets computed from the file tree, its
   * paths; not there, and every set known, it is not defined; else why a set cannot be told.
   */
  private computedFlakeModule(fm: { cls: string; name: string }): Resolved {
    let open: string | null = null;
    const files: string[] = [];
    let found = false;
    for (const set of this.computedSets) {
      if (set.def.cls !== fm.cls) continue;
      set.value ??= evaluateComputedSet(this.root, this.parser, set.file, set.def);
      const where = `${path.relative(this.root, set.file)}:${set.def.range.start.line + 1}`;
      if ('reason' in set.value) {
        open ??= `flake modules (${fm.cls}) computed in ${where}, not known: ${set.value.reason}`;
        continue;
      }
      const m = set.value.modules.get(fm.name);
      if (!m) continue;
      if ('reason' in m) return { reason: `flake module '${fm.name}' (${fm.cls}) computed in ${where}: ${m.reason}` };
      found = true;
      for (const p of m.paths) {
        const r = this.moduleAt(p);
        if ('reason' in r) return r;
        files.push(...r.files);
      }
    }
    if (found) return { files };
    return { reason: open ?? `flake module '${fm.name}' (${fm.cls}) not defined in this clan` };
  }

  /**
   * The names of the flake's own modules of `output` (`nixosModules`: `self.nixosModules`), each with
   * the path it is, where the flake's plain outputs define them only as sets computed from the file
   * tree (a flake-parts module, an input's among them, may add modules of its own; clan-core's adds
   * one per machine): else null.
   */
  outputModules(output: string): Map<string, string | null> | null {
    const cls = MODULE_OUTPUTS[output];
    const sets = this.computedSets.filter((s) => s.def.cls === cls);
    const flakeFile = path.join(this.root, 'flake.nix');
    if (!cls || !sets.length || [...this.flakeModules.keys()].some((k) => k.startsWith(`${cls}/`))) return null;
    const names = new Map<string, string | null>();
    for (const set of sets) {
      if (set.file !== flakeFile || set.def.path.join('.') !== `outputs.${output}`) return null;
      set.value ??= evaluateComputedSet(this.root, this.parser, set.file, set.def);
      if ('reason' in set.value) return null;
      for (const [name, m] of set.value.modules) names.set(name, 'paths' in m && m.paths.length === 1 ? m.paths[0] : null);
    }
    return names;
  }

  /** What a node imports. */
  importsOf(node: string): ModuleRef[] {
    const inline = this.inlineNodes.get(node);
    if (inline) return (this.factsOf(inline.file)?.modules?.imports ?? []).filter((ref) => contains(inline.range, ref.range.start));
    const hash = node.lastIndexOf('#');
    if (hash > 0 && !this.factsOf(node)) return this.factsOf(node.slice(0, hash))?.modules?.flakeModules[Number(node.slice(hash + 1))]?.imports ?? [];
    return this.factsOf(node)?.modules?.imports ?? [];
  }

  /** A node as shown in a chain: relative to the clan, `<input>:<path>`, an inline flake module by name; `via` as it is. */
  show(node: string): string {
    if (!path.isAbsolute(node)) return node;
    if (node.startsWith(CLAN_CORE_UNREAD + '/')) return `clan-core:${node.slice(CLAN_CORE_UNREAD.length + 1)}`;
    const hash = node.lastIndexOf('#');
    const inline = hash > 0 && !this.factsOf(node);
    const file = inline ? node.slice(0, hash) : node;
    const input = inside(this.root, file) ? undefined : [...this.outside.inputs.dirs].find(([, d]) => file.startsWith(d + path.sep));
    const shown = input ? `${input[0]}:${path.relative(input[1], file)}` : inside(this.root, file) ? path.relative(this.root, file) : file;
    if (!inline) return shown;
    const i = Number(node.slice(hash + 1));
    const at = this.inlineNodes.get(node);
    return at ? `${shown}:${at.range.start.line + 1} (inline)` : `${shown}#${this.factsOf(file)?.modules?.flakeModules[i]?.name ?? i}`;
  }
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
