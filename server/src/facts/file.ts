// Syntax tree of one file -> its FileFacts. Meant never to throw on any tree; when it does (a bug),
// the file is reported with an internal-error finding (model/workspaceIndex.ts).
import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import type { FlatNode as Node, FlatTree } from '../syntax/flatTree';
import { Glob } from '../base/glob';
import type { Position, Range } from '../base/types';
import { attrPath, bindingsOf, rangeOf, unparen, type NameRef } from '../syntax/syntax';
import { topLevel, type Scope } from './topLevel';
import type { FileFacts, Generator, ModuleFacts, RegistryEntry } from './types';
import { NixParser, treeText } from '../syntax/nixParser';
import { evaluateGenerators, type EvaluatedGenerator, type EvaluatedGenerators } from './evaluatedGenerators';
import { extractAccesses } from './accesses';
import { extractIgnoreComments, extractImportCalls, extractSecretKeyUses } from './fileExtras';
import { extractGenerators, extractGeneratorSetFile, readGeneratorSources, type GeneratorScan } from './generators';
import { unknownOption } from './generatorValues';
import { extractDiscoverDirs } from './discoverDirs';
import { extractImportApplies } from './importApply';
import { extractLegacySecrets } from './legacySecrets';
import { extractInventoryMachines } from './inventoryMachines';
import { extractClanSecretStore } from './clanSettings';
import { extractMatrix } from './matrix';
import { extractModules } from './modules';
import { inputSelection } from './moduleRefs';
import { serviceNameTemplates } from './serviceNames';
import { settingDefaults } from './serviceInterface';
import { extractEnableDefs, extractOptionDefs } from './optionDefs';
import { markPlatforms } from './platformGuards';
import { extractRegistry } from './registry';
import { registryStyle } from './registryStyle';
import { Attached } from '../base/attached';

export interface FileRoles {
  registry: boolean;
  matrix: boolean;
  /**
   * Another file imports it as a part of a clan's configuration (`inventory = import ./inventory.nix`,
   * model/clanParts.ts), or it is open in the editor: it is read as each such part too
   * (`clanReadings`). Only such files are: the readings took half the extraction's time on 33 real clans.
   */
  clanPart?: boolean;
}

/**
 * CLAN_VARS_TEST_ANALYSIS_THROW=<the end of a path>: the analysis of each file whose path ends so
 * throws, as a bug would; tests of how such a failure is reported set it (docs/robustness.md).
 */
const THROW_FOR = process.env.CLAN_VARS_TEST_ANALYSIS_THROW || null;
const throwsFor = (file: string) => THROW_FOR !== null && file.endsWith(THROW_FOR);

/** The facts of a file's name alone: no generators, no modules, nothing else. */
export function noFacts(file: string): FileFacts {
  return { file, generators: [], opaqueGeneratorSources: [], importApplies: [], accesses: [] };
}

/**
 * The words the extraction looks for before it reads a file's syntax (each extractor below starts
 * with such a check), and the attribute names of a file of generator declarations
 * (extractGeneratorSetFile). A text with none of them has no facts but its name: most NixOS modules
 * of a clan, which the scan then does not parse (unparsedFacts). Written with an escape (`"gener\ators"`),
 * a name is not seen by these checks, as it was not by the extractors' own before.
 */
const FACT_WORDS =
  /\benable\s*=(?!\s*(?:lib\.)?mk(?:Enable|Package)?Option\b)|generators|import|discover|clan-vars:|getPath|mkPasswordCmd|getVmPath|facts|sops|[mM]odules|machines|instances|roles|inventory|perInstance|perMachine|specialArgs|\bflake\b|\bclan\s*=|state-version|machine-id|enableRecommendedDefaults|zerotier|secretStore|files|prompts|script|dependencies|runtimeInputs|share|validation|migrateFact/;

/**
 * The facts of a text that needs no parse to know them: one with none of the words the extraction
 * looks for, of a file in no role that is read whole (the registry, the matrix, a part of a clan's
 * configuration). Null when the text must be parsed. What extractFile gives such a text, syntax errors
 * or not: whether it has any is not told, since nothing is read from it.
 */
