// Shared by the rules that check an option against a fixed set of string values.
import type { ClanModel } from '../model/clanModel';
import type { Fix, Generator, OptionValue, Problem } from '../model/types';
import { closestName, editDistance } from '../model/closestName';
import { nameOf } from './generatorFacts';

export interface EnumCheck {
  code: string;
  /** Which options: path with `*` for the file or prompt name. */
  matches(o: OptionValue): boolean;
  allowed: string[];
  /** What clan says: the option's type in NixOS terms. */
  describe(o: OptionValue, g: Generator): string;
  /** Known old spellings and their replacements (`user` -> `users`). */
  aliases?: Record<string, string>;
}

/**
 * Every option value the option rules check, with the generator it belongs to: those written in
 * modules, and those the registry pipeline computes (each place once, however many machines get it),
 * as if written where the value is (a fix edits it there).
 */
export function optionSites(clan: ClanModel): { g: Generator; o: OptionValue }[] {
  const sites: { g: Generator; o: OptionValue }[] = [];
  for (const g of clan.generators) if (g.origin === 'module') for (const o of g.options) sites.push({ g, o });
  // one site per place and option (a helper's default serves many entries), naming every generator it serves
  const byPlace = new Map<string, { names: string[]; o: OptionValue; file: string }>();
  for (const gens of clan.evaluation?.machines.values() ?? []) {
    for (const e of gens ?? []) {
      for (const { path, literal, location } of e.options ?? []) {
        const key = `${location.file}:${location.range.start.line}:${location.range.start.character}:${path.join('.')}`;
        const site = byPlace.get(key);
        if (site) {
          if (!site.names.includes(e.name)) site.names.push(e.name);
          continue;
        }
        const o: OptionValue = { path, keyRange: location.range, valueRange: location.range, kind: typeof literal === 'string' ? 'string_expression' : 'variable_expression', literal, text: JSON.stringify(literal) };
        byPlace.set(key, { names: [e.name], o, file: location.file });
      }
    }
  }
  for (const { names, o, file } of byPlace.values()) {
    const name = names.sort().join("', '");
    sites.push({ g: { name: { name, pattern: null, range: o.keyRange }, file, origin: 'registry', share: null, dependencies: [], files: [], prompts: [], options: [] }, o });
  }
  return sites;
}

export function checkEnum(check: EnumCheck, clan: ClanModel): Problem[] {
  const problems: Problem[] = [];
  for (const { g, o } of optionSites(clan)) {
    if (!check.matches(o) || o.literal === undefined) continue;
    if (typeof o.literal === 'string' && check.allowed.includes(o.literal)) continue;
    const value = String(o.literal);
    const closest = check.aliases?.[value] ?? closestName(value, check.allowed) ?? closestName(value.toLowerCase(), check.allowed);
    const fixes: Fix[] = [];
    if (closest) {
      const safe = check.aliases?.[value] === closest || editDistance(value.toLowerCase(), closest) <= 1;
      fixes.push({ title: `Change to "${closest}"`, edits: [{ file: g.file, range: o.valueRange, newText: JSON.stringify(closest) }], safe });
    }
    problems.push({
      file: g.file,
      range: o.valueRange,
      severity: 'error',
      code: check.code,
      message:
        `${check.describe(o, g)} cannot be ${typeof o.literal === 'string' ? `"${value}"` : value}: evaluation fails with ` +
        `"A definition for option ... is not of type \`one of ${check.allowed.map((a) => `"${a}"`).join(', ')}'".` +
        (closest ? ` Did you mean "${closest}"?` : ''),
      fixes,
    });
  }
  return problems;
}

export function fileOption(o: OptionValue, name: string): boolean {
  return o.path.length === 3 && o.path[0] === 'files' && o.path[2] === name;
}

export function promptOption(o: OptionValue, name: string): boolean {
  return o.path.length === 3 && o.path[0] === 'prompts' && o.path[2] === name;
}

export function where(o: OptionValue, g: Generator): string {
  return `${o.path.slice(0, -1).join('.')} of ${generatorNamed(g)}`;
}

/** "generator 'x'", or "generators 'x', 'y'" for a registry place that serves several (optionSites). */
export function generatorNamed(g: Generator): string {
  const name = nameOf(g);
  return `${name.includes("', '") ? 'generators' : 'generator'} '${name}'`;
}
