// Whether an attribute or option path (`["files", "key", "mode"]`) starts with another, or is it:
// the tests the extraction (legacy secrets' paths) and the rules (option lookups) share, as plain loops.
export function startsWithPath(full: readonly (string | null)[], prefix: readonly (string | null)[]): boolean {
  if (full.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (full[i] !== prefix[i]) return false;
  return true;
}

/** Whether two paths, or any two lists of names (a matrix key's machines), are the same. */
export function samePath(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  return a.length === b.length && startsWithPath(a, b);
}