export function unparsedFacts(file: string, text: string, roles: FileRoles): FileFacts | null {
  return roles.registry || roles.matrix || roles.clanPart || FACT_WORDS.test(text) || throwsFor(file) ? null : withFlakeFacts(noFacts(file), text);
}

/** A text that names clan, in a flake.nix or its flake.lock (model/machines.ts usesClan). */
export const NAMES_CLAN = /\bclan\b/;

/** `facts`, with `namesClan` when they are a flake.nix's. */
function withFlakeFacts(facts: FileFacts, text: string): FileFacts {
  if (path.basename(facts.file) === 'flake.nix') facts.namesClan = NAMES_CLAN.test(text);
  return facts;
}

/** With `parser`, generator sets the syntax cannot enumerate are computed by the evaluator. */
export function extractFile(file: string, parsed: Tree, roles: FileRoles, text?: string, parser?: NixParser): FileFacts {
  if (throwsFor(file)) throw new Error('deliberate failure (CLAN_VARS_TEST_ANALYSIS_THROW)');
  text ??= treeText(parsed);
  return unparsedFacts(file, text, roles) ?? extractParsed(file, NixParser.flatten(parsed), roles, text, parser);
}

/** extractFile past its check of the words: every extractor run (tests compare the two). */
export function extractParsed(file: string, tree: FlatTree, roles: FileRoles, text: string, parser?: NixParser): FileFacts {
  const dir = path.dirname(file);
  const resolvePath = (rel: string) => (rel.startsWith('/') ? path.normalize(rel) : path.resolve(dir, rel));
  const root = tree.rootNode;
  // Cheap text checks first: most files have no generators and no importApply at all.
  const scan: GeneratorScan = text.includes('generators') ? extractGenerators(root, file, resolvePath, text) : { generators: [], opaque: [] };
  if (parser && (scan.generators.some((g) => g.name.name === null || g.filesUnknown) || scan.opaque.some((o) => o.importTarget === null))) {
    const evaluated = evaluateGenerators(tree, file, parser);
    if (evaluated) applyEvaluated(scan, evaluated, root, file, (name, sources) => readGeneratorSources(root, file, resolvePath, text, name, sources));
  }
  markPlatforms(root, text, scan.generators);
  const facts: FileFacts = {
    file,
    generators: scan.generators,
    opaqueGeneratorSources: scan.opaque.map((o) => ({ range: o.range, importTarget: o.importTarget })),
    importApplies: text.includes('importApply') ? extractImportApplies(root, resolvePath, text) : [],
    accesses: text.includes('generators') ? extractAccesses(root, text) : [],
  };
  const setGenerators = scan.generators.length === 0 ? extractGeneratorSetFile(root, file, resolvePath, text) : [];
  if (setGenerators.length) facts.setGenerators = setGenerators;
  const discoverDirs = extractDiscoverDirs(root, resolvePath, text);
  if (discoverDirs.length) facts.discoverDirs = discoverDirs;
  if (root.hasError) {
    facts.hasSyntaxErrors = true;
    facts.firstSyntaxError = firstErrorAt(root);
  }
  const ignores = extractIgnoreComments(text);
  if (ignores.length) facts.ignoreComments = ignores;
  const keyUses = extractSecretKeyUses(root, text);
  if (keyUses.length) facts.secretKeyUses = keyUses;
  const legacy = extractLegacySecrets(root, text, resolvePath);
  if (legacy) facts.legacySecrets = legacy;
  const imports = extractImportCalls(root, text, resolvePath);
  if (imports.length) facts.imports = imports;
  if (roles.registry) {
    facts.registry = extractRegistry(root, file, text);
    const style = registryStyle(root, text);
    if (style) facts.registry.style = style;
    facts.generators.push(...registryGenerators(file, facts));
  }
  if (roles.matrix) facts.matrix = extractMatrix(root, file, text);
  const clanArguments = isClanArguments(file, root);
  if (/imports|Modules|modules|machines|instances|roles|inventory|perInstance|perMachine|specialArgs|\bflake\b|\bclan\s*=/.test(text)) {
    const modules = extractModules(root, resolvePath, clanArguments);
    if (hasModuleFacts(modules)) facts.modules = modules;
    // the file read as a part of a clan's configuration, for another file that imports it as one
    // (`inventory = import ./inventory.nix`): the model uses the reading where such an import is
    if (roles.clanPart && /instances|machines|inventory|modules|roles/.test(text)) {
      for (const prefix of CLAN_READINGS) {
        if (prefix.length === 0 && clanArguments) continue;
        const reading = extractModules(root, resolvePath, true, prefix);
        if (hasClanStructure(reading)) (facts.clanReadings ??= {})[prefix.join('.')] = reading;
      }
    }
  }
  if (roles.clanPart) facts.readAsPart = true;
  // a clan service's computed generator names: how each is made from what clan passes it
  const computed = facts.modules?.isClanService ? facts.generators.filter((g) => g.name.name === null) : [];
  if (computed.length) {
    const templates = serviceNameTemplates(root, computed.map((g) => g.name.range.start));
    for (const g of computed) {
      const t = templates.get(`${g.name.range.start.line}:${g.name.range.start.character}`);
      if (t) g.nameTemplate = t;
    }
  }
  // what conditions on a clan service's settings read where an instance does not write them
  const defaults = facts.modules?.isClanService && text.includes('interface') ? settingDefaults(root) : undefined;
  if (defaults) facts.modules!.settingDefaults = defaults;
  if (text.includes('machines')) {
    const machines = extractInventoryMachines(root);
    if (machines.names.length) facts.inventoryMachines = machines.names;
    if (machines.computed.length) facts.computedMachineLines = machines.computed;
  }
  if (/state-version|machine-id|enableRecommendedDefaults|zerotier/.test(text)) {
    const defs = extractOptionDefs(root);
    if (defs.length) facts.optionDefs = defs;
  }
  // every text the scan parses (FACT_WORDS): a value the syntax cannot read (`my = import ./x.nix;`)
  // may define `my.x.enable`; a text it does not parse defines none that it names (unparsedFacts)
  if (!roles.registry && !roles.matrix && FACT_WORDS.test(text)) {
    const enableDefs = extractEnableDefs(root);
    if (enableDefs.length) facts.enableDefs = enableDefs;
  }
  if (text.includes('secretStore')) {
    const store = extractClanSecretStore(root, clanArguments);
    if (store) facts.secretStore = store;
  }
  return withFlakeFacts(facts, text);
}

