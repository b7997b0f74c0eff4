// The paths a generator script names: `$out/<file>`, `$in/<dep>/<file>`, `$prompts/<name>` (also
// written `${out}`, `''${out}` or `"$out"/file`), with the range of each name, computed from the
// raw script text kept in the model. Pure and cached per ScriptSource object.
import type { Range } from '../base/types';
import type { ScriptSource } from '../syntax/syntax';
import { Attached } from '../base/attached';
import { LineIndex } from '../base/lineIndex';

export type ScriptPathKind = 'out' | 'in' | 'prompts';

export interface ScriptPath {
  kind: ScriptPathKind;
  /** `$in/<dep>/...`: the dependency and its range. */
  dep?: { name: string; range: Range };
  /** The file or prompt name after the directory; empty when nothing is written yet. */
  name: string;
  nameRange: Range;
  /** From the `$` to the end of the name. */
  range: Range;
}

const PATTERN = /\$\{?(out|in|prompts)\}?"?\/([A-Za-z0-9_.@+\-/]*)/g;
const cache = new Attached<ScriptSource, ScriptPath[]>('scriptPaths');

export function scriptPaths(script: ScriptSource): ScriptPath[] {
  const hit = cache.get(script);
  if (hit) return hit;
  const out: ScriptPath[] = [];
  const lines = new LineIndex(script.raw);
  const at = (offset: number) => lines.positionAt(offset, script.range.start);
  for (const m of script.raw.matchAll(PATTERN)) {
    const kind = m[1] as ScriptPathKind;
    const start = m.index!;
    const nameStart = start + m[0].length - m[2].length;
    const rest = m[2].replace(/\.+$/, ''); // a trailing dot ends a sentence, not a name
    const end = nameStart + rest.length;
    if (kind === 'in') {
      const slash = rest.indexOf('/');
      const depName = slash === -1 ? rest : rest.slice(0, slash);
      const fileName = slash === -1 ? '' : rest.slice(slash + 1);
      const fileStart = slash === -1 ? end : nameStart + slash + 1;
      out.push({
        kind,
        dep: { name: depName, range: { start: at(nameStart), end: at(nameStart + depName.length) } },
        name: fileName,
        nameRange: { start: at(fileStart), end: at(end) },
        range: { start: at(start), end: at(end) },
      });
    } else out.push({ kind, name: rest, nameRange: { start: at(nameStart), end: at(end) }, range: { start: at(start), end: at(end) } });
  }
  cache.set(script, out);
  return out;
}
