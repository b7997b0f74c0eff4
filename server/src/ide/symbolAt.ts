// What is at a position of a file, from the file's extracted facts alone: a generator name, a
// registry key, an option key, a file or prompt name (declared, read through `.files.<f>`, or named
// in a script as `$out/`, `$in/<dep>/`, `$prompts/`). Shared by hover, definition, references, rename.
import { contains, type Position, type Range } from '../base/types';
import type { FileFacts, Generator } from '../facts/types';
import { scriptPaths } from '../facts/scriptPaths';

export type SymbolAt =
  | { kind: 'generator'; name: string; range: Range; role: 'declaration' | 'registry-generator' | 'dependency' | 'access' | 'script-in'; literal: boolean }
  | { kind: 'registry-key'; key: string; range: Range; role: 'registry' | 'matrix' }
  | { kind: 'option'; path: string[]; range: Range; generator: Generator }
  /** A literal string value of an option (`neededFor = "users"`): hover explains enum values. */
  | { kind: 'option-value'; path: string[]; value: string; range: Range }
  | { kind: 'file'; generator: string; file: string; range: Range; role: 'declaration' | 'access' | 'script-out' | 'script-in'; attr?: string }
  | { kind: 'prompt'; generator: string; prompt: string; range: Range; role: 'declaration' | 'script' };


export function symbolAt(facts: FileFacts, pos: Position): SymbolAt | null {
  for (const g of facts.generators) {
    const gname = g.name.name;
    if (g.script && gname !== null && contains(g.script.range, pos)) {
      for (const sp of scriptPaths(g.script)) {
        if (!contains(sp.range, pos)) continue;
        if (sp.kind === 'in' && sp.dep && (contains(sp.dep.range, pos) || !sp.name)) {
          return { kind: 'generator', name: sp.dep.name, range: sp.dep.range, role: 'script-in', literal: true };
        }
        if (sp.kind === 'in' && sp.dep) return { kind: 'file', generator: sp.dep.name, file: sp.name, range: sp.nameRange, role: 'script-in' };
        if (sp.kind === 'out') return { kind: 'file', generator: gname, file: sp.name, range: sp.nameRange, role: 'script-out' };
        return { kind: 'prompt', generator: gname, prompt: sp.name, range: sp.nameRange, role: 'script' };
      }
    }
    const alias = g.aliases?.find((a) => contains(a.range, pos));
    if (alias) return { kind: 'generator', name: gname ?? '*', range: alias.range, role: 'declaration', literal: gname !== null };
    if (contains(g.name.range, pos)) {
      const role = g.origin === 'registry' ? 'registry-generator' : 'declaration';
      return { kind: 'generator', name: gname ?? g.name.pattern ?? '*', range: g.name.range, role, literal: gname !== null };
    }
    for (const d of g.dependencies) {
      if (contains(d.range, pos)) return { kind: 'generator', name: d.name ?? d.pattern ?? '*', range: d.range, role: 'dependency', literal: d.name !== null };
    }
    if (gname === null) continue;
    for (const f of g.files) if (contains(f.range, pos)) return { kind: 'file', generator: gname, file: f.name, range: f.range, role: 'declaration' };
    for (const p of g.prompts) if (contains(p.range, pos)) return { kind: 'prompt', generator: gname, prompt: p.name, range: p.range, role: 'declaration' };
    for (const o of g.options) {
      if (contains(o.keyRange, pos)) return { kind: 'option', path: o.path, range: o.keyRange, generator: g };
      if (typeof o.literal === 'string' && contains(o.valueRange, pos)) return { kind: 'option-value', path: o.path, value: o.literal, range: o.valueRange };
    }
  }
  for (const a of facts.accesses) {
    if (!contains(a.range, pos)) continue;
    if (contains(a.generator.range, pos)) {
      return { kind: 'generator', name: a.generator.name ?? a.generator.pattern ?? '*', range: a.generator.range, role: 'access', literal: a.generator.name !== null };
    }
    if (a.file && a.generator.name !== null && a.file.name !== null && (contains(a.file.range, pos) || (a.attr && contains(a.attr.range, pos)))) {
      const range = contains(a.file.range, pos) ? a.file.range : a.attr!.range;
      return { kind: 'file', generator: a.generator.name, file: a.file.name, range, role: 'access', attr: a.attr?.name ?? undefined };
    }
  }
  for (const e of facts.registry?.entries ?? []) if (contains(e.keyRange, pos)) return { kind: 'registry-key', key: e.key, range: e.keyRange, role: 'registry' };
  for (const k of facts.matrix?.keys ?? []) if (contains(k.range, pos)) return { kind: 'registry-key', key: k.key, range: k.range, role: 'matrix' };
  return null;
}

/** The range of the text inside quotes (a string literal's range includes its quotes). */
export function innerRange(r: Range, quoted: boolean): Range {
  if (!quoted || r.start.line !== r.end.line || r.end.character - r.start.character < 2) return r;
  return { start: { line: r.start.line, character: r.start.character + 1 }, end: { line: r.end.line, character: r.end.character - 1 } };
}

/** The generator whose name is written at or above `line` of a file (the nearest one), if any: the one the cursor is in. */
export function generatorAt(facts: FileFacts | undefined, line: number): string | null {
  let best: { line: number; name: string } | null = null;
  for (const g of facts?.generators ?? []) {
    const l = g.name.range.start.line;
    const name = g.name.name ?? g.name.pattern;
    if (name === null || l > line) continue;
    if (!best || l >= best.line) best = { line: l, name };
  }
  return best?.name ?? null;
}
