// Shared by the rules that check an option against a fixed set of string values.
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

export function checkEnum(check: EnumCheck, generators: Generator[]): Problem[] {
  const problems: Problem[] = [];
  for (const g of generators) {
    if (g.origin !== 'module') continue;
    for (const o of g.options) {
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
  return `${o.path.slice(0, -1).join('.')} of generator '${nameOf(g)}'`;
}
