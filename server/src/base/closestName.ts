// "Did you mean ...?" suggestions: the closest candidate by edit distance (with transpositions).

/** A suggestion and its distance from the name asked about. */
export interface Closest {
  name: string;
  distance: number;
}

/**
 * Names longer than this get no suggestion: nobody types a name that long and wants a did-you-mean
 * (the longest generator, file and key names of the five corpus clans have 36 characters), and it
 * bounds the work for one candidate to about 64 × 43 table cells, whatever a repository declares.
 */
export const SUGGESTION_MAX_LENGTH = 64;

/**
 * The work one search may do, in candidates looked at plus characters counted plus table cells:
 * enough for 800 names of 20 characters (a corpus clan has at most 63 generator names). A
 * repository can declare tens of thousands of names and ask about as many (each unknown dependency
 * is a search), so without a bound a check grows with their product; with it, with their number.
 */
export const SUGGESTION_WORK = 1 << 15;

/**
 * The closest candidate within a third of the name's length (at least 2 edits), ties to the
 * alphabetically first; `best` carries on a search over earlier candidates. Null for a name longer
 * than SUGGESTION_MAX_LENGTH; a search that runs out of SUGGESTION_WORK answers with the closest of
 * the candidates it compared.
 */
export function closest(name: string, candidates: Iterable<string>, best: Closest | null = null): Closest | null {
  if (name.length > SUGGESTION_MAX_LENGTH) return null;
  const limit = Math.max(2, Math.floor(name.length / 3));
  let bestName = best?.name ?? null;
  let bestDistance = best?.distance ?? Infinity;
  const counts = charCounts(name);
  let work = name.length;
  for (const c of candidates) {
    if (++work > SUGGESTION_WORK) break;
    if (c === name || Math.abs(c.length - name.length) > limit) continue;
    const cap = Math.min(limit, bestDistance);
    work += 2 * c.length;
    if (Math.ceil((name.length + c.length - 2 * commonChars(counts, c)) / 2) > cap) continue;
    work += name.length * (2 * cap + 1);
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
 * With `cap`, returns cap + 1 for any distance over it, and computes only the cells within `cap` of
 * the diagonal (an alignment that strays further costs more than `cap`): a · (2 cap + 1) cells at
 * most, fewer when every cell of two rows is already over it.
 */
export function editDistance(a: string, b: string, cap = Infinity): number {
  const k = Math.min(cap, Math.max(a.length, b.length));
  if (Math.abs(a.length - b.length) > k) return k + 1;
  const over = k + 1;
  if (b.length + 2 > rows[0].length) rows = [0, 1, 2].map(() => new Int32Array(b.length + 2));
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= Math.min(b.length, k); j++) prev[j] = j;
  prev[Math.min(b.length, k) + 1] = over;
  let prevRowMin = 0;
  for (let i = 1; i <= a.length; i++) {
    // the band of row i: columns within k of the diagonal; the cells beside it read as over
    const lo = Math.max(1, i - k);
    const hi = Math.min(b.length, i + k);
    cur[lo - 1] = lo === 1 ? Math.min(i, over) : over;
    let rowMin = cur[lo - 1];
    for (let j = lo; j <= hi; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = Math.min(d, over);
      if (d < rowMin) rowMin = d;
    }
    if (hi < b.length) cur[hi + 1] = over;
    // a transposition reaches back two rows: stop only when both rows are over the cap
    if (rowMin > k && prevRowMin > k) return over;
    prevRowMin = rowMin;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length];
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const c = closestName(name, candidates);
  return c ? ` Did you mean '${c}'?` : '';
}
