// Strings that do not keep a whole file's text alive. V8 makes a slice of 13 characters or more a
// view into the string it was cut from, so a name cut from one version of the registry keeps that
// whole version in memory as long as the name lives. Facts kept across edits (the registry's
// bindings reused by text, the matrix's lists, the record of generator changes, the evaluator's AST
// reused by an incremental parse) would keep one copy of the file per edit they outlived. These
// make their own copies of what they keep.

/** Below this length V8 copies a slice anyway. */
const SLICED_FROM = 13;

/** `s` as a string of its own (a copy where it may be a view into a longer one). */
export function detached(s: string): string {
  return s.length < SLICED_FROM ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * Replaces, in place, every string of 13 characters or more held by `value`'s plain objects and
 * arrays (not frozen ones) with a copy of its own. For values just made and not yet shared.
 */
export function detachStrings<T>(value: T, seen = new Set<object>()): T {
  if (typeof value !== 'object' || value === null || seen.has(value) || Object.isFrozen(value)) return value;
  seen.add(value);
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'string') {
      if (v.length >= SLICED_FROM) o[k] = detached(v);
    } else if (typeof v === 'object' && v !== null) detachStrings(v, seen);
  }
  return value;
}
