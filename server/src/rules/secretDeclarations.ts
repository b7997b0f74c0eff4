// Shared by the secret rules: where a finding about a var on disk is reported. It goes on the
// declarations of its generator (the name), matched by generator name and machine; a declaring
// file's machine is the `<m>` of a `machines/<m>/` or `hosts/<m>/` path segment naming a machine
// known on disk. Declarations whose machine cannot be told are all candidates.
import type { Generator, Problem, Severity } from '../model/types';
import type { VarRef } from '../secrets/varRef';
import { globToRegExp, type ClanModel } from '../workspace/clanModel';
import { knownMachineOfFile } from '../workspace/machinePath';

export function machineOfFile(clan: ClanModel, file: string, machines: Set<string>): string | null {
  return knownMachineOfFile(clan.root, file, machines);
}

/** Per model: generators with computed names and their patterns, built once (rules run on every keystroke). */
const patterned = new WeakMap<ClanModel, { g: Generator; re: RegExp }[]>();

/** The declarations a var's findings belong to. */
export function declarationsOf(clan: ClanModel, ref: VarRef): Generator[] {
  const machines = clan.varsOnDisk().machines;
  let withPatterns = patterned.get(clan);
  if (!withPatterns) {
    withPatterns = clan.generators.filter((g) => g.name.name === null && g.name.pattern && g.name.pattern !== '*').map((g) => ({ g, re: globToRegExp(g.name.pattern!) }));
    patterned.set(clan, withPatterns);
  }
  const named = (clan.byName.get(ref.generator) ?? []).concat(withPatterns.filter((p) => p.re.test(ref.generator)).map((p) => p.g));
  if (ref.machine === null) return named;
  return named.filter((g) => {
    const m = machineOfFile(clan, g.file, machines);
    return m === null || m === ref.machine;
  });
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