/** Where in a clan's configuration another file may put a file's value (model/clanParts.ts). */
export const CLAN_READINGS: string[][] = [[], ['inventory'], ['inventory', 'instances'], ['instances'], ['machines']];

/** `clan-core.clanModules.<name>` (also through `inputs`): a NixOS module of clan-core's from before its clan services. */
function isClanCoreNixosModule(n: Node | null, scope: Scope): boolean {
  const ref = inputSelection(n, scope);
  return ref?.name === 'clan-core' && /^clanModules\.[^.]+$/.test(ref.attr);
}

/**
 * Whether a file is read as the clan's configuration from its top: a `clan.nix` (the clan function's
 * argument, or a module of it: `imports = [ ./clan.nix ]`), unless it sets `clan` or `flake.clan`
 * itself, as a flake-parts module does (`clan = { inventory = ...; };`): the clan has no option `clan`;
 * or it imports clan-core's NixOS modules (`imports = [ clan-core.clanModules.sshd ]`): an old clan
 * template's shared machine module, named `clan.nix` and imported by each machine's configuration.
 */
function isClanArguments(file: string, root: Node): boolean {
  if (path.basename(file) !== 'clan.nix') return false;
  const top = topLevel(root);
  return !top?.sets.some((set) =>
    bindingsOf(set).some((b) => {
      if (b.type !== 'binding') return false;
      const names = attrPath(b.childForFieldName('attrpath')).map((p) => p.name);
      if (names[0] === 'clan' || (names[0] === 'flake' && names[1] === 'clan')) return true;
      if (names.length === 1 && names[0] === 'imports') {
        const list = unparen(b.childForFieldName('expression'));
        return list?.type === 'list_expression' && list.namedChildren.some((e) => isClanCoreNixosModule(e, top.scope));
      }
      // `flake = { clan = { ... }; }`
      const v = names.length === 1 && names[0] === 'flake' ? b.childForFieldName('expression') : null;
      return !!v && v.type === 'attrset_expression' && bindingsOf(v).some((c) => c.type === 'binding' && attrPath(c.childForFieldName('attrpath'))[0]?.name === 'clan');
    }),
  );
}

