// Surviving mutants that are equivalent: no behaviour of clan, Nix or the editor can tell them from
// the code as written. Each entry names the file, Stryker's mutator, the text it replaced and what
// it put there (whitespace does not matter), and the reason in one line. mutation/run.mjs counts a
// survivor that matches an entry as equivalent (outside the score); every other survivor is listed.
// One file a folder under equivalent/, each a list made with eq() (equivalent/eq.mjs).
import builtins from './equivalent/builtins.mjs';
import confinement from './equivalent/confinement.mjs';
import discovery from './equivalent/discovery.mjs';
import factsGenerators from './equivalent/facts-generators.mjs';
import factsGeneratorsBounds from './equivalent/facts-generators-bounds.mjs';
import factsRegistryMatrix from './equivalent/facts-registry-matrix.mjs';
import factsRegistryMatrixBounds from './equivalent/facts-registry-matrix-bounds.mjs';
import factsValues from './equivalent/facts-values.mjs';
import migration from './equivalent/migration.mjs';
import model from './equivalent/model.mjs';
import modelOptions from './equivalent/model-options.mjs';
import rules from './equivalent/rules.mjs';
import scan from './equivalent/scan.mjs';
import secrets from './equivalent/secrets.mjs';

export const EQUIVALENT = [...builtins, ...confinement, ...discovery, ...factsGenerators, ...factsGeneratorsBounds, ...factsRegistryMatrix, ...factsRegistryMatrixBounds, ...factsValues, ...migration, ...model, ...modelOptions, ...rules, ...scan, ...secrets];
