// The state of every var of a clan: machines -> generators -> files, read from disk for the
// configured backend, with the validation hash compared when it can be computed statically.
// Which generators a machine has is told from: declarations under `machines/<m>/`, the registry
// and matrix, and what is on disk; other module declarations are listed as unassigned.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Generator } from '../model/types';
import type { ClanVarsStatus, FileStatus, GeneratorState, GeneratorStatus, SecretBackend, ValidationStatus } from '../protocol';
import type { ClanModel } from '../model/clanModel';
import { fileStatus, storeContext, type StoreContext } from './fileState';
import { staticValidation, validationHashOf } from './validationHash';

export interface StatusOptions {
  /** The configured secret store; detected from disk when absent. */
  backend?: SecretBackend;
  passwordStores?: string[];
}

export function detectBackend(root: string, hasSops: boolean): { backend: SecretBackend; source: 'disk' | 'default' } {
  const isDir = (p: string) => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  if (isDir(path.join(root, 'secrets', 'clan-vars')) || isDir(path.join(root, 'secrets', 'age-keys'))) return { backend: 'age', source: 'disk' };
  if (hasSops || isDir(path.join(root, 'sops'))) return { backend: 'sops', source: 'disk' };
  return { backend: 'sops', source: 'default' };
}

/** name -> generators that depend on it, transitively. */
function dependentsOf(clan: ClanModel): (name: string) => string[] {
  const reverse = new Map<string, Set<string>>();
  for (const g of clan.generators) {
    if (!g.name.name) continue;
    for (const d of g.dependencies) {
      if (!d.name) continue;
      let s = reverse.get(d.name);
      if (!s) reverse.set(d.name, (s = new Set()));
      s.add(g.name.name);
    }
  }
  return (name) => {
    const out = new Set<string>();
    const todo = [name];
    while (todo.length) for (const n of reverse.get(todo.pop()!) ?? []) if (n !== name && !out.has(n)) out.add(n), todo.push(n);
    return [...out].sort();
  };
}

