// Equivalent survivors of rules/usersSecretOwner.ts and rules/sharedDependsOnMachine.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const USERS = 'server/src/rules/usersSecretOwner.ts';
const SHARED = 'server/src/rules/sharedDependsOnMachine.ts';
const BY_NAME = "unreachable fallback: every generator of clan.generators with a literal name is in clan.byName under it (GeneratorIndex inserts each counted generator with a non-null name, and a part model from withGenerators shares the whole index's byName), so get never gives undefined here";

export default [
  eq(USERS, 'ArrayDeclaration', '[g]', '[]', BY_NAME, '(class).check'),
  eq(USERS, 'ConditionalExpression', "g.origin !== 'module'", 'false', "the other generators are registry entries' declarations, made with options: [] (facts/file.ts and model/evaluatedFacts.ts registryGenerators): optionAt(g, 'files', f, owner/group) is undefined for them, so they give no finding either way", '(class).check'),
  eq(SHARED, 'ArrayDeclaration', '[g]', '[]', BY_NAME, '(class).check'),
  eq(SHARED, 'ConditionalExpression', "g.origin !== 'module'", 'false', "the other generators are registry entries' declarations, made with dependencies: [] (facts/file.ts and model/evaluatedFacts.ts registryGenerators), and sharedness gives null for them: they are skipped either way", '(class).check'),
  eq(SHARED, 'ConditionalExpression', 'g.name.name === null', 'false', "clan.byName has string keys only (GeneratorIndex inserts names that are not null), so get(null) is undefined and the ?? fallback gives the same [g]", '(class).check'),
  eq(SHARED, 'ConditionalExpression', 'dep.name === null', 'false', "clan.byName has string keys only (GeneratorIndex inserts names that are not null), so get(null) is undefined and !decls?.length skips the dependency the same", '(class).check'),
];
