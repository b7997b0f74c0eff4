// `validation` is null, a bool/int/string, or an attrset of those nested at most two levels deep.
// Lists, floats and null inside are type errors (lists would even make evaluation recurse). A list
// is any value that is one whatever it evaluates to: `[ ... ]`, `++`, `map f xs`, `lib.attrNames x`.
import type { Problem } from '../base/types';
import { nameOf } from './generatorFacts';
import type { Rule } from './types';

const ATTRSETS = new Set(['attrset_expression', 'rec_attrset_expression']);

export const invalidValidation: Rule = {
  code: 'invalid-validation',
  uses: ['generators'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    for (const g of clan.generators) {
      if (g.origin !== 'module') continue;
      for (const o of g.options) {
        if (o.path[0] !== 'validation') continue;
        const depth = o.path.length - 1; // attribute levels above this value
        let why: string | null = null;
        if (o.kind === 'list_expression' || o.list) why = 'a list (clan forbids lists here because their order would change the hash)';
        else if (o.kind === 'float_expression') why = 'a float';
        else if (o.literal === null && depth > 0) why = 'null inside an attrset';
        // reported once: at the third-level attrset holding it, else at each value with nothing read inside it (a scalar, `{ }`)
        else if (depth > 2 && !g.options.some((a) => a.path.length > o.path.length && o.path.every((n, i) => a.path[i] === n)) && !g.options.some((a) => a.path.length === 3 && a.path[0] === 'validation' && a.path[1] === o.path[1] && a.path[2] === o.path[2])) why = `nested ${depth} levels deep (at most two levels of attrsets are allowed)`;
        // the third level takes only bool, int and string: an empty attrset there fails the type check too
        else if (depth === 2 && ATTRSETS.has(o.kind)) why = 'an attrset three levels deep (at most two levels of attrsets are allowed)';
        if (!why) continue;
        // deeper than two levels a string is a type error too: neither fix would make the value fit
        const fixes =
          depth > 2
            ? []
            : o.kind === 'list_expression' || o.list || ATTRSETS.has(o.kind)
              ? [{ title: 'Wrap in builtins.toJSON (a string)', edits: [{ file: g.file, range: o.valueRange, newText: `builtins.toJSON ${o.kind === 'list_expression' ? o.text : `(${o.text})`}` }], safe: false }]
              : o.kind === 'float_expression'
                ? [{ title: `Change to "${o.text}"`, edits: [{ file: g.file, range: o.valueRange, newText: JSON.stringify(o.text) }], safe: false }]
                : [];
        problems.push({
          file: g.file,
          range: o.valueRange,
          severity: 'error',
          code: this.code,
          message: `${o.path.join('.')} of generator '${nameOf(g)}' is ${why}: turn the value into a string (builtins.toJSON) or flatten it.`,
          explanation: `validation takes a bool, int or string, or attrsets of those nested at most two levels; evaluation fails with a type error.`,
          fixes: o.text.endsWith('…') ? [] : fixes,
        });
      }
    }
    return problems;
  },
};
