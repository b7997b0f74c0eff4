// Every place a name occurs in a clan: generator names (declarations, registry entries,
// dependencies, `.generators.<g>` reads, `$in/<g>` in scripts), registry keys (registry and
// matrix), and files and prompts of a generator. Read from the extracted facts only.
import type { Range } from '../base/types';
import type { NameRef } from '../syntax/syntax';
import type { FileFacts } from '../facts/types';
import { scriptPaths } from '../facts/scriptPaths';
import type { ClanModel } from '../model/clanModel';

export interface Occurrence {
  file: string;
  /** The written name: includes quotes when the name is a quoted string. */
  range: Range;
  /** The name alone, without quotes: what a rename replaces. */
  nameRange: Range;
  declaration: boolean;
  /** Written as a bare Nix identifier: a new name that is not one must be quoted. */
  identifier: boolean;
}

function width(r: Range): number {
  return r.start.line === r.end.line ? r.end.character - r.start.character : -1;
}

/** An occurrence from a NameRef, with the quotes (if any) cut off for `nameRange`. */
function fromRef(file: string, ref: NameRef, declaration: boolean): Occurrence {
  const quoted = ref.name !== null && width(ref.range) === ref.name.length + 2;
  const nameRange = quoted ? { start: { ...ref.range.start, character: ref.range.start.character + 1 }, end: { ...ref.range.end, character: ref.range.end.character - 1 } } : ref.range;
  return { file, range: ref.range, nameRange, declaration, identifier: !quoted };
}

/** A name inside a script (`$in/<name>`, `$out/<name>`): never quoted. */
function plain(file: string, range: Range, declaration: boolean): Occurrence {
  return { file, range, nameRange: range, declaration, identifier: false };
}

function eachFile(clan: ClanModel, visit: (facts: FileFacts) => void): void {
  for (const facts of clan.files.values()) visit(facts);
}

/**
 * Each place once: reads through a name bound to a generator or a file (`ssh = ...generators.ssh;
 * ssh.files.key.path`) share the name written where it is bound.
 */
function once(occurrences: Occurrence[]): Occurrence[] {
  const seen = new Set<string>();
  return occurrences.filter((o) => {
    const key = `${o.file}\0${o.range.start.line}:${o.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function generatorOccurrences(clan: ClanModel, name: string): Occurrence[] {
  const out: Occurrence[] = [];
  eachFile(clan, (facts) => {
    for (const g of facts.generators) {
      if (g.origin === 'registry' && facts.file !== clan.registry?.file) continue;
      if (g.name.name === name) out.push(fromRef(facts.file, g.name, g.origin === 'module'));
      if (g.name.name === name) for (const a of g.aliases ?? []) out.push(fromRef(facts.file, a, false));
      if (g.origin === 'registry') continue; // its dependencies and script are not known
      for (const d of g.dependencies) if (d.name === name) out.push(fromRef(facts.file, d, false));
      if (g.script) for (const sp of scriptPaths(g.script)) if (sp.kind === 'in' && sp.dep?.name === name) out.push(plain(facts.file, sp.dep.range, false));
    }
    for (const a of facts.accesses) if (a.generator.name === name) out.push(fromRef(facts.file, a.generator, false));
  });
  // registry entries name generators too; they are declarations only when no module declares it
  if (!out.some((o) => o.declaration)) for (const o of out) if (o.file === clan.registry?.file) o.declaration = true;
  return once(out);
}

export function registryKeyOccurrences(clan: ClanModel, key: string): Occurrence[] {
  const out: Occurrence[] = [];
  for (const e of clan.registry?.facts.entries ?? []) if (e.key === key) out.push(fromRef(clan.registry!.file, { name: key, pattern: null, range: e.keyRange }, true));
  for (const k of clan.matrix?.facts.keys ?? []) if (k.key === key) out.push(fromRef(clan.matrix!.file, { name: key, pattern: null, range: k.range }, false));
  return out;
}

export function fileOccurrences(clan: ClanModel, generator: string, file: string): Occurrence[] {
  const out: Occurrence[] = [];
  eachFile(clan, (facts) => {
    for (const g of facts.generators) {
      if (g.name.name === generator) {
        for (const f of g.files) if (f.name === file) out.push(fromRef(facts.file, { name: f.name, pattern: null, range: f.range }, true));
        for (const p of g.prompts) if (p.name === file && !g.files.some((f) => f.name === file)) out.push(fromRef(facts.file, { name: p.name, pattern: null, range: p.range }, true));
      }
      if (!g.script) continue;
      for (const sp of scriptPaths(g.script)) {
        if (sp.name !== file) continue;
        if ((sp.kind === 'out' && g.name.name === generator) || (sp.kind === 'in' && sp.dep?.name === generator)) out.push(plain(facts.file, sp.nameRange, false));
      }
    }
    for (const a of facts.accesses) if (a.generator.name === generator && a.file?.name === file) out.push(fromRef(facts.file, a.file, false));
  });
  return once(out);
}

export function promptOccurrences(clan: ClanModel, generator: string, prompt: string): Occurrence[] {
  const out: Occurrence[] = [];
  eachFile(clan, (facts) => {
    for (const g of facts.generators) {
      if (g.name.name !== generator) continue;
      for (const p of g.prompts) if (p.name === prompt) out.push(fromRef(facts.file, { name: p.name, pattern: null, range: p.range }, true));
      if (g.script) for (const sp of scriptPaths(g.script)) if (sp.kind === 'prompts' && sp.name === prompt) out.push(plain(facts.file, sp.nameRange, false));
    }
  });
  return out;
}
