// Whether a generator's file is secret, over every declaration (and the registry entry that names it).
import type { ClanModel } from '../model/clanModel';
import { optionAt, persistedPrompts } from './generatorFacts';

/** true / false, or null when it cannot be told (unknown generator or file, computed values). */
export function isSecretFile(clan: ClanModel, generator: string, file: string): boolean | null {
  const decls = clan.byName.get(generator);
  if (!decls?.length || clan.namePatterns.some((re) => re.test(generator))) return null;
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
    if (f || persistedPrompts(d).includes(file)) declared = true;
    const o = optionAt(d, 'files', file, 'secret');
    if (!o && f?.optionsUnknown) return null;
    if (!o) continue;
    if (o.literal === false) secret = false;
    else if (o.literal !== true) return null;
  }
  return declared ? secret : null;
}
