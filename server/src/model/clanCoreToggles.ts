// clan-core's own generators on a machine: every NixOS machine imports clan-core's `clanCore`
// module, which declares `state-version` when `clan.core.settings.state-version.enable` is true (on
// by default: clan-core's recommended defaults, `clan.core.enableRecommendedDefaults`, default true,
// set it with `lib.mkDefault true`, in the clan-core of today; in the clan-core a flake pins, by the
// pin's date: STATE_VERSION_ON_SINCE below) and `machine-id` when `clan.core.settings.machine-id.enable` is
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

/**
 * clan-core's generators behind an option: where clan-core declares each, and its one file, public
 * (`files.version.secret = false`, `files.machineId.secret = false`) at every revision that has the
 * module (read at each revision of clan-core that changed either file: 507152a1c, 8199e5391;
 * d88ac429c, 88cab02d4).
 */
const TOGGLED: { option: ClanCoreToggle; generator: string; module: string; file: string }[] = [
  { option: 'clan.core.settings.state-version.enable', generator: 'state-version', module: 'nixosModules/clanCore/state-version/default.nix', file: 'version' },
  { option: 'clan.core.settings.machine-id.enable', generator: 'machine-id', module: 'nixosModules/clanCore/machine-id/default.nix', file: 'machineId' },
];

/**
 * When the recommended defaults began to turn state-version on, in clan-core's history (first
 * parents of main, each the commit time of the merge that brought the change; a pin's
 * `lastModified` is its commit's time, so a commit of main from then on has the change):
 * - before 8a7b6d13b (2025-06-30 11:24 UTC) clanCore had no state-version, nor from 978c89318
 *   (2025-07-02, a revert) to 546b963f0 (2025-07-03); between, the option was off by default;
 * - from b91bee537 (2025-08-26 07:49 UTC, 1756194586) the recommended defaults set it to true, a
 *   plain definition (priority 100);
 * - from 7412b958c (2025-08-31 13:43 UTC, 1756647787) with `lib.mkDefault true` (priority 1000), as today.
 * So a clan that pins a clan-core from before b91bee537 has no state-version unless it turns it on.
 */
const STATE_VERSION_ON_SINCE = 1756194586;
const STATE_VERSION_MKDEFAULT_SINCE = 1756647787;

/** state-version's default where the recommended defaults are on, for a clan-core pinned at `pinnedAt` (null: not known, today's). */
function stateVersionDefault(pinnedAt: number | null): Fallback {
  if (pinnedAt === null || pinnedAt >= STATE_VERSION_MKDEFAULT_SINCE) return { value: true, priority: 1000, from: RECOMMENDED };
  return pinnedAt >= STATE_VERSION_ON_SINCE ? { value: true, priority: 100, from: RECOMMENDED } : OFF;
}

/** An option's value where a machine's modules do not set it (value, priority), and what gives it. */
type Fallback = { value: boolean; priority: number; from: string };
const RECOMMENDED = "clan-core's recommended defaults";
const OFF: Fallback = { value: false, priority: 1500, from: "the option's default" };

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

/**
 * The value the module system gives an option from these definitions and its default (value, priority),
 * or why it is not known; `byFallback`: no definition the modules make has the winning priority.
 */
function resolve(defs: Placed[], option: ClanCoreToggle, fallback: Fallback, root: string): { value: boolean; byFallback: boolean } | { unknown: string } {
  const mine = defs.filter((d) => d.option === option);
  const where = (d: Placed) => `${path.relative(root, d.file) || d.file}:${d.range.start.line + 1}`;
  const unread = mine.find((d) => d.value === null);
  if (unread) return { unknown: `${option} is set in a way not known statically (${where(unread)})` };
  const all = [...mine, { ...fallback, option, range: mine[0]?.range, file: '' } as Placed];
  const top = Math.min(...all.map((d) => d.priority));
  const winners = new Set(all.filter((d) => d.priority === top).map((d) => d.value));
  // two definitions of one priority that disagree: clan's evaluation fails; say nothing either way
  // (the fallback among them: the recommended defaults' plain definition of state-version in the clan-core of 2025-08-26 to -31)
  if (winners.size > 1) return { unknown: `${option} is defined both true and false (${[...mine.map(where), ...(fallback.priority === top ? [fallback.from] : [])].join(', ')})` };
  return { value: [...winners][0]!, byFallback: !mine.some((d) => d.priority === top) };
}

/**
 * Whether a machine has each of clan-core's own toggled generators, and the declaration when it
 * does; `pinnedAt`: the `lastModified` of the clan-core the flake locks (null: no lock says);
 * `someNotRead`: some of the machine's modules are not read. A toggle on only by a default
 * (state-version by the recommended defaults) then has no answer: a module not read may define it,
 * or turn the recommended defaults off, as a plain definition does; the machine's own reasons say
 * why it is open.
 */
export function clanCoreToggles(name: string, machine: MachineInfo, defs: Placed[], graph: ModuleGraph, root: string, pinnedAt: number | null, someNotRead: boolean): Map<string, ToggleAnswer> {
  const out = new Map<string, ToggleAnswer>();
  // darwin machines import clan-core's darwin modules, which have neither option
  if ((machine.cls ?? 'nixos') !== 'nixos') return out;
  const recommended = resolve(defs, 'clan.core.enableRecommendedDefaults', { ...OFF, value: true }, root);
  for (const t of TOGGLED) {
    let fallback = OFF;
    // state-version: on by the recommended defaults where the pinned clan-core's turn it on
    const byDefaults = t.generator === 'state-version' ? stateVersionDefault(pinnedAt) : OFF;
    if (byDefaults.value) {
      if ('unknown' in recommended) {
        out.set(t.generator, recommended);
        continue;
      }
      if (recommended.value) fallback = byDefaults;
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
    // on by a fallback (the recommended defaults'), which a module not read may override
    if (someNotRead && r.byFallback) continue;
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
 * The generator where clan-core's files are not at hand (no clan-core input known): its name and
 * its one public file are the same at every revision (TOGGLED); its script and other options are
 * not read (`evaluated`: no check concludes from their absence).
 */
function unread(t: (typeof TOGGLED)[number]): Generator {
  let g = unreadDeclarations.get(t.generator);
  if (!g) {
    const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const secret = { path: ['files', t.file, 'secret'], keyRange: at, valueRange: at, kind: 'variable_expression', literal: false, text: 'false' };
    g = { name: { name: t.generator, pattern: null, range: at }, file: `${CLAN_CORE_UNREAD}/${t.module}`, origin: 'module', share: false, dependencies: [], files: [{ name: t.file, range: at }], prompts: [], options: [secret], evaluated: true };
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
