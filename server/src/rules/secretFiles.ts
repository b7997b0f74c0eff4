// Whether a generator's file is secret, over every declaration the module system merges into the
// generator (and the registry entry that names it): on each machine that reads it, or clan-wide.
import type { Generator } from '../facts/types';
import type { ClanModel } from '../model/clanModel';
import { computedOn, mergedDeclarations, persistedPrompts } from './generatorFacts';
import { optionAt } from '../facts/options';

/** true / false, or null when it cannot be told (unknown generator or file, computed values). */
export function isSecretFile(clan: ClanModel, generator: string, file: string): boolean | null {
  const named = clan.byName.get(generator);
  if (!named?.length) return null;
  // a declaration whose computed name could be this one may set `secret` too
  return secretOf(clan, mergedDeclarations(clan, named[0]).possible, generator, file);
}

/**
 * Whether the file is secret on each of `machines` that has the generator (its declarations there,
 * those of flake inputs such as clan-core's services included): true on some machine means its
 * evaluation throws. null when no machine has it (then the clan's declarations decide: isSecretFile).
 */
export function isSecretFileOn(clan: ClanModel, machines: string[], generator: string, file: string): boolean | null {
  const model = clan.machineModel();
  let found: boolean | null = null;
  for (const m of machines) {
    const decls = model.machines.get(m)?.generators.get(generator);
    if (!decls) continue;
    const secret = secretOf(clan, [...decls, ...computedOn(clan, generator, m)], generator, file);
    if (secret) return true;
    if (secret === false) found = false;
  }
  return found;
}

/** Whether `file` is secret over these declarations of `generator`: true unless one says otherwise. */
function secretOf(clan: ClanModel, decls: Generator[], generator: string, file: string): boolean | null {
  let declared = false;
  let secret: boolean | null = true;
  for (const d of decls) {
    if (d.origin === 'registry') {
      const entry = clan.registry?.facts.entries.find((e) => e.generator?.name === generator);
      if (!entry || entry.secret === null || (entry.fileAttr !== null && entry.fileAttr !== file)) return null;
      declared = true;
      if (!entry.secret) secret = false;
      continue;
    }
    if (d.evaluated || d.filesUnknown) return null;
    const f = d.files.find((x) => x.name === file);
    if ((f || persistedPrompts(d).includes(file)) && d.name.name === generator) declared = true;
    const o = optionAt(d, 'files', file, 'secret');
    if (!o && f?.optionsUnknown) return null;
    if (!o) continue;
    if (o.literal === false) secret = false;
    else if (o.literal !== true) return null;
  }
  return declared ? secret : null;
}
