// Helpers the generator rules share: option lookups, the scanned script, and what a generator
// declares over all of its declarations in the clan (the module system merges them).
import type { Generator } from '../facts/types';
import { decodeNixString, type DecodedString } from '../syntax/nixString';
import { scanShell, type ShellFacts } from '../syntax/shellScan';
import type { ClanModel, ComputedDeclaration, GeneratorIndex } from '../model/clanModel';
import { Glob } from '../base/glob';
import { Attached } from '../base/attached';
import { optionAt } from '../facts/options';

// Plain loops, no callbacks: the rules look options up 150,000 times in the 8,000-file bench clan's cold check.

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

/**
 * What the module system may merge into one generator: `certain`, the declarations of its literal
 * name on a machine it is on (a computed name: itself alone; either's machines unknown: anywhere;
 * two machines' own modules that declare one name are two machines' generators, not one);
 * `possible`, every declaration of its literal name and every declaration whose name could be the
 * same (`wg-*` for `wg-home`, `wg-home` for `wg-*`, `"${name}"` for any) on a machine it is on
 * (either's machines unknown: anywhere), in clan order. A declaration with a script of its own is
 * left out when the generator has one: two scripts are conflicting definitions, so in a
 * configuration that evaluates they are two generators. A check that concludes something is
 * missing reads `possible`; one that concludes something is there reads `certain`. Generator sets
 * the syntax cannot enumerate (`generators = mkGenerators cfg`) are not among them, as modules of
 * flake inputs that could not be read are not.
 */
export interface MergedDeclarations {
  certain: Generator[];
  possible: Generator[];
}

export function mergedDeclarations(clan: ClanModel, g: Generator): MergedDeclarations {
  const named = declarationsOf(clan, g);
  const index = computedNames(clan);
  const name = g.name.name;
  const pattern = name === null ? (g.name.pattern ?? '*') : null;
  let others = index.computed.filter((d) => d.g !== g && (name !== null ? d.glob.test(name) : globsMeet(pattern!, d.glob.pattern))).map((d) => d.g);
  if (pattern !== null) others.push(...literalsMatching(clan, index, pattern));
  // a name declared once, nothing else that may be it: no machine to ask about
  if (named.length === 1 && !others.length) return { certain: named, possible: named };
  const model = clan.machineModel();
  const mine = model.machinesOfGenerator(g);
  const meets = (d: Generator) => sameMachine(mine, model.machinesOfGenerator(d));
  const certain = named.length > 1 ? named.filter(meets) : named;
  if (!others.length) return { certain, possible: named };
  const scripted = named.some((d) => d.script);
  others = others.filter((d) => !(scripted && d.script) && meets(d));
  return { certain, possible: others.length ? [...named, ...others].sort(clan.generatorIndex.fileOrder) : named };
}

/** Whether two declarations with these machines may be on one machine (no machine known for either: they may). */
function sameMachine(a: string[], b: string[]): boolean {
  return a.length === 0 || b.length === 0 || a.some((m) => b.includes(m));
}

interface ComputedNames {
  version: number;
  /** The declarations of the literal names each pattern asked about matches. */
  literals: Map<string, Generator[]>;
  /** The declarations with computed names, each with its name as a pattern. */
  computed: ComputedDeclaration[];
}

const computedByIndex = new Attached<GeneratorIndex, ComputedNames>('computedNames');

/** The computed-name declarations of the whole clan (not of a part the rules re-run over), kept while its generators stay the same. */
export function computedNames(clan: ClanModel): ComputedNames {
  const index = clan.generatorIndex;
  const had = computedByIndex.get(index);
  if (had?.version === index.version) return had;
  return computedByIndex.set(index, { version: index.version, literals: new Map(), computed: index.computed });
}

/** The declarations of the literal names `pattern` matches (remembered while the generators stay the same). */
function literalsMatching(clan: ClanModel, index: ComputedNames, pattern: string): Generator[] {
  let found = index.literals.get(pattern);
  if (!found) {
    const glob = new Glob(pattern);
    found = [];
    for (const [name, decls] of clan.byName) if (glob.test(name)) found.push(...decls);
    index.literals.set(pattern, found);
  }
  return found;
}

/** Whether two name patterns (`*` for any run of characters) match some name in common. */
export function globsMeet(a: string, b: string): boolean {
  const [pa, pb] = [a.split('*'), b.split('*')];
  if (pa.length === 1) return new Glob(b).test(a);
  if (pb.length === 1) return new Glob(a).test(b);
  // each has a `*`: the parts between can go after each other, so only the two ends must agree
  const [firstA, firstB, lastA, lastB] = [pa[0], pb[0], pa[pa.length - 1], pb[pb.length - 1]];
  return (firstA.startsWith(firstB) || firstB.startsWith(firstA)) && (lastA.endsWith(lastB) || lastB.endsWith(lastA));
}

/** The declarations with computed names that could be generator `name` on `machine` (the module system would merge them into it there). */
export function computedOn(clan: ClanModel, name: string, machine: string): Generator[] {
  const model = clan.machineModel();
  const named = model.machines.get(machine)?.named;
  // a declaration whose names on the machine the model made is listed under them there
  return computedNames(clan).computed.filter((d) => d.glob.test(name) && !named?.has(d.g) && model.machinesOfGenerator(d.g).includes(machine)).map((d) => d.g);
}


/** A prompt with `persist = true` declares a file of its name. */
export function persistedPrompts(g: Generator): string[] {
  return g.prompts.filter((p) => optionAt(g, 'prompts', p.name, 'persist')?.literal === true).map((p) => p.name);
}

/**
 * The file names of a generator over all its declarations and those whose computed names could be
 * it, or null when they cannot be known (a registry entry, a computed file or prompt name, a
 * persist flag that is not a literal).
 */
export function knownFiles(clan: ClanModel, name: string): Set<string> | null {
  const decls = clan.byName.get(name);
  if (!decls?.length) return null;
  return filesOfDeclarations(mergedDeclarations(clan, decls[0]).possible);
}

/** The file names over these declarations of one generator (a machine's), or null when they cannot be known (as knownFiles). */
export function filesOfDeclarations(decls: Generator[]): Set<string> | null {
  const files = new Set<string>();
  for (const d of decls) {
    if (d.origin !== 'module') return null;
    // files computed beyond what the evaluator could list (a prompt whose `persist` was not read has a setting of unknown value: below)
    if (d.filesUnknown) return null;
    if (d.options.some((o) => (o.path[0] === 'files' || o.path[0] === 'prompts') && o.path[1] === '*')) return null;
    if (d.prompts.some((p) => { const o = optionAt(d, 'prompts', p.name, 'persist'); return o !== undefined && typeof o.literal !== 'boolean'; })) return null;
    for (const f of d.files) files.add(f.name);
    for (const p of persistedPrompts(d)) files.add(p);
  }
  return files;
}

export function nameOf(g: Generator): string {
  return g.name.name ?? g.name.pattern ?? '?';
}


/**
 * Generators declared in modules whose script could be scanned, with every declaration of their
 * name in the clan (a generator may be spread over several files) and those that may be merged into it.
 */
export function* scriptedGenerators(clan: ClanModel): IterableIterator<{ g: Generator; s: ScannedScript; merged: MergedDeclarations }> {
  for (const g of clan.generators) {
    if (g.origin !== 'module') continue;
    const s = scriptOf(g);
    if (s) yield { g, s, merged: mergedDeclarations(clan, g) };
  }
}
