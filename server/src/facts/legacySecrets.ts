// Secrets declared in the systems vars replaced: clan facts services
// (`clan.core.facts.services.<s> = { secret.<f> = ...; public.<f> = ...; generator.script = ...; }`)
// and plain sops-nix secrets (`sops.secrets."<name>" = { owner = ...; }`), with the reads of their
// paths (`config.clan.core.facts.services.<s>.secret.<f>.path`, `config.sops.secrets."<name>".path`).
// Each declaration carries the vars generator that replaces it, as text (legacyGenerators.ts): the
// migration's code action. Names are read as legacyNames.ts reads them (let-bound strings, the
// machine's name); a module built by a function over a list or set (`lib.mkMerge (map (n: { ... })
// networks)`) is walked too, and what it names through the function's argument is a computed name.
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Range } from '../base/types';
import { samePath, startsWithPath } from '../base/pathPrefix';
import type { FactsUse, LegacyRead, LegacySecret, LegacySecrets, PerMachineName } from './types';
import { applyParts, attrName, attrPath, bindingsOf, dottedName, literalOf, rangeOf, unparen } from '../syntax/syntax';
import { removalRange } from './editRanges';
import { letScope, withoutParameters, type Scope } from './topLevel';
import { FACT_FILE_PATH, factFileSettings, factsGenerator, generatorNameOfSops, indentOf, sopsGenerator, WRAPPERS } from './legacyGenerators';
import { legacyName, perMachineName, scopeAround } from './legacyNames';

const FACTS = ['clan', 'core', 'facts', 'services'];
const SOPS = ['sops', 'secrets'];

export function extractLegacySecrets(root: Node, text: string, resolvePath: (rel: string) => string): LegacySecrets | null {
  if (!text.includes('facts') && !text.includes('sops')) return null;
  return new LegacySecretsReader(text, resolvePath).read(root);
}

/** One file's facts services, sops-nix secrets and their reads, found in one walk of its syntax. */
class LegacySecretsReader {
  private readonly declarations: LegacySecret[] = [];
  private readonly reads: LegacyRead[] = [];
  private readonly factsUses: FactsUse[] = [];
  private defaultSopsFile: string | undefined;
  /** Whether fixes may be written here: not inside a module made by a function (`map (n: { ... })`). */
  private outerKnown = true;

  constructor(
    private readonly text: string,
    private readonly resolvePath: (rel: string) => string,
  ) {}

  read(root: Node): LegacySecrets | null {
    this.visit(root, [], 0, null);
    const { declarations, reads, factsUses, defaultSopsFile } = this;
    // two bindings of one secret would become two definitions of one generator: Nix rejects that
    for (const d of declarations) {
      if (!declarations.some((o) => o !== d && o.kind === d.kind && o.name === d.name)) continue;
      delete d.replacement;
      delete d.factReplacement;
    }
    for (const d of declarations) if (d.kind === 'sops-secret' && d.name.startsWith('vars/')) delete d.replacement;
    this.readReads(root);
    if (!declarations.length && !reads.length && !defaultSopsFile && !factsUses.length) return null;
    return { declarations, reads, ...(defaultSopsFile ? { defaultSopsFile } : {}), ...(factsUses.length ? { factsUses } : {}) };
  }

  /**
   * reads: config.sops.secrets.<n>.path, config.clan.core.facts.services.<s>.{secret,public}.<f>.{path,value}
   * (found in document order, outer before inner, without recursion: a chain of thousands of
   * arguments nests as deep, past the call stack of a recursive walk); what lies inside a read is
   * part of it
   */
  private readReads(root: Node): void {
    let readEnd = -1;
    for (const node of root.descendantsOfType('select_expression')) {
      if (node.startIndex < readEnd) continue;
      const read = readOf(node);
      const use = read ? null : factsUseOf(node);
      if (use) this.factsUses.push(use);
      if (!read && !use) continue;
      if (read) this.reads.push(read);
      readEnd = node.endIndex;
    }
  }

  private literalPath(v: Node | null): string | null {
    return v?.type === 'path_expression' && !v.namedChildren.some((c) => c.type === 'interpolation') ? this.resolvePath(v.text) : null;
  }

