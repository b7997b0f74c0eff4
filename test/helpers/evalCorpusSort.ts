// Corpus cases for builtins.sort (compared with nix-instantiate by test/unit/eval-nix.test.ts):
// Nix 2.8 sorts with libstdc++'s std::stable_sort, and with a comparator that fails on some pair
// the error says which pair it met first, so the same comparisons must come in the same order:
// halves of (n + 1) / 2 and the rest, insertion sort in chunks of 7, merges through the buffer,
// the halves merged forwards when they are as long, else backwards.

/** Sorts `list` by `<`, but throws on the first of `pairs` (as [ a b ] given to the comparator) it meets. */
const failingOn = (pairs: [number, number][], list: number[]) =>
  `builtins.sort (a: b: if builtins.elem [ a b ] [ ${pairs.map(([x, y]) => `[ ${x} ${y} ]`).join(' ')} ] then throw "compared \${toString a} with \${toString b}" else a < b) [ ${list.join(' ')} ]`;

const shuffled29 = [17, 9, 25, 27, 28, 0, 3, 12, 23, 18, 21, 20, 13, 26, 11, 24, 22, 7, 2, 15, 1, 4, 8, 19, 16, 5, 10, 14, 6];

export const SORT_CASES: string[] = [
  'builtins.sort builtins.lessThan [ 1 0 ]',
  // longer than two chunks of 7 in each half: merges of runs, and a short run at the end
  `builtins.sort builtins.lessThan [ ${shuffled29.join(' ')} ]`,
  `builtins.sort (a: b: a > b) (builtins.genList (i: i * 7 - (i / 3) * 20) 64)`,
  // the sorted list is a new one
  'let l = [ 3 1 2 ]; in [ (builtins.sort builtins.lessThan l) l ]',
  // which pair the comparator meets first: three elements (merged backwards), four (forwards)
  failingOn([[0, 2], [0, 1]], [2, 1, 0]),
  failingOn([[2, 1], [2, 0]], [1, 0, 2]),
  failingOn([[0, 1], [3, 2]], [2, 1, 3, 0]),
  failingOn([[0, 1], [2, 3]], [3, 1, 0, 2]),
  // a comparator that is no strict order: the result depends on the comparisons made
  'builtins.sort (a: b: a.k <= b.k) (builtins.genList (i: { k = i / 4; v = i; }) 11)',
];
