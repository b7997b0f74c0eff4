// Equivalent survivors of rules/legacyMigration.ts, the code action of facts-leftover and sops-nix-secret (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const LEGACY = 'server/src/rules/legacyMigration.ts';

export default [
  eq(LEGACY, 'ConditionalExpression', "g.origin === 'module'", 'true', "the one file whose generators are not the module's is the secret registry (facts/file.ts registryGenerators: origin 'registry'), a data file of keys that declares no sops-nix secret and no facts service, so migrationFix is never called for it", 'migrationFix'),
  eq(LEGACY, 'OptionalChaining', 'clan.files.get(file)?.generators', 'clan.files.get(file).generators', "migrationFix's callers (facts-leftover, sops-nix-secret) pass a file of legacyDeclarations, which walks clan.files: the lookup is never undefined", 'migrationFix'),
  eq(LEGACY, 'ConditionalExpression', "d.kind === 'facts-service'", 'true', 'a sops-nix secret declaration never has files (facts/legacySecrets.ts sourceOf returns for sops-secret before walkFacts adds any), so d.files?.some is undefined for it either way', 'secretFactOwner'),
  eq(LEGACY, 'ConditionalExpression', 'facts.file !== file', 'true', "for the declaring file itself readers are machinesOfFile(file), the very machines of own: when own is not empty they are not empty and all in own, so the skip is false either way", 'migrationFix'),
  eq(LEGACY, 'ArrayDeclaration', '[]', '["Stryker was here"]', "the fallback list is read only when a file has no legacy secrets: its one element is a string, whose kind is undefined, never equal to d.kind, so it adds no edit", 'migrationFix'),
  eq(LEGACY, 'ArrayDeclaration', '[]', '["Stryker was here"]', 'the fallback list is read only when a file has no legacy secrets: its one element is a string, whose kind is undefined, never equal to the kind asked for, so nothing is yielded', 'legacyDeclarations'),
  eq(LEGACY, 'ConditionalExpression', 'range.start.character === 0', 'true', "a removal range (facts/editRanges.ts removalRange) ends at column 0 only when it is whole lines, which start at column 0; a part of a line ends after the binding's ';', past column 0: the end test alone decides", 'migrateFactRemoval'),
];
