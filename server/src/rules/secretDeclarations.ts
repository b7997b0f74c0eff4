// Shared by the secret rules: where a finding about a var on disk is reported. It goes on the
// declarations of its generator (the name), matched by generator name and machine (the machines
// whose modules hold the declaration, model/machineModel.ts). Declarations no known machine has
// are all candidates.
import type { Problem, Severity } from '../base/types';
import type { Generator } from '../facts/types';
import type { VarRef } from '../secrets/varRef';
import type { ClanModel } from '../model/clanModel';
import { secretStoreOf } from '../model/generatorView/generatorView';
import type { VarOnDisk } from '../model/varsOnDisk';

/**
 * The sops secrets on disk that clan reads: none when the clan keeps its secrets in another store
 * (its `vars.settings.secretStore`, or the secret store setting). The sops files a clan left in
 * `vars/` when it moved to the age store are never opened: their links and recipients break nothing.
 */
export function sopsVarsInUse(clan: ClanModel): VarOnDisk[] {
  const store = secretStoreOf(clan);
  if (store.backend !== 'sops' && (store.source === 'clan' || store.source === 'setting')) return [];
  return clan.varsOnDisk().vars.filter((v) => v.kind === 'sops');
}

/** Whether a declaration may belong to `machine`: its machines include it, or no machine is known for it. */
export function declaredFor(clan: ClanModel, g: Generator, machine: string): boolean {
  const machines = clan.machineModel().machinesOfGenerator(g);
  return machines.length === 0 || machines.includes(machine);
}

/**
 * The declarations a var's findings belong to: those that name its generator (a computed name that
 * only might be it is not applied to it), of the var's machine (vars of a machine the clan does not
 * declare are stale: none).
 */
export function declarationsOf(clan: ClanModel, ref: VarRef): Generator[] {
  if (ref.machine !== null && !clan.machineModel().machines.has(ref.machine)) return [];
  const named = clan.byName.get(ref.generator) ?? [];
  if (ref.machine === null) return named;
  return named.filter((g) => declaredFor(clan, g, ref.machine!));
}

/** One problem per declaration, on the generator's name. */
export function reportOn(decls: Generator[], code: string, severity: Severity, message: string): Problem[] {
  return decls.map((g) => ({ file: g.file, range: g.name.range, severity, code, message }));
}

export function describeVar(ref: VarRef): string {
  return `'${ref.file}' of generator '${ref.generator}'${ref.machine ? ` on machine '${ref.machine}'` : ' (shared)'}`;
}

/** The `clan vars fix` command for a var: its machine, or the machines a shared secret is deployed to. */
export function fixCommand(ref: VarRef, deployedTo: string[] = []): string {
  const machines = ref.machine ? [ref.machine] : deployedTo;
  return `clan vars fix${machines.length ? ' ' + machines.join(' ') : ''} --generator ${ref.generator}`;
}
