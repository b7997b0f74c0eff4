// "Did you mean ...?" suggestions: the closest candidate by edit distance (with transpositions).

/** A suggestion and its distance from the name asked about. */
export interface Closest {
  name: string;
  distance: number;
}

/**
 * The closest candidate within a third of the name's length (at least 2 edits), ties to the
 * alphabetically first; `best` carries on a search over earlier candidates.
 */
export function closest(name: string, candidates: Iterable<string>, best: Closest | null = null): Closest | null {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let bestName = best?.name ?? null;
  let bestDistance = best?.distance ?? Infinity;
  const counts = charCounts(name);
  for (const c of candidates) {
    if (c === name || Math.abs(c.length - name.length) > limit) continue;
    const cap = Math.min(limit, bestDistance);
    if (Math.ceil((name.length + c.length - 2 * commonChars(counts, c)) / 2) > cap) continue;
    const d = editDistance(name, c, cap);
    if (d < bestDistance || (d === bestDistance && bestName !== null && c < bestName)) {
      bestName = c;
      bestDistance = d;
    }
  }
  return bestName !== null && bestDistance <= limit ? { name: bestName, distance: bestDistance } : null;
}

/** How often each character occurs (by its code modulo 128: merged buckets only lower the bound below). */
function charCounts(s: string): Int32Array {
  const counts = new Int32Array(128);
  for (let i = 0; i < s.length; i++) counts[s.charCodeAt(i) & 127]++;
  return counts;
}

/**
 * How many characters of `s` pair up with one of the counted string's. An edit changes at most two
 * characters' counts by one (a transposition none), so the distance is at least half of what does
 * not pair up: most candidates are ruled out without the table.
 */
function commonChars(counts: Int32Array, s: string): number {
  let common = 0;
  for (let i = 0; i < s.length; i++) if (counts[s.charCodeAt(i) & 127]-- > 0) common++;
  for (let i = 0; i < s.length; i++) counts[s.charCodeAt(i) & 127]++;
  return common;
}

export function closestName(name: string, candidates: Iterable<string>): string | null {
  return closest(name, candidates)?.name ?? null;
}

let rows: Int32Array[] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), three rolling rows.
 * With `cap`, stops as soon as the distance must exceed it and returns cap + 1 (no row can lower it).
 */
export function editDistance(a: string, b: string, cap = Infinity): number {
  if (b.length + 1 > rows[0].length) rows = [0, 1, 2].map(() => new Int32Array(b.length + 1));
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // a transposition reaches back two rows: stop only when both rows are over the cap
    if (rowMin > cap && rowOver(prev, b.length + 1, cap)) return cap + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length];
}

/** Whether every one of the first `n` cells of a row is over `cap`. */
function rowOver(row: Int32Array, n: number, cap: number): boolean {
  for (let j = 0; j < n; j++) if (row[j] <= cap) return false;
  return true;
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const c = closestName(name, candidates);
  return c ? ` Did you mean '${c}'?` : '';
}
