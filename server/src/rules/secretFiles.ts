// Whether a generator's file is secret, over every declaration (and the registry entry that names it),
// and those whose computed names could be the generator's.
import type { ClanModel } from '../model/clanModel';
import { mergedDeclarations, optionAt, persistedPrompts } from './generatorFacts';

/** true / false, or null when it cannot be told (unknown generator or file, computed values). */
export function isSecretFile(clan: ClanModel, generator: string, file: string): boolean | null {
  const named = clan.byName.get(generator);
  if (!named?.length) return null;
  // a declaration whose computed name could be this one may set `secret` too
  const merged = mergedDeclarations(clan, named[0]);
  let declared = false;
  let secret: boolean | null = true;
  for (const d of merged.possible) {
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
