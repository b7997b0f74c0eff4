// Equivalent survivors of secrets/sopsKeys.ts and secrets/sopsFormat.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const KEYS = 'server/src/secrets/sopsKeys.ts';
const FORMAT = 'server/src/secrets/sopsFormat.ts';

export default [
  eq(KEYS, 'StringLiteral', "''", '"Stryker was here!"',
    'the fallback type of an entry whose "type" is no string: neither \'\' nor "Stryker was here!" is age or pgp, so both fail the next check, whose message shows String(o?.type), not this value', 'readKeyJson'),
  eq(KEYS, 'OptionalChaining', 'o?.type', 'o.type',
    'this message is reached only after the entry passed the "publickey" check, which needs typeof o?.publickey === \'string\': o is then a non-null object, so o?.type and o.type read the same', 'readKeyJson'),
  eq(KEYS, 'ArithmeticOperator', 'depth + 1', 'depth - 1',
    "a group's members are resolved with kind users or machines only, and depth is read only for kind groups (depth > 0), so the members' depth is never looked at", 'resolveOne'),
  eq(KEYS, 'ConditionalExpression', 'inner.problem', 'true',
    "with no problem in the member, link.problem ??= null leaves link.problem as it was (null stays null, a problem stays), so assigning unconditionally changes nothing", 'resolveOne'),
  eq(FORMAT, 'OptionalChaining', 'doc?.sops', 'doc.sops',
    'doc is null or undefined only for the text "null" (JSON.parse gives no undefined): doc.sops then throws a TypeError inside the try, whose catch returns null, the same null that !s returns', 'sopsRecipients'),
  eq(KEYS, 'ConditionalExpression', "entries && !entries.some((e) => e.name === kind && !e.isFile())", 'false',
    "the listing of the secret's folder only spares looking into a users/, machines/ or groups/ that is not there or is a plain file; looking anyway lists nothing there (Confinement.entriesWithLinks of a missing folder or of a file is empty), so a mutant that skips fewer kinds gives the same links", 'resolveSecretLinks'),
  eq(KEYS, 'ConditionalExpression', 'e.name === kind && !e.isFile()', 'true',
    "the listing of the secret's folder only spares looking into a users/, machines/ or groups/ that is not there or is a plain file; looking anyway lists nothing there (Confinement.entriesWithLinks of a missing folder or of a file is empty), so a mutant that skips fewer kinds gives the same links", 'resolveSecretLinks'),
  eq(KEYS, 'LogicalOperator', 'e.name === kind && !e.isFile()', 'e.name === kind || !e.isFile()',
    "the listing of the secret's folder only spares looking into a users/, machines/ or groups/ that is not there or is a plain file; looking anyway lists nothing there (Confinement.entriesWithLinks of a missing folder or of a file is empty), so a mutant that skips fewer kinds gives the same links", 'resolveSecretLinks'),
  eq(KEYS, 'ConditionalExpression', 'e.name === kind', 'true',
    "the listing of the secret's folder only spares looking into a users/, machines/ or groups/ that is not there or is a plain file; looking anyway lists nothing there (Confinement.entriesWithLinks of a missing folder or of a file is empty), so a mutant that skips fewer kinds gives the same links", 'resolveSecretLinks'),
];