function hasModuleFacts(m: ModuleFacts): boolean {
  return !!(m.imports.length || m.flakeModules.length || m.computedFlakeModules?.length || m.openAspects?.length || m.machineModules.length || m.machineTemplates?.length || m.inventoryMachines?.length || m.instances.length || m.inventoryTags?.length || m.services.length || m.isClanService || m.opaqueParts?.length || m.clanRefs?.length || m.specialArgs?.length || m.flakeValues?.length || m.computedServiceSets?.length);
}

/** Whether a reading of a file as a part of the clan's configuration says anything of its structure. */
function hasClanStructure(m: ModuleFacts): boolean {
  return !!(m.machineModules.length || m.machineTemplates?.length || m.inventoryMachines?.length || m.instances.length || m.inventoryTags?.length || m.services.length || m.opaqueParts?.length || m.clanRefs?.length || m.specialArgs?.length || m.computedServiceSets?.length);
}

/** A test of the platform a module may make its settings depend on. */
const fromEntry = new Attached<RegistryEntry, Generator>('generator');

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

/**
 * Puts what the evaluator computed in place of what the syntax could not name: a generator with a
 * computed name becomes one generator per name it evaluates to (keeping what the syntax read of
 * it), a computed set yields its generators, and both stop counting as unknown when the module's
 * whole set is known. Declarations inside functions the evaluation does not call (a clan service's
 * `perInstance`) are left as they are.
 */
function applyEvaluated(scan: GeneratorScan, ev: EvaluatedGenerators, root: Node, file: string, read: (name: NameRef, sources: Range[]) => Generator | null): void {
  /** The generator's definitions read as written, when the evaluation located them all. */
  const written = (e: EvaluatedGenerator, name: NameRef) => (e.sources?.length ? read(name, e.sources) : null);
  const literal = new Set(scan.generators.flatMap((g) => (g.name.name !== null ? [g.name.name] : [])));
  const computed = scan.generators.filter((g) => g.name.name === null);
  const resolved = new Set<Generator>();
  const added: Generator[] = [];
  const anchor = scan.opaque.find((o) => o.importTarget === null)?.range ?? computed[0]?.name.range;
  for (const e of ev.generators) {
    if (literal.has(e.name.name)) {
      // what the syntax could not list in a generator it names (`inherit x;`, `files = lib.genAttrs ...`)
      for (const g of scan.generators) if (g.name.name === e.name.name && g.filesUnknown) fillFrom(g, e, written(e, g.name));
      continue;
    }
    const from = computed.find((g) => g.name.pattern !== null && new Glob(g.name.pattern).test(e.name.name));
    const range = e.name.range ?? from?.name.range ?? anchor;
    if (!range) continue;
    const name: NameRef = { name: e.name.name, pattern: null, range };
    const deps = e.dependencies?.map((d): NameRef => ({ name: d.name, pattern: null, range: d.range ?? range }));
    // a file only evaluation names (`files = lib.genAttrs ...`): its settings were not read
    const files = e.files?.map((f) => from?.files.find((x) => x.name === f) ?? { name: f, range, optionsUnknown: true, deploy: null }) ?? from?.files ?? [];
    const prompts = e.prompts?.map((p) => from?.prompts.find((x) => x.name === p) ?? { name: p, range }) ?? from?.prompts ?? [];
    const source = from ? null : written(e, name);
    const g: Generator = from
      ? { ...from, name, aliases: undefined, dependencies: deps ?? from.dependencies, files, prompts, share: from.share ?? e.share, filesUnknown: undefined, evaluated: from.options.length === 0 && !from.script ? true : undefined }
      : source
        ? { ...source, name, share: e.share, dependencies: deps ?? source.dependencies, files: placed(files, source.files), prompts: placed(prompts, source.prompts), filesUnknown: undefined }
        : { name, file, origin: 'module', share: e.share, dependencies: deps ?? [], files, prompts, options: [], evaluated: true };
    if (e.files === null || e.prompts === null) g.filesUnknown = true;
    persistUnread(g, g.evaluated ? [] : (from ?? source)?.prompts ?? []);
    if (from) resolved.add(from);
    added.push(g);
  }
  if (!ev.closed) {
    scan.generators.push(...added);
    return;
  }
  // a pattern for a set the evaluation enumerated (even as empty) says nothing more
  for (const p of scan.patternSets ?? []) if (atTopLevel(root, p.range)) resolved.add(p.generator);
  scan.generators = [...scan.generators.filter((g) => !resolved.has(g)), ...added];
  scan.opaque = scan.opaque.filter((o) => o.importTarget !== null || !atTopLevel(root, o.range));
}