  /** What a declaration says about where its value is (merged over several bindings of one secret). */
  private sourceOf(d: LegacySecret, rest: string[], value: Node | null): void {
    const set = (key: string, v: Node | null) => {
      const src = (d.sops ??= {});
      if (key === 'sopsFile') src.sopsFile = this.literalPath(unparen(v));
      else if (key === 'key' || key === 'format') src[key] = typeof literalOf(unparen(v)) === 'string' ? (literalOf(unparen(v)) as string) : null;
    };
    const addFile = (name: string, secret: boolean) => {
      const files = (d.files ??= []);
      if (!files.some((f) => f.name === name)) files.push({ name, secret });
    };
    const v = unparen(value);
    if (d.kind === 'sops-secret') {
      if (rest.length === 1) set(rest[0], v);
      else if (rest.length === 0 && v?.type === 'attrset_expression') {
        for (const c of bindingsOf(v)) {
          const parts = attrPath(c.childForFieldName('attrpath'));
          if (c.type === 'binding' && parts.length === 1 && parts[0].name) set(parts[0].name, c.childForFieldName('expression'));
        }
      }
      return;
    }
    // facts: secret.<f> / public.<f>, written at any depth of the path
    const walkFacts = (path: string[], node: Node | null): void => {
      if ((path[0] === 'secret' || path[0] === 'public') && path.length >= 2) return addFile(path[1], path[0] === 'secret');
      const n = unparen(node);
      if (n?.type !== 'attrset_expression' || path.length > 1) return;
      for (const c of bindingsOf(n)) {
        const parts = attrPath(c.childForFieldName('attrpath'));
        if (c.type === 'binding' && parts.every((p) => p.name !== null)) walkFacts([...path, ...parts.map((p) => p.name!)], c.childForFieldName('expression'));
      }
    };
    walkFacts(rest, value);
  }

  /** The set of services or secrets itself, as an expression only evaluation reads. */
  private computedSet(kind: LegacySecret['kind'], n: Node): void {
    const first = n.text.split('\n')[0];
    const start = rangeOf(n).start;
    this.declarations.push({ kind, name: first.length > 60 || n.text.includes('\n') ? `${first.slice(0, 57).trimEnd()}...` : first, computed: 'set', range: { start, end: { line: start.line, character: start.character + first.length } } });
  }

  /**
   * `outer`: the binding of the module's configuration (top level, or inside `config = { ... }`)
   * that holds this value; a declaration nested in it is replaced by a generator written after it.
   */
  private visit(node: Node | null, path: string[], depth: number, outer: Node | null, scope: Scope = new Map()): void {
    const n = unparen(node);
    if (!n || depth > 40) return;
    // the set of services or secrets itself, as an expression only evaluation reads (`lib.mapAttrs' (...) peers`, `a // b`)
    const setKind = samePath(path, FACTS) ? 'facts-service' : samePath(path, SOPS) ? 'sops-secret' : null;
    if (setKind && !['attrset_expression', 'rec_attrset_expression', 'list_expression', 'let_expression', 'with_expression', 'apply_expression'].includes(n.type)) return this.computedSet(setKind, n);
    if (setKind && n.type === 'apply_expression' && !WRAPPERS.test(dottedName(applyParts(n).fn) ?? '')) return this.computedSet(setKind, n);
    switch (n.type) {
      case 'source_code':
        for (const c of n.namedChildren) if (c && c.type !== 'comment') this.visit(c, path, depth + 1, outer, scope);
        return;
      case 'function_expression':
        return this.visit(n.childForFieldName('body'), path, depth + 1, outer, withoutParameters(scope, n));
      case 'with_expression':
        return this.visit(n.childForFieldName('body'), path, depth + 1, outer, scope);
      case 'let_expression':
        return this.visit(n.childForFieldName('body'), path, depth + 1, outer, letScope(n, scope));
      case 'apply_expression':
        return this.visitApply(n, path, depth, outer, scope);
      case 'list_expression':
        for (const e of n.namedChildren) if (e && e.type !== 'comment') this.visit(e, path, depth + 1, outer, scope);
        return;
      case 'attrset_expression':
      case 'rec_attrset_expression':
        for (const b of bindingsOf(n)) if (b.type === 'binding') this.visitBinding(b, path, depth, outer, scope);
        return;
    }
  }

  private visitApply(n: Node, path: string[], depth: number, outer: Node | null, scope: Scope): void {
    // `lib.mkIf cond { ... }`: the value is the last argument
    const { fn, args } = applyParts(n);
    if (args.length && WRAPPERS.test(dottedName(fn) ?? '')) return this.visit(args[args.length - 1], path, depth + 1, outer, scope);
    // `map (name: { ... }) networks`, `lib.mapAttrsToList (name: v: { ... })`: modules made by a
    // function, each a configuration of its own, with no fix (it would be written once per element)
    for (const a of args) {
      if (unparen(a)?.type !== 'function_expression') continue;
      const was = this.outerKnown;
      this.outerKnown = false;
      this.visit(a, path, depth + 1, null, scope);
      this.outerKnown = was;
    }
  }

