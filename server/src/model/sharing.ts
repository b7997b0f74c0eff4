// Whether a generator is shared between machines (`share = true`: one copy in vars/shared/), the one
// place that reads it: per declaration for the machine model and the generator view, over all the
// declarations of one name for the rules about shared generators.
import { optionAt } from '../facts/options';
import type { Generator } from '../facts/types';

export const isShared = (g: Generator) => g.share === true;
/** `share = <not a literal>` (or not computable): it may be shared. */
export const maybeShared = (g: Generator) => g.share === null && (g.evaluated || g.options.some((o) => o.path.length === 1 && o.path[0] === 'share'));

/** Whether any declaration says `share = true` (true), all say nothing or false (false), or it cannot be told (null). */
export function sharedness(decls: Generator[]): boolean | null {
  let unknown = false;
  for (const d of decls) {
    if (d.origin !== 'module') return null;
    if (d.evaluated) {
      if (d.share === true) return true;
      if (d.share === null) unknown = true;
      continue;
    }
    const o = optionAt(d, 'share');
    if (!o) continue;
    if (o.literal === true) return true;
    if (o.literal !== false) unknown = true;
  }
  return unknown ? null : false;
}
