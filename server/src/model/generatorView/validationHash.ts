// The validation hash clan stores in `vars/<rel_dir>/.validation-hash`: sha256 (lowercase hex) of
// Nix's `builtins.toJSON validation` (compact, object keys sorted, raw UTF-8). Computed statically
// when every part of `validation` is a literal; otherwise the reason it cannot be known.
import { createHash } from 'node:crypto';
import type { Generator, OptionValue } from '../../facts/types';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Nix's toJSON: keys sorted by code unit, no spaces, control characters escaped, the rest raw. */
export function nixToJson(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : JSON.stringify(v);
  if (typeof v === 'string') return nixJsonString(v);
  if (Array.isArray(v)) return '[' + v.map(nixToJson).join(',') + ']';
  const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return '{' + keys.map((k) => nixJsonString(k) + ':' + nixToJson(v[k])).join(',') + '}';
}

function nixJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

export function validationHashOf(v: JsonValue): string {
  return createHash('sha256').update(nixToJson(v), 'utf8').digest('hex');
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type StaticValidation = { kind: 'none' } | { kind: 'value'; value: JsonValue } | { kind: 'unknown'; reason: string };

/**
 * The `validation` of a generator as written in its declarations. `none` when no declaration sets
 * it (or it is `null`); `unknown` when any part is computed (variables, function calls, lists, ...).
 */
export function staticValidation(decls: Generator[]): StaticValidation {
  const found: StaticValidation[] = [];
  for (const g of decls) {
    const opts = g.options.filter((o) => o.path[0] === 'validation');
    if (opts.length) found.push(fromOptions(opts));
  }
  if (found.length === 0) return { kind: 'none' };
  const unknown = found.find((f) => f.kind === 'unknown');
  if (unknown) return unknown;
  const texts = new Set(found.map((f) => (f.kind === 'value' ? nixToJson(f.value) : 'null')));
  if (texts.size > 1) return { kind: 'unknown', reason: 'validation is set in several declarations; their merge needs evaluation' };
  return found[0];
}

function fromOptions(opts: OptionValue[]): StaticValidation {
  const unknown = (o: OptionValue, why: string): StaticValidation => ({ kind: 'unknown', reason: `validation${o.path.length > 1 ? '.' + o.path.slice(1).join('.') : ''} ${why}` });
  let root: JsonValue | undefined;
  for (const o of opts.sort((a, b) => a.path.length - b.path.length)) {
    if (o.path.includes('*')) return unknown(o, 'has a computed attribute name');
    // workspace names become object keys: never ones that reach Object.prototype
    if (o.path.some((p) => RESERVED_KEYS.has(p))) return unknown(o, 'uses an attribute name this checker does not build objects with');
    const isSet = o.kind === 'attrset_expression';
    if (isSet && /\binherit\b/.test(o.text)) return unknown(o, 'uses inherit');
    if (!isSet && o.literal === undefined) return unknown(o, `is computed (${o.text.split('\n')[0].slice(0, 60)})`);
    const value: JsonValue = isSet ? Object.create(null) : o.literal!;
    if (o.path.length === 1) {
      if (root !== undefined && !(isSet && typeof root === 'object' && root !== null)) return unknown(o, 'is set twice');
      if (root === undefined) root = value;
      continue;
    }
    if (root === undefined) root = Object.create(null) as JsonValue;
    let cur = root;
    for (const part of o.path.slice(1, -1)) {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return unknown(o, 'mixes a value and an attribute set');
      if (!Object.hasOwn(cur, part)) cur[part] = Object.create(null);
      cur = cur[part];
    }
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return unknown(o, 'mixes a value and an attribute set');
    const last = o.path[o.path.length - 1];
    if (Object.hasOwn(cur, last) && !(isSet && typeof cur[last] === 'object')) return unknown(o, 'is set twice');
    if (!Object.hasOwn(cur, last)) cur[last] = value;
  }
  if (root === null || root === undefined) return { kind: 'none' };
  return { kind: 'value', value: root };
}
