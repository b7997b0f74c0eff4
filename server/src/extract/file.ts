// Syntax tree of one file -> its FileFacts. Never throws on any tree.
import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import type { FileFacts, Generator, RegistryEntry } from '../model/types';
import { extractAccesses } from './accesses';
import { extractIgnoreComments, extractImportCalls, extractSecretKeyUses } from './fileExtras';
import { extractGenerators } from './generators';
import { extractImportApplies } from './importApply';
import { extractInventoryMachines } from './inventoryMachines';
import { extractMatrix } from './matrix';
import { extractModules } from './modules';
import { extractRegistry } from './registry';
import { registryStyle } from './registryStyle';

export interface FileRoles {
  registry: boolean;
  matrix: boolean;
}

export function extractFile(file: string, tree: Tree, roles: FileRoles, text = tree.rootNode.text): FileFacts {
  const dir = path.dirname(file);
  const resolvePath = (rel: string) => (rel.startsWith('/') ? path.normalize(rel) : path.resolve(dir, rel));
  const root = tree.rootNode;
  // Cheap text checks first: most files have no generators and no importApply at all.
  const scan = text.includes('generators') ? extractGenerators(root, file, resolvePath, text) : { generators: [], opaque: [] };
  const facts: FileFacts = {
    file,
    generators: scan.generators,
    opaqueGeneratorSources: scan.opaque.map((o) => ({ range: o.range, importTarget: o.importTarget })),
    importApplies: text.includes('importApply') ? extractImportApplies(root, resolvePath, text) : [],
    accesses: text.includes('generators') ? extractAccesses(root, text) : [],
  };
  if (root.hasError) facts.hasSyntaxErrors = true;
  const ignores = extractIgnoreComments(text);
  if (ignores.length) facts.ignoreComments = ignores;
  const keyUses = extractSecretKeyUses(root, text);
  if (keyUses.length) facts.secretKeyUses = keyUses;
  const imports = extractImportCalls(root, text, resolvePath);
  if (imports.length) facts.imports = imports;
  if (roles.registry) {
    facts.registry = extractRegistry(root, file);
    const style = registryStyle(root, text);
    if (style) facts.registry.style = style;
    facts.generators.push(...registryGenerators(file, facts));
  }
  if (roles.matrix) facts.matrix = extractMatrix(root);
  if (/imports|Modules|modules|machines|instances/.test(text)) {
    const modules = extractModules(root, resolvePath, path.basename(file) === 'clan.nix');
    if (modules.imports.length || modules.flakeModules.length || modules.machineModules.length || modules.machineTemplates?.length || modules.inventoryMachines?.length || modules.instances.length || modules.services.length || modules.isClanService) facts.modules = modules;
  }
  if (text.includes('machines')) {
    const machines = extractInventoryMachines(root);
    if (machines.length) facts.inventoryMachines = machines;
  }
  return facts;
}

const fromEntry = new WeakMap<RegistryEntry, Generator>();

/**
 * Registry entries name generators (`generator = "anthropic-api-key"`): they count as declarations.
 * An unchanged entry keeps its generator object, so unchanged input is recognised by identity.
 */
function registryGenerators(file: string, facts: FileFacts): Generator[] {
  const out: Generator[] = [];
  for (const e of facts.registry?.entries ?? []) {
    if (!e.generator) continue;
    let g = fromEntry.get(e);
    if (!g || g.file !== file) {
      g = { name: e.generator, file, origin: 'registry', share: null, dependencies: [], files: [], prompts: [], options: [] };
      fromEntry.set(e, g);
    }
    out.push(g);
  }
  return out;
}