  private visitBinding(b: Node, path: string[], depth: number, outer: Node | null, scope: Scope): void {
    const parts = namesIn(b.childForFieldName('attrpath'), scope);
    // the machine's name makes the name of a sops-nix secret only (one per machine)
    const machinePart = parts.findIndex((p) => p.perMachine);
    if (machinePart >= 0 && !(parts.every((p, i) => p.name !== null || i === machinePart) && isSopsName([...path, ...parts.slice(0, machinePart).map((p) => p.name!)]))) {
      parts[machinePart] = { ...parts[machinePart], perMachine: undefined };
    }
    if (parts.some((p) => p.name === null && !p.perMachine)) {
      // a computed name: a facts service or sops-nix secret all the same, with no fix
      const known = parts.findIndex((p) => p.name === null);
      const head = [...path, ...parts.slice(0, known).map((p) => p.name!)];
      const at = head[0] === 'config' ? head.slice(1) : head;
      const kind = samePath(at, FACTS) ? 'facts-service' : samePath(at, SOPS) ? 'sops-secret' : null;
      if (kind) this.declarations.push({ kind, name: parts[known].text, computed: 'name', range: parts[known].range });
      return;
    }
    let full = [...path, ...parts.map((p) => p.name ?? perMachineName(p.perMachine!))];
    if (full[0] === 'config') full = full.slice(1);
    const value = b.childForFieldName('expression');
    // a binding of the configuration's own level (not `config = { ... }` itself, whose bindings are)
    const here = path.length === 0 && full.length > 0 ? b : outer;
    const kind = startsWithPath(full, FACTS) ? 'facts-service' : startsWithPath(full, SOPS) ? 'sops-secret' : null;
    if (!kind) {
      if (full.length === 2 && full[0] === 'sops' && full[1] === 'defaultSopsFile') this.defaultSopsFile = this.literalPath(unparen(value)) ?? undefined;
      // `clan.core.facts.secretStore = ...`: an option of the removed facts system set
      else if (full.length > FACTS_ROOT.length && startsWithPath(full, FACTS_ROOT) && full[FACTS_ROOT.length] !== 'services') this.factsUses.push({ range: rangeOf(b.childForFieldName('attrpath')!), path: full.join('.'), setting: true });
      else if (prefixOf(full, FACTS) || prefixOf(full, SOPS)) this.visit(value, full, depth + 1, here, scope);
      // `imports = [ { ... } ({ config, ... }: { ... }) ]`: modules written inline, each a configuration of its own
      else if (path.length === 0 && full.length === 1 && full[0] === 'imports') this.visit(value, [], depth + 1, null, scope);
      return;
    }
    const nameIndex = (kind === 'facts-service' ? FACTS : SOPS).length;
    const nameRef = parts[nameIndex - (full.length - parts.length)];
    // `sops.secrets = { a = ...; b = ...; }`
    if (full.length === nameIndex) return this.visit(value, full, depth + 1, here, scope);
    if (nameRef) this.declare(kind, full[nameIndex], nameRef, full.slice(nameIndex + 1), value, b, here ?? b);
  }

  /** A facts service or sops-nix secret declared by binding `b` (held by the configuration binding `top`), with its fixes. */
  private declare(kind: LegacySecret['kind'], name: string, nameRef: { range: Range; perMachine?: PerMachineName }, rest: string[], value: Node | null, b: Node, top: Node): void {
    const decl: LegacySecret = { kind, name, range: nameRef.range, ...(nameRef.perMachine ? { perMachine: nameRef.perMachine } : {}) };
    this.sourceOf(decl, rest, value);
    // `config.sops.secrets.x = ...` at the top: the module's other bindings are `config.…` too
    const configPrefix = attrPath(top.childForFieldName('attrpath'))[0]?.name === 'config' ? 'config.' : '';
    const edits = (generator: string | null) => {
      if (!generator || !this.outerKnown) return undefined;
      const replacement = configPrefix + generator;
      if (top === b) return { edits: [{ range: rangeOf(b), newText: replacement }] };
      // nested (`sops = { secrets.x = ...; }`, `clan.core.facts.services = { a = ...; }`): the
      // binding goes, and the generator follows the configuration binding that held it
      const end = rangeOf(top).end;
      return { edits: [{ range: removalRange(b, this.text), newText: '' }, { range: { start: end, end }, newText: `\n${indentOf(top)}${replacement}` }] };
    };
    const replacement = edits(kind === 'facts-service' ? (rest.length ? null : factsGenerator(name, value, top)) : name.startsWith('vars/') ? null : sopsGenerator(decl, rest, value, top));
    if (replacement) decl.replacement = replacement;
    // `"${config.networking.hostName}-password-hash"`: maybe the sops-nix secret of a secret fact
    const asFact = decl.perMachine && decl.perMachine.before === '' && decl.perMachine.after.startsWith('-') ? edits(factFileSettings(rest, value, top)) : undefined;
    if (asFact) decl.factReplacement = asFact;
    this.declarations.push(decl);
  }
}

