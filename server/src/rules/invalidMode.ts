// `files.<f>.mode` must be a string of four octal digits ("0400"). Three digits ("400") was the
// format until April 2025; a number (0400 is the integer 400 in Nix) is a type error.
import type { Fix, Problem } from '../base/types';
import { fileOption, ofGenerator, where } from './enumOption';
import type { Rule } from './types';

export const invalidMode: Rule = {
  code: 'invalid-mode',
  uses: ['generators'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    for (const g of clan.generators) {
      if (g.origin !== 'module') continue;
      for (const o of g.options) {
        if (!fileOption(o, 'mode') || o.literal === undefined) continue;
        const v = o.literal;
        if (typeof v === 'string' && /^[0-7]{4}$/.test(v)) continue;
        // a number as written (`0440` is the integer 440 in Nix); true and null have no digits
        const digits = typeof v === 'number' ? o.text : String(v);
        let suggestion: string | null = null;
        let why: string;
        if (/^[0-7]{3}$/.test(digits)) {
          suggestion = '0' + digits;
          why = typeof v === 'string' ? `"${v}" is the old three-digit form; since April 2025 clan wants four digits` : `a number is not a string`;
        } else if (/^[0-7]{4}$/.test(digits)) {
          // a number (a string of four octal digits passed above): `1777` is 1777, `0440` is 440
          suggestion = digits;
          why = 'a number is not a string';
          if (digits !== String(v)) why += ` (and Nix reads ${digits} as decimal ${v})`;
        } else why = `it is not four octal digits`;
        const fixes: Fix[] = suggestion ? [{ title: `Change to "${suggestion}"`, edits: [{ file: g.file, range: o.valueRange, newText: JSON.stringify(suggestion) }], safe: true }] : [];
        problems.push({
          file: g.file,
          range: o.valueRange,
          severity: 'error',
          code: this.code,
          message:
            `mode of ${where(o, ofGenerator(g))} is ${o.text}: ${why}. Evaluation fails with "A definition for option ... mode' is not of type ` +
            `\`string matching the pattern ^[0-7]{4}$'".` + (suggestion ? ` Write "${suggestion}".` : ' Write a mode such as "0400".'),
          fixes,
        });
      }
    }
    return problems;
  },
};
