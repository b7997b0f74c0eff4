/** One equivalent survivor: the file, Stryker's mutator, the text it replaced, what it put there, and why no behaviour tells them apart. */
export const eq = (file, mutator, original, replacement, reason) => ({ file, mutator, original, replacement, reason });