/** The names of an attrpath (legacyNames.ts), each part's text as written and its range. */
function namesIn(attrpath: Node | null, scope: Scope): { name: string | null; perMachine?: PerMachineName; text: string; range: Range }[] {
  // the parts' nodes found once: an attrpath may have thousands of parts
  const nodes = attrpath?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  return attrPath(attrpath).map((p, i) => {
    if (p.name !== null) return { name: p.name, text: nodes[i]!.text, range: p.range };
    const n = legacyName(nodes[i]!, scope);
    return { name: n?.name ?? null, ...(n?.perMachine ? { perMachine: n.perMachine } : {}), text: nodes[i]!.text, range: p.range };
  });
}

/** `path` (from the configuration's top, `config.` or not) is `sops.secrets`: what follows is a secret's name. */
function isSopsName(path: string[]): boolean {
  return samePath(path[0] === 'config' ? path.slice(1) : path, SOPS);
}

const FACTS_ROOT = ['clan', 'core', 'facts'];

/** The facts options that have a vars counterpart of the same values: a read of one can be rewritten. */
const FACTS_SETTINGS_IN_VARS: Record<string, string> = { secretStore: 'config.clan.core.vars.settings.secretStore', publicStore: 'config.clan.core.vars.settings.publicStore' };

/** `config.clan.core.facts.<...>` read other than a service's file (`readOf`): it fails once facts are gone. */
function factsUseOf(select: Node): FactsUse | null {
  const base = select.childForFieldName('expression');
  if (base?.type !== 'variable_expression' || base.text !== 'config') return null;
  const parts = attrPath(select.childForFieldName('attrpath'));
  const names = parts.map((p) => p.name);
  if (!startsWithPath(names, FACTS_ROOT)) return null;
  const path = ['config', ...names.map((n) => n ?? '${...}')].join('.');
  const replacement = names.length === 4 && names[3] !== null ? FACTS_SETTINGS_IN_VARS[names[3]] : undefined;
  return { range: rangeOf(select), path, ...(replacement && !select.childForFieldName('default') ? { newText: replacement } : {}) };
}

/** `full` is a path on the way to `prefix` (shorter, and its start). */
function prefixOf(full: string[], prefix: string[]): boolean {
  return full.length < prefix.length && startsWithPath(prefix, full);
}

function readOf(select: Node): LegacyRead | null {
  const base = select.childForFieldName('expression');
  if (base?.type !== 'variable_expression' || base.text !== 'config') return null;
  const attrpath = select.childForFieldName('attrpath');
  let parts: { name: string | null; perMachine?: PerMachineName }[] = attrPath(attrpath);
  // a name through let-bound strings or the machine's name: the names the read sees (looked up only
  // for a read of a facts service or sops-nix secret: a scope costs a walk up the tree)
  const computedAt = parts.findIndex((p) => p.name === null);
  if (computedAt >= 0) {
    const known = parts.slice(0, computedAt).map((p) => p.name!);
    if (!samePath(known, FACTS) && !samePath(known, SOPS)) return null;
    parts = namesIn(attrpath, scopeAround(select));
  }
  const machinePart = parts.findIndex((p) => p.perMachine);
  if (parts.some((p, i) => p.name === null && i !== machinePart) || (machinePart >= 0 && machinePart !== 2)) return null;
  const names = parts.map((p) => p.name ?? perMachineName(p.perMachine!));
  const attr = names[names.length - 1];
  if (startsWithPath(names, SOPS) && names.length === 4 && attr === 'path') {
    const perMachine = parts[2].perMachine;
    const read: LegacyRead = { kind: 'sops-secret', name: names[2], range: rangeOf(select), newText: `config.clan.core.vars.generators.${attrName(generatorNameOfSops(names[2], perMachine))}.files.value.path` };
    if (perMachine) read.factNewText = `${FACT_FILE_PATH}.path`;
    return read;
  }
  if (machinePart >= 0) return null;
  if (startsWithPath(names, FACTS) && names.length === 8 && (names[5] === 'secret' || names[5] === 'public') && (attr === 'path' || attr === 'value')) {
    return {
      kind: 'facts-service',
      name: names[4],
      fact: { name: names[6], secret: names[5] === 'secret' },
      range: rangeOf(select),
      newText: `config.clan.core.vars.generators.${attrName(names[4])}.files.${attrName(names[6])}.${attr}`,
    };
  }
  return null;
}


