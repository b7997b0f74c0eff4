// The validation hash clan stores in `vars/<dir>/.validation-hash`: the SHA-256 (hex) of Nix's
// `builtins.toJSON validation`. Computed statically when `validation` is written with literals only.
import { createHash } from 'node:crypto';
import type { Generator, Literal } from '../model/types';

type Json = Literal | { [key: string]: Json };

/** The `validation` value of a generator when every part is a literal; undefined otherwise (null when not set). */
export function literalValidation(g: Generator): Json | undefined {
  const opts = g.options.filter((o) => o.path[0] === 'validation');
  if (opts.length === 0) return null;
  const top = opts.find((o) => o.path.length === 1);
  if (top && top.literal !== undefined) return opts.length === 1 ? top.literal : undefined;
  const root: { [key: string]: Json } = {};
  for (const o of opts) {
    if (o.path.length === 1) {
      if (o.kind !== 'attrset_expression') return undefined;
      continue;
    }
    if (o.path.includes('*')) return undefined;
    if (o.literal === undefined) {
      if (o.kind === 'attrset_expression') continue; // its members are options of their own
      return undefined;
    }
    let node = root;
    for (const key of o.path.slice(1, -1)) {
      const next = node[key];
      if (next === undefined) node[key] = {};
      else if (next === null || typeof next !== 'object') return undefined;
      node = node[key] as { [key: string]: Json };
    }
    node[o.path[o.path.length - 1]] = o.literal;
  }
  return root;
}

/** Nix's `builtins.toJSON`: compact, object keys sorted. */
export function nixToJson(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const keys = Object.keys(v).sort();
  return '{' + keys.map((k) => `${JSON.stringify(k)}:${nixToJson(v[k])}`).join(',') + '}';
}

export function validationHashOf(v: Json): string {
  return createHash('sha256').update(nixToJson(v), 'utf8').digest('hex');
}

/** The hash clan would store for this generator: null when there is no validation, undefined when it cannot be known statically. */
export function expectedValidationHash(g: Generator): string | null | undefined {
  const v = literalValidation(g);
  if (v === undefined) return undefined;
  return v === null ? null : validationHashOf(v);
}
