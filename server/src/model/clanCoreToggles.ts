// clan-core's own generators on a machine: every NixOS machine imports clan-core's `clanCore`
// module, which declares `state-version` when `clan.core.settings.state-version.enable` is true (on
// by default: clan-core's recommended defaults, `clan.core.enableRecommendedDefaults`, default true,
// set it with `lib.mkDefault true`) and `machine-id` when `clan.core.settings.machine-id.enable` is
// true (off by default). What a machine's modules define decides, with the module system's
// priorities; a definition the syntax cannot read makes the answer unknown. From 2025-09 to 2026-05
// clanCore also declares the zerotier generators, behind options clan-core's zerotier service sets
// on the machines of its instances (`zerotier` below).
import * as path from 'node:path';
import type { FileFacts, Generator } from '../facts/types';
import type { ClanCoreToggle, OptionDef } from '../facts/optionDefs';
import type { ModuleGraph, ReasonHint } from './moduleGraph';
import type { MachineInfo } from './machines';
import { contains } from '../base/types';
import { CLAN_CORE_UNREAD } from './clanCoreGenerators';

/** clan-core's generators behind an option: where clan-core declares each. */
const TOGGLED: { option: ClanCoreToggle; generator: string; module: string }[] = [
  { option: 'clan.core.settings.state-version.enable', generator: 'state-version', module: 'nixosModules/clanCore/state-version/default.nix' },
  { option: 'clan.core.settings.machine-id.enable', generator: 'machine-id', module: 'nixosModules/clanCore/machine-id/default.nix' },
];

/** A definition and where it is, for messages. */
type Placed = OptionDef & { file: string };

/** `unknown`: why; with `hint`, what would make it known (ModuleGraph.clanCoreHint). */
export type ToggleAnswer = { on: true; declaration: Generator } | { on: false } | { unknown: string; hint?: ReasonHint };

/** Per machine: the definitions of the toggles that reach it (a definition inside one machine's own module in a shared file reaches only it). */
export function toggleDefinitions(files: Iterable<FileFacts>, graph: ModuleGraph): Map<string, Placed[]> {
  const out = new Map<string, Placed[]>();
  for (const facts of files) {
    if (!facts.optionDefs?.length) continue;
    const own = facts.modules?.machineModules ?? [];
    for (const d of facts.optionDefs) {
      const inMachine = own.find((mm) => mm.ranges?.some((r) => contains(r, d.range.start)));
      const machines = inMachine ? [inMachine.machine] : graph.machinesAt(facts.file, d.range.start);
      for (const m of machines) (out.get(m) ?? out.set(m, []).get(m)!).push({ ...d, file: facts.file });
    }
  }
  return out;
}

/** The value the module system gives an option from these definitions and its default (value, priority), or why it is not known. */
function resolve(defs: Placed[], option: ClanCoreToggle, fallback: { value: boolean; priority: number }, root: string): { value: boolean } | { unknown: string } {
  const mine = defs.filter((d) => d.option === option);
  const where = (d: Placed) => `${path.relative(root, d.file) || d.file}:${d.range.start.line + 1}`;
  const unread = mine.find((d) => d.value === null);
  if (unread) return { unknown: `${option} is set in a way not known statically (${where(unread)})` };
  const all = [...mine, { ...fallback, option, range: mine[0]?.range, file: '' } as Placed];
  const top = Math.min(...all.map((d) => d.priority));
  const winners = new Set(all.filter((d) => d.priority === top).map((d) => d.value));
  // two definitions of one priority that disagree: clan's evaluation fails; say nothing either way
  if (winners.size > 1) return { unknown: `${option} is defined both true and false (${mine.map(where).join(', ')})` };
  return { value: [...winners][0]! };
}

/** Whether a machine has each of clan-core's own toggled generators, and the declaration when it does. */
export function clanCoreToggles(name: string, machine: MachineInfo, defs: Placed[], graph: ModuleGraph, root: string): Map<string, ToggleAnswer> {
  const out = new Map<string, ToggleAnswer>();
  // darwin machines import clan-core's darwin modules, which have neither option
  if ((machine.cls ?? 'nixos') !== 'nixos') return out;
  const recommended = resolve(defs, 'clan.core.enableRecommendedDefaults', { value: true, priority: 1500 }, root);
  for (const t of TOGGLED) {
    let fallback = { value: false, priority: 1500 };
    if (t.generator === 'state-version') {
      if ('unknown' in recommended) {
        out.set(t.generator, recommended);
        continue;
      }
      if (recommended.value) fallback = { value: true, priority: 1000 };
    }
    const r = resolve(defs, t.option, fallback, root);
    if ('unknown' in r) {
      out.set(t.generator, r);
      continue;
    }
    if (!r.value) {
      out.set(t.generator, { on: false });
      continue;
    }
    const declaration = graph.clanCoreFile(t.module)?.generators.find((g) => g.name.name === t.generator) ?? unread(t);
    out.set(t.generator, { on: true, declaration });
  }
  zerotier(name, defs, graph, root, out);
  return out;
}

