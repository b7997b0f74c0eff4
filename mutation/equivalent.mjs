// Surviving mutants that are equivalent: no behaviour of clan, Nix or the editor can tell them from
// the code as written. Each entry names the file, Stryker's mutator, the text it replaced and what
// it put there (whitespace does not matter), and the reason in one line. mutation/run.mjs counts a
// survivor that matches an entry as equivalent (outside the score); every other survivor is listed.
export const EQUIVALENT = [
  {
    file: 'server/src/base/pathPrefix.ts',
    mutator: 'ConditionalExpression',
    original: 'full.length < prefix.length',
    replacement: 'false',
    reason: 'a shorter path then differs at its first missing part: undefined is never a part (a string or null)',
  },
];
