/**
 * One equivalent survivor: the file, Stryker's mutator, the text it replaced, what it put there, why
 * no behaviour tells them apart, and where: the function holding it (`Class.method`, a function's or
 * a variable's name, `(module)` outside every function; mutation/where.mjs), or a list of them.
 */
export const eq = (file, mutator, original, replacement, reason, where) => ({ file, mutator, original, replacement, reason, where });
