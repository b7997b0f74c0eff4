// Whether an attribute or option path (`["files", "key", "mode"]`) starts with another: the one test
// the extraction (legacy secrets' paths) and the rules (option lookups) share, as a plain loop.
export function startsWithPath(full: readonly (string | null)[], prefix: readonly (string | null)[]): boolean {
  if (full.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (full[i] !== prefix[i]) return false;
  return true;
}