/** `generators`: what the module declares at one revision or another (`zerotier` always, `zerotier-controller` from 0542e4dd on). */
const ZEROTIER = { module: 'nixosModules/clanCore/zerotier/default.nix', service: 'clanServices/zerotier/default.nix', option: 'clan.core.networking.zerotier', generators: ['zerotier', 'zerotier-controller'] } as const;

/**
 * The generators of clan-core's clanCore zerotier module, where it has them. From 0542e4dd on it
 * declares `zerotier-controller` (shared) when `clan.core.networking.zerotier._roles` is not empty,
 * and `zerotier` when it holds `controller` or `peer`; clan-core's zerotier service sets `_roles` to
 * the machine's roles in all its instances (its perMachine). Before, `controller.enable` and a
 * `networkId` the service reads from the controller's vars decide: not known here. Off where no
 * instance of the service has the machine and none of its modules sets an option of the module.
 */
function zerotier(machine: string, defs: Placed[], graph: ModuleGraph, root: string, out: Map<string, ToggleAnswer>): void {
  const set = defs.find((d) => d.option === ZEROTIER.option);
  const where = set && `${path.relative(root, set.file) || set.file}:${set.range.start.line + 1}`;
  // clan-core not read: a machine that sets the module's options may have its generators, at any revision
  if (!graph.clanCoreRead) {
    if (set) for (const name of ZEROTIER.generators) out.set(name, { unknown: `${ZEROTIER.option} is set (${where}); clan-core's clanCore module declares '${name}' depending on those options at some revisions, and clan-core's files at the revision the flake locks are not read`, hint: graph.clanCoreHint() });
    return;
  }
  const module = graph.clanCoreFile(ZEROTIER.module);
  if (!module?.generators.length) return;
  const service = graph.clanCoreFile(ZEROTIER.service);
  // the machine's bindings in every role of the service (no role's range holds the file's start)
  const bindings = service ? graph.serviceBindingsAt(service.file, { line: 0, character: 0 }, machine) : [];
  const roles = new Set(bindings.map((b) => b.role.name));
  const instances = [...new Set(bindings.map((b) => `'${b.instance.name}'`))].join(', ');
  const byRoles = module.generators.some((g) => g.name.name === 'zerotier-controller');
  for (const g of module.generators) {
    const name = g.name.name;
    if (name === null) continue;
    // (with no role at all, neither: below)
    const on = name === 'zerotier-controller' ? true : name === 'zerotier' ? roles.has('controller') || roles.has('peer') : null;
    if (set) out.set(name, { unknown: `${ZEROTIER.option} is set (${where}); clan-core's clanCore module declares it depending on those options` });
    else if (!roles.size) out.set(name, { on: false });
    else if (!byRoles || on === null) out.set(name, { unknown: `clan-core's clanCore module declares it depending on options clan-core's zerotier service (instance ${instances}) sets from values not known statically` });
    else out.set(name, on ? { on: true, declaration: g } : { on: false });
  }
}

const unreadDeclarations = new Map<string, Generator>();

/**
 * The generator where clan-core's files are not at hand (no clan-core input known): its name is
 * certain, what it declares is not read (`evaluated`, `filesUnknown`: no check concludes from it).
 */
function unread(t: (typeof TOGGLED)[number]): Generator {
  let g = unreadDeclarations.get(t.generator);
  if (!g) {
    const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    g = { name: { name: t.generator, pattern: null, range: at }, file: `${CLAN_CORE_UNREAD}/${t.module}`, origin: 'module', share: false, dependencies: [], files: [], prompts: [], options: [], evaluated: true, filesUnknown: true };
    unreadDeclarations.set(t.generator, g);
  }
  return g;
}


/** The chain that brings one of these declarations to a machine: clan-core's clanCore module, which clan gives every NixOS machine. */
export function toggleChain(g: Generator, graph: ModuleGraph, machine: string): string[] | null {
  const t = TOGGLED.find((x) => x.generator === g.name.name && g.file.endsWith(path.sep + x.module));
  if (t) return [`clan-core's clanCore module (every NixOS machine has it; ${t.option})`, graph.shown(g.file)];
  if (!g.file.endsWith(path.sep + ZEROTIER.module)) return null;
  // the service's instances, which set the module's options
  const service = graph.clanCoreFile(ZEROTIER.service);
  return [...((service && graph.chainTo(machine, service.file, { line: 0, character: 0 })) ?? []), `clan-core's clanCore module (${ZEROTIER.option}._roles)`, graph.shown(g.file)];
}