/**
 * What evaluation computed for a generator the syntax names but could not read (`inherit x;`,
 * `files = lib.genAttrs ...`), and, from `source` (its definitions read where they are written),
 * its script and options: without those it is marked evaluated (no check concludes from their absence).
 */
function fillFrom(g: Generator, e: EvaluatedGenerator, source: Generator | null): void {
  if (e.files === null || e.prompts === null) return;
  const unread = g.options.length === 0 && !g.script;
  const written = g.prompts.slice();
  if (unread && source) {
    Object.assign(g, { options: source.options, script: source.script, insertAt: g.insertAt ?? source.insertAt });
    g.files = placed(e.files.map((f) => g.files.find((x) => x.name === f) ?? { name: f, range: g.name.range, optionsUnknown: true, deploy: null }), source.files);
    g.prompts = placed(e.prompts.map((p) => g.prompts.find((x) => x.name === p) ?? { name: p, range: g.name.range }), source.prompts);
  }
  for (const f of e.files) if (!g.files.some((x) => x.name === f)) g.files.push({ name: f, range: g.name.range, optionsUnknown: true, deploy: null });
  for (const p of e.prompts) if (!g.prompts.some((x) => x.name === p)) g.prompts.push({ name: p, range: g.name.range });
  if (g.dependencies.length === 0 && e.dependencies) g.dependencies = e.dependencies.map((d) => ({ name: d.name, pattern: null, range: d.range ?? g.name.range }));
  if (g.share === null) g.share = e.share;
  if (unread && !source) g.evaluated = true;
  persistUnread(g, g.evaluated ? [] : unread && source ? [...written, ...source.prompts] : written);
  g.filesUnknown = undefined;
}

/**
 * A prompt only evaluation names (`prompts = lib.genAttrs ...`, `prompts.${p}.persist = true`), or
 * any prompt of a generator marked evaluated, had its settings unread: its `persist` is unknown (as
 * the syntax marks a prompt whose value it cannot read), so no check concludes it provides no file.
 */
function persistUnread(g: Generator, written: { name: string }[]): void {
  const unread = g.prompts.filter((p) => !written.some((w) => w.name === p.name) && !g.options.some((o) => o.path[0] === 'prompts' && o.path[1] === p.name));
  // a new list: the declaration's options may be shared with the one it was read from
  if (unread.length) g.options = [...g.options, ...unread.map((p) => unknownOption([{ name: 'prompts', pattern: null, range: p.range }, { name: p.name, pattern: null, range: p.range }, { name: 'persist', pattern: null, range: p.range }]))];
}

/** The computed names, each with the place (and removal ranges) where its definition writes it, when it does. */
function placed<T extends { name: string }>(names: T[], written: T[]): T[] {
  return names.map((n) => written.find((w) => w.name === n.name) ?? n);
}

/** The range lies in the module's own body, not inside a function the module defines. */
function atTopLevel(root: Node, range: Range): boolean {
  let n: Node | null = root.descendantForPosition({ row: range.start.line, column: range.start.character });
  let functions = 0;
  for (; n; n = n.parent) if (n.type === 'function_expression') functions++;
  const outer = root.namedChildren.find((c) => c.type !== 'comment');
  return functions <= (outer?.type === 'function_expression' ? 1 : 0);
}

/** The start of the first error or missing node under `node`, which has an error. */
function firstErrorAt(node: Node): Position {
  for (;;) {
    const child = node.type === 'ERROR' || node.isMissing ? null : node.children.find((c) => c.hasError || c.isMissing || c.type === 'ERROR');
    if (!child) return rangeOf(node).start;
    node = child;
  }
}