/** Declared files with their `secret` option: default true, null when not a literal. */
function declaredFiles(clan: ClanModel, decls: Generator[]): { name: string; secret: boolean | null }[] {
  const files = new Map<string, boolean | null>();
  const setSecret = (name: string, v: boolean | null) => {
    const old = files.get(name);
    files.set(name, old === undefined || old === true ? v : old === v ? v : null);
  };
  for (const g of decls) {
    for (const f of g.files) if (!files.has(f.name)) files.set(f.name, true);
    for (const o of g.options) {
      if (o.path.length === 3 && o.path[0] === 'files' && o.path[2] === 'secret') setSecret(o.path[1], typeof o.literal === 'boolean' ? o.literal : null);
      if (o.path.length === 3 && o.path[0] === 'prompts' && o.path[2] === 'persist' && o.literal === true && !files.has(o.path[1])) files.set(o.path[1], true);
    }
    if (g.origin === 'registry') {
      for (const e of clan.registry?.facts.entries ?? []) {
        if (e.generator?.name === g.name.name && e.fileAttr && !files.has(e.fileAttr)) files.set(e.fileAttr, e.secret ?? null);
      }
    }
  }
  return [...files].map(([name, secret]) => ({ name, secret })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

function validationOf(ctx: StoreContext, decls: Generator[], machine: string | null, generator: string, anyFile: boolean): ValidationStatus {
  // read by the disk scan already (it is refreshed after a clan run and on changes under vars/)
  const stored = ctx.disk.validationHashes.get(machine === null ? `shared/${generator}` : `per-machine/${machine}/${generator}`);
  if (decls.length === 0) return { kind: 'unknown', stored, reason: 'not declared in the workspace' };
  if (decls.every((d) => d.origin === 'registry')) return { kind: 'unknown', stored, reason: 'declared through the registry; the generator function needs evaluation' };
  const v = staticValidation(decls);
  if (v.kind === 'unknown') return { kind: 'unknown', stored, reason: `cannot be known without evaluation: ${v.reason}` };
  if (v.kind === 'none') return stored === undefined ? { kind: 'none' } : { kind: 'outdated', stored, reason: '`validation` was removed; clan regenerates once' };
  const expected = validationHashOf(v.value);
  if (stored === undefined) return anyFile ? { kind: 'outdated', expected, reason: 'no hash stored' } : { kind: 'absent', expected };
  return { kind: stored === expected ? 'match' : 'outdated', expected, stored };
}

function stateOf(files: FileStatus[], validation: ValidationStatus): GeneratorState {
  if (files.length === 0) return 'unknown';
  const missing = files.filter((f) => f.state === 'missing').length;
  if (missing === files.length) return 'missing';
  if (missing) return 'partial';
  if (validation.kind === 'outdated') return 'outdated';
  if (files.some((f) => f.state === 'recipients-outdated')) return 'recipients-outdated';
  return 'generated';
}

export function clanVarsStatus(clan: ClanModel, options: StatusOptions = {}): ClanVarsStatus {
  const disk = clan.varsOnDisk();
  const detected = options.backend ? { backend: options.backend, source: 'setting' as const } : detectBackend(clan.root, disk.vars.some((v) => v.kind === 'sops'));
  const ctx = storeContext(clan.root, detected.backend, disk, options.passwordStores);
  const model = clan.machineModel();
  const machines = model.machines;
  const dependents = dependentsOf(clan);

  // generator name -> declarations, split by where they apply
  const perMachine = new Map<string, Map<string, Generator[]>>([...machines.keys()].map((m) => [m, new Map()]));
  const shared = new Map<string, Generator[]>();
  const unassigned = new Map<string, Generator[]>();
  const push = (map: Map<string, Generator[]>, name: string, g?: Generator) => {
    const list = map.get(name) ?? [];
    if (g && !list.includes(g)) list.push(g);
    map.set(name, list);
  };
  const sharedNames = new Set(clan.generators.filter((g) => g.share === true && g.name.name).map((g) => g.name.name!));
  // each machine lists the generators its modules declare (model/machineModel.ts)
  for (const g of clan.generators) {
    const name = g.name.name;
    if (!name) continue;
    if (sharedNames.has(name)) {
      push(shared, name, g);
      continue;
    }
    const of = model.machinesOfGenerator(g);
    if (of.length === 0) push(unassigned, name, g);
    for (const m of of) push(perMachine.get(m) ?? perMachine.set(m, new Map()).get(m)!, name, g);
  }
  for (const v of disk.vars) {
    if (v.ref.machine === null) push(shared, v.ref.generator, undefined);
    else if (!sharedNames.has(v.ref.generator)) {
      const gens = perMachine.get(v.ref.machine) ?? perMachine.set(v.ref.machine, new Map()).get(v.ref.machine)!;
      if (!gens.has(v.ref.generator)) push(gens, v.ref.generator, undefined);
    }
  }
  // a module declaration seen on disk for a machine belongs to that machine
  for (const [, gens] of perMachine) for (const [name, decls] of gens) if (decls.length === 0 && unassigned.has(name)) gens.set(name, unassigned.get(name)!);
  const attached = new Set([...perMachine.values()].flatMap((gens) => [...gens.keys()]));

  const status = (machine: string | null, name: string, decls: Generator[]): GeneratorStatus => {
    let files = declaredFiles(clan, decls);
    const filesFromDisk = files.length === 0;
    if (filesFromDisk) {
      files = disk.vars.filter((v) => v.ref.machine === machine && v.ref.generator === name).map((v) => ({ name: v.ref.file, secret: v.kind === 'public' ? false : true }));
    }
    const fileStates = files.map((f) => fileStatus(ctx, { machine, generator: name, file: f.name }, f.secret));
    const validation = validationOf(ctx, decls, machine, name, fileStates.some((f) => f.state !== 'missing'));
    return {
      name,
      machine,
      state: stateOf(fileStates, validation),
      validation,
      files: fileStates,
      declarations: decls.map((d) => ({ file: d.file, line: d.name.range.start.line })),
      dependents: dependents(name),
      filesFromDisk,
      ...(decls.find((d) => d.movedFrom) ? { movedFrom: decls.find((d) => d.movedFrom)!.movedFrom } : {}),
    };
  };
  const sorted = <T>(m: Map<string, T>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    root: clan.root,
    backend: detected.backend,
    backendSource: detected.source,
    machines: sorted(perMachine).map(([m, gens]) => ({ name: m, sources: machines.get(m)?.sources ?? ['vars'], generators: sorted(gens).map(([n, d]) => status(m, n, d)) })),
    shared: sorted(shared).map(([n, d]) => status(null, n, d)),
    unassigned: sorted(unassigned)
      .filter(([n]) => !attached.has(n))
      .map(([n, d]) => ({ ...status(null, n, d), state: 'unknown' as const, files: [], validation: { kind: 'unknown' as const, reason: 'the machines using it are not known without evaluation' } })),
  };
}
