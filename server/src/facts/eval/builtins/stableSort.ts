// The stable sort of `builtins.sort`, comparison for comparison as Nix 2.8 runs it (std::stable_sort
// of libstdc++, with a buffer as large as the list). With a comparator that is a strict weak
// ordering every stable sort gives the same list; with any other one (`a: b: a <= b`, a table of
// pairs) the result depends on which pairs are compared in which order, and so does which error a
// failing comparator raises first. Hence the same steps: the list is cut in halves ((n + 1) / 2
// first); each half is sorted by insertion in chunks of 7, then merged bottom-up through the
// buffer with doubling steps; the halves are merged forwards when they are as long, else
// backwards. Merges ask `less(right, left)` and take the right one only when it is less.

const CHUNK = 7;

type Less<T> = (a: T, b: T) => boolean;

export function stableSort<T>(items: readonly T[], less: Less<T>): T[] {
  const a = items.slice();
  const n = a.length;
  if (n === 0) return a;
  const buffer = new Array<T>(n);
  const middle = Math.floor((n + 1) / 2);
  sortWithBuffer(a, 0, middle, buffer, less);
  sortWithBuffer(a, middle, n, buffer, less);
  const len1 = middle;
  const len2 = n - middle;
  if (len1 <= len2) {
    for (let i = 0; i < len1; i++) buffer[i] = a[i];
    mergeForward(buffer, 0, len1, a, middle, n, a, 0, less);
  } else {
    for (let i = 0; i < len2; i++) buffer[i] = a[middle + i];
    mergeBackward(a, 0, middle, buffer, 0, len2, a, n, less);
  }
  return a;
}

function insertionSort<T>(a: T[], first: number, last: number, less: Less<T>): void {
  for (let i = first + 1; i < last; i++) {
    const v = a[i];
    if (less(v, a[first])) {
      for (let j = i; j > first; j--) a[j] = a[j - 1];
      a[first] = v;
    } else {
      let j = i;
      while (less(v, a[j - 1])) {
        a[j] = a[j - 1];
        j--;
      }
      a[j] = v;
    }
  }
}

function sortWithBuffer<T>(a: T[], first: number, last: number, buffer: T[], less: Less<T>): void {
  const len = last - first;
  let step = CHUNK;
  let at = first;
  while (last - at >= step) {
    insertionSort(a, at, at + step, less);
    at += step;
  }
  insertionSort(a, at, last, less);
  while (step < len) {
    mergeLoop(a, first, last, buffer, 0, step, less);
    step *= 2;
    mergeLoop(buffer, 0, len, a, first, step, less);
    step *= 2;
  }
}

/** Merges runs of `step` from `src[first..last)` into `dst` from `out`. */
function mergeLoop<T>(src: T[], first: number, last: number, dst: T[], out: number, step: number, less: Less<T>): void {
  while (last - first >= 2 * step) {
    out = mergeInto(src, first, first + step, first + step, first + 2 * step, dst, out, less);
    first += 2 * step;
  }
  const mid = first + Math.min(last - first, step);
  mergeInto(src, first, mid, mid, last, dst, out, less);
}

function mergeInto<T>(src: T[], f1: number, l1: number, f2: number, l2: number, dst: T[], out: number, less: Less<T>): number {
  while (f1 !== l1 && f2 !== l2) dst[out++] = less(src[f2], src[f1]) ? src[f2++] : src[f1++];
  while (f1 !== l1) dst[out++] = src[f1++];
  while (f2 !== l2) dst[out++] = src[f2++];
  return out;
}

/** Merges `b1[f1..l1)` (moved out of the way) with `a2[f2..l2)` into `dst` from `out`, front to back. */
function mergeForward<T>(b1: T[], f1: number, l1: number, a2: T[], f2: number, l2: number, dst: T[], out: number, less: Less<T>): void {
  while (f1 !== l1 && f2 !== l2) dst[out++] = less(a2[f2], b1[f1]) ? a2[f2++] : b1[f1++];
  while (f1 !== l1) dst[out++] = b1[f1++];
}

/**
 * Merges `a1[f1..l1)` with `b2[f2..l2)` (moved out of the way) into `dst` ending at `end`, back to
 * front. The first half is never empty here (libstdc++ also handles that case: it copies b2).
 */
function mergeBackward<T>(a1: T[], f1: number, l1: number, b2: T[], f2: number, l2: number, dst: T[], end: number, less: Less<T>): void {
  if (f2 === l2) return;
  l1--;
  l2--;
  for (;;) {
    if (less(b2[l2], a1[l1])) {
      dst[--end] = a1[l1];
      if (f1 === l1) {
        while (l2 >= f2) dst[--end] = b2[l2--];
        return;
      }
      l1--;
    } else {
      dst[--end] = b2[l2];
      if (f2 === l2) return;
      l2--;
    }
  }
}
