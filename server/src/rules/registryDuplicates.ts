// Shared by the duplicate-registry rules: every registry entry whose value for `keyOf` an earlier
// entry already has, paired with that earlier entry.
import type { RegistryEntry } from '../facts/types';

export function laterDuplicates(entries: RegistryEntry[], keyOf: (e: RegistryEntry) => string | null | undefined): { entry: RegistryEntry; earlier: RegistryEntry; key: string }[] {
  const first = new Map<string, RegistryEntry>();
  const out: { entry: RegistryEntry; earlier: RegistryEntry; key: string }[] = [];
  for (const entry of entries) {
    const key = keyOf(entry);
    if (!key) continue;
    const earlier = first.get(key);
    if (earlier) out.push({ entry, earlier, key });
    else first.set(key, entry);
  }
  return out;
}
