// Equivalent survivors of rules/legacyMigration.ts, the code action of facts-leftover and sops-nix-secret (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const LEGACY = 'server/src/rules/legacyMigration.ts';

export default [
  eq(LEGACY, 'ConditionalExpression', "d.kind === 'facts-service' && !d.computed", 'true', 'only a literal facts service has files: facts/legacySecrets.ts sets d.files in sourceOf after the sops-secret return, and computed names and sets are pushed without files, so d.files?.some is undefined for every declaration the guard skips', 'secretFactOwner'),
  eq(LEGACY, 'ConditionalExpression', "d.kind === 'facts-service'", 'true', 'a sops-nix secret declaration never has files (facts/legacySecrets.ts sourceOf returns for sops-secret before walkFacts adds any), so d.files?.some is undefined for it either way', 'secretFactOwner'),
  eq(LEGACY, 'ConditionalExpression', 'facts.file !== file', 'true', "for the declaring file itself readers are machinesOfFile(file), the very machines of own: when own is not empty they are not empty and all in own, so the skip is false either way", 'migrationFix'),
  eq(LEGACY, 'ArrayDeclaration', '[]', '["Stryker was here"]', "the fallback list is read only when a file has no legacy secrets: its one element is a string, whose kind is undefined, never equal to d.kind, so it adds no edit", 'migrationFix'),
  eq(LEGACY, 'ArrayDeclaration', '[]', '["Stryker was here"]', 'the fallback list is read only when a file has no legacy secrets: its one element is a string, whose kind is undefined, never equal to the kind asked for, so nothing is yielded', 'legacyDeclarations'),
  eq(LEGACY, 'ConditionalExpression', 'range.start.character === 0', 'true', "a removal range (facts/editRanges.ts removalRange) ends at column 0 only when it is whole lines, which start at column 0; a part of a line ends after the binding's ';', past column 0: the end test alone decides", 'migrateFactRemoval'),
];
