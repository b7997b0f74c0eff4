// Syntax tree of one file -> its FileFacts. Never throws on any tree.
import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import type { FileFacts, Generator } from '../model/types';
import { extractGenerators } from './generators';
import { extractImportApplies } from './importApply';
import { extractMatrix } from './matrix';
import { extractRegistry } from './registry';

export interface FileRoles {
  registry: boolean;
  matrix: boolean;
}

export function extractFile(file: string, tree: Tree, roles: FileRoles): FileFacts {
  const dir = path.dirname(file);
  const resolvePath = (rel: string) => (rel.startsWith('/') ? path.normalize(rel) : path.resolve(dir, rel));
  const root = tree.rootNode;
  const scan = extractGenerators(root, file, resolvePath);
  const facts: FileFacts = {
    file,
    generators: scan.generators,
    opaqueGeneratorSources: scan.opaque.map((o) => ({ range: o.range, importTarget: o.importTarget })),
    importApplies: extractImportApplies(root, resolvePath),
  };
  if (roles.registry) {
    facts.registry = extractRegistry(root);
    facts.generators.push(...registryGenerators(file, facts));
  }
  if (roles.matrix) facts.matrix = extractMatrix(root);
  return facts;
}

/** Registry entries name generators (`generator = "anthropic-api-key"`): they count as declarations. */
function registryGenerators(file: string, facts: FileFacts): Generator[] {
  return (facts.registry?.entries ?? [])
    .filter((e) => e.generator)
    .map((e) => ({ name: e.generator!, file, origin: 'registry' as const, share: null, dependencies: [], files: [], prompts: [] }));
}
