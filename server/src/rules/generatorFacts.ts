// Helpers the generator rules share: option lookups, the scanned script, and what a generator
// declares over all of its declarations in the clan (the module system merges them).
import type { Generator, Literal, OptionValue } from '../facts/types';
import { decodeNixString, type DecodedString } from '../syntax/nixString';
import { scanShell, type ShellFacts } from '../syntax/shellScan';
import type { ClanModel } from '../model/clanModel';
import { samePath, startsWithPath } from '../base/pathPrefix';

// Plain loops, no callbacks: the rules look options up 150,000 times in the 8,000-file bench clan's cold check.
export function optionAt(g: Generator, ...path: string[]): OptionValue | undefined {
  for (const o of g.options) if (samePath(o.path, path)) return o;
  return undefined;
}

export function optionsUnder(g: Generator, ...prefix: string[]): OptionValue[] {
  const found: OptionValue[] = [];
  for (const o of g.options) if (startsWithPath(o.path, prefix)) found.push(o);
  return found;
}

export interface ScannedScript {
  decoded: DecodedString;
  shell: ShellFacts;
}

/**
 * Scripts scanned during one pass of the rules (several rules read each script). Dropped after the
 * pass: kept for every generator of a large clan, the scans outweigh the facts they come from
 * (500 machines: 46 MB), and a keystroke re-runs the rules over a few generators only.
 */
let scanned = new Map<object, ScannedScript | null>();

/** Ends a pass of the rules: the next one scans the scripts it reads again. */
export function forgetScannedScripts(): void {
  scanned = new Map();
}

/** The script as the shell sees it, or null when it is not a string literal (a path, a function call). */
export function scriptOf(g: Generator): ScannedScript | null {
  if (!g.script) return null;
  let s = scanned.get(g.script);
  if (s === undefined) {
    const decoded = decodeNixString(g.script);
    s = decoded ? { decoded, shell: scanShell(decoded.text) } : null;
    scanned.set(g.script, s);
  }
  return s;
}

/** Every declaration of the generator `g` belongs to (by literal name); just `g` for computed names. */
export function declarationsOf(clan: ClanModel, g: Generator): Generator[] {
  return g.name.name !== null ? clan.byName.get(g.name.name) ?? [g] : [g];
}

/** A prompt with `persist = true` declares a file of its name. */
export function persistedPrompts(g: Generator): string[] {
  return g.prompts.filter((p) => optionAt(g, 'prompts', p.name, 'persist')?.literal === true).map((p) => p.name);
}

/**
 * The file names of a generator over all its declarations, or null when they cannot be known
 * (a registry entry, a computed file or prompt name, a persist flag that is not a literal).
 */
export function knownFiles(clan: ClanModel, name: string): Set<string> | null {
  const decls = clan.byName.get(name);
  if (!decls?.length || clan.namePatterns.some((re) => re.test(name))) return null;
  return filesOfDeclarations(decls);
}

/** The file names over these declarations of one generator (a machine's), or null when they cannot be known (as knownFiles). */
export function filesOfDeclarations(decls: Generator[]): Set<string> | null {
  const files = new Set<string>();
  for (const d of decls) {
    if (d.origin !== 'module') return null;
    // files computed beyond what the evaluator could list, or prompts whose `persist` was not read
    if (d.filesUnknown || (d.evaluated && d.prompts.length)) return null;
    if (d.options.some((o) => (o.path[0] === 'files' || o.path[0] === 'prompts') && o.path[1] === '*')) return null;
    if (d.prompts.some((p) => { const o = optionAt(d, 'prompts', p.name, 'persist'); return o !== undefined && typeof o.literal !== 'boolean'; })) return null;
    for (const f of d.files) files.add(f.name);
    for (const p of persistedPrompts(d)) files.add(p);
  }
  return files;
}

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

export function literalOf(o: OptionValue | undefined): Literal | undefined {
  return o?.literal;
}

export function nameOf(g: Generator): string {
  return g.name.name ?? g.name.pattern ?? '?';
}


/**
 * Generators declared in modules whose script could be scanned, with every declaration of their
 * name in the clan (a generator may be spread over several files).
 */
export function* scriptedGenerators(clan: ClanModel): IterableIterator<{ g: Generator; s: ScannedScript; decls: Generator[] }> {
  for (const g of clan.generators) {
    if (g.origin !== 'module') continue;
    const s = scriptOf(g);
    if (s) yield { g, s, decls: declarationsOf(clan, g) };
  }
}
