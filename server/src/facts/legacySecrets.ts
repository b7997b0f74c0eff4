// Secrets declared in the systems vars replaced: clan facts services
// (`clan.core.facts.services.<s> = { secret.<f> = ...; public.<f> = ...; generator.script = ...; }`)
// and plain sops-nix secrets (`sops.secrets."<name>" = { owner = ...; }`), with the reads of their
// paths (`config.clan.core.facts.services.<s>.secret.<f>.path`, `config.sops.secrets."<name>".path`).
// Each declaration written as one binding from the module's top level (its attrpath is the whole
// path) carries the vars generator that replaces it, as text: the migration's code action.
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Range } from '../base/types';
import { samePath, startsWithPath } from '../base/pathPrefix';
import type { FactsUse, LegacyRead, LegacySecret, LegacySecrets } from './types';
import { applyParts, attrName, attrPath, bindingsOf, dottedName, literalOf, rangeOf, unparen } from '../syntax/syntax';
import { removalRange } from './editRanges';
import { letScope, type Scope } from './topLevel';

const FACTS = ['clan', 'core', 'facts', 'services'];
const SOPS = ['sops', 'secrets'];
const WRAPPERS = /(^|\.)(mkIf|mkMerge|mkDefault|mkForce|optionalAttrs)$/;

export function extractLegacySecrets(root: Node, text: string, resolvePath: (rel: string) => string): LegacySecrets | null {
  if (!text.includes('facts') && !text.includes('sops')) return null;
  const declarations: LegacySecret[] = [];
  const reads: LegacyRead[] = [];
  const factsUses: FactsUse[] = [];
  let defaultSopsFile: string | undefined;
  const literalPath = (v: Node | null): string | null =>
    v?.type === 'path_expression' && !v.namedChildren.some((c) => c.type === 'interpolation') ? resolvePath(v.text) : null;
  /** What a declaration says about where its value is (merged over several bindings of one secret). */
  const sourceOf = (d: LegacySecret, rest: string[], value: Node | null): void => {
    const set = (key: string, v: Node | null) => {
      const src = (d.sops ??= {});
      if (key === 'sopsFile') src.sopsFile = literalPath(unparen(v));
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
  };

  /**
   * `outer`: the binding of the module's configuration (top level, or inside `config = { ... }`)
   * that holds this value; a declaration nested in it is replaced by a generator written after it.
   */
  function computedSet(kind: LegacySecret['kind'], n: Node): void {
    const first = n.text.split('\n')[0];
    const start = rangeOf(n).start;
    declarations.push({ kind, name: first.length > 60 || n.text.includes('\n') ? `${first.slice(0, 57).trimEnd()}...` : first, computed: 'set', range: { start, end: { line: start.line, character: start.character + first.length } } });
  }

  function visit(node: Node | null, path: string[], depth: number, outer: Node | null, scope: Scope = new Map()): void {
    const n = unparen(node);
    if (!n || depth > 40) return;
    // the set of services or secrets itself, as an expression only evaluation reads (`lib.mapAttrs' (...) peers`, `a // b`)
    const setKind = samePath(path, FACTS) ? 'facts-service' : samePath(path, SOPS) ? 'sops-secret' : null;
    if (setKind && !['attrset_expression', 'rec_attrset_expression', 'list_expression', 'let_expression', 'with_expression', 'apply_expression'].includes(n.type)) return computedSet(setKind, n);
    if (setKind && n.type === 'apply_expression' && !WRAPPERS.test(dottedName(applyParts(n).fn) ?? '')) return computedSet(setKind, n);
    switch (n.type) {
      case 'source_code':
        for (const c of n.namedChildren) if (c && c.type !== 'comment') visit(c, path, depth + 1, outer, scope);
        return;
      case 'function_expression':
      case 'with_expression':
        return visit(n.childForFieldName('body'), path, depth + 1, outer, scope);
      case 'let_expression':
        return visit(n.childForFieldName('body'), path, depth + 1, outer, letScope(n, scope));
      case 'apply_expression': {
        // `lib.mkIf cond { ... }`: the value is the last argument
        const { fn, args } = applyParts(n);
        if (args.length && WRAPPERS.test(dottedName(fn) ?? '')) visit(args[args.length - 1], path, depth + 1, outer, scope);
        return;
      }
      case 'list_expression':
        for (const e of n.namedChildren) if (e && e.type !== 'comment') visit(e, path, depth + 1, outer, scope);
        return;
      case 'attrset_expression':
      case 'rec_attrset_expression':
        for (const b of bindingsOf(n)) {
          if (b.type !== 'binding') continue;
          const parts = namesIn(b.childForFieldName('attrpath'), scope);
          let full: string[];
          if (parts.some((p) => p.name === null)) {
            // a computed name: a facts service or sops-nix secret all the same, with no fix
            const known = parts.findIndex((p) => p.name === null);
            const head = [...path, ...parts.slice(0, known).map((p) => p.name!)];
            const at = head[0] === 'config' ? head.slice(1) : head;
            const kind = samePath(at, FACTS) ? 'facts-service' : samePath(at, SOPS) ? 'sops-secret' : null;
            if (kind) declarations.push({ kind, name: parts[known].text, computed: 'name', range: parts[known].range });
            continue;
          }
          full = [...path, ...parts.map((p) => p.name!)];
          if (full[0] === 'config') full = full.slice(1);
          const value = b.childForFieldName('expression');
          // a binding of the configuration's own level (not `config = { ... }` itself, whose bindings are)
          const here = path.length === 0 && full.length > 0 ? b : outer;
          const kind = startsWithPath(full, FACTS) ? 'facts-service' : startsWithPath(full, SOPS) ? 'sops-secret' : null;
          if (!kind) {
            if (full.length === 2 && full[0] === 'sops' && full[1] === 'defaultSopsFile') defaultSopsFile = literalPath(unparen(value)) ?? undefined;
            // `clan.core.facts.secretStore = ...`: an option of the removed facts system set
            else if (full.length > FACTS_ROOT.length && startsWithPath(full, FACTS_ROOT) && full[FACTS_ROOT.length] !== 'services') factsUses.push({ range: rangeOf(b.childForFieldName('attrpath')!), path: full.join('.'), setting: true });
            else if (prefixOf(full, FACTS) || prefixOf(full, SOPS)) visit(value, full, depth + 1, here, scope);
            // `imports = [ { ... } ({ config, ... }: { ... }) ]`: modules written inline, each a configuration of its own
            else if (path.length === 0 && full.length === 1 && full[0] === 'imports') visit(value, [], depth + 1, null, scope);
            continue;
          }
          const prefix = kind === 'facts-service' ? FACTS : SOPS;
          const nameIndex = prefix.length;
          const ownStart = full.length - parts.length;
          const nameRef = parts[nameIndex - ownStart];
          if (full.length === nameIndex) {
            // `sops.secrets = { a = ...; b = ...; }`
            visit(value, full, depth + 1, here, scope);
            continue;
          }
          const name = full[nameIndex];
          if (!nameRef) continue;
          const range = nameRef.range;
          const decl: LegacySecret = { kind, name, range };
          sourceOf(decl, full.slice(nameIndex + 1), value);
          const top = here ?? b;
          // `config.sops.secrets.x = ...` at the top: the module's other bindings are `config.…` too
          const configPrefix = attrPath(top.childForFieldName('attrpath'))[0]?.name === 'config' ? 'config.' : '';
          const generator = replacementOf(kind, name, full.slice(nameIndex + 1), unparen(value), top);
          const replacement = generator && configPrefix + generator;
          if (replacement && top === b) decl.replacement = { edits: [{ range: rangeOf(b), newText: replacement }] };
          else if (replacement) {
            // nested (`sops = { secrets.x = ...; }`, `clan.core.facts.services = { a = ...; }`): the
            // binding goes, and the generator follows the configuration binding that held it
            const end = rangeOf(top).end;
            decl.replacement = { edits: [{ range: removalRange(b, text), newText: '' }, { range: { start: end, end }, newText: `\n${indentOf(top)}${replacement}` }] };
          }
          declarations.push(decl);
        }
        return;
    }
  }
  visit(root, [], 0, null);
  // two bindings of one secret would become two definitions of one generator: Nix rejects that
  for (const d of declarations) if (declarations.some((o) => o !== d && o.kind === d.kind && o.name === d.name)) delete d.replacement;
  for (const d of declarations) if (d.kind === 'sops-secret' && d.name.startsWith('vars/')) delete d.replacement;

  // reads: config.sops.secrets.<n>.path, config.clan.core.facts.services.<s>.{secret,public}.<f>.{path,value}
  // (found in document order, outer before inner, without recursion: a chain of thousands of
  // arguments nests as deep, past the call stack of a recursive walk); what lies inside a read is
  // part of it
  let readEnd = -1;
  for (const node of root.descendantsOfType('select_expression')) {
    if (node.startIndex < readEnd) continue;
    const read = readOf(node);
    const use = read ? null : factsUseOf(node);
    if (use) factsUses.push(use);
    if (!read && !use) continue;
    if (read) reads.push(read);
    readEnd = node.endIndex;
  }
  if (!declarations.length && !reads.length && !defaultSopsFile && !factsUses.length) return null;
  return { declarations, reads, ...(defaultSopsFile ? { defaultSopsFile } : {}), ...(factsUses.length ? { factsUses } : {}) };
}

/** The names of an attrpath, a `"${x}"` whose `x` is a let-bound string resolved; `text`: as written. */
function namesIn(attrpath: Node | null, scope: Scope): { name: string | null; text: string; range: Range }[] {
  // the parts' nodes found once: an attrpath may have thousands of parts
  const parts = attrpath?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  return attrPath(attrpath).map((p, i) => {
    const node = parts[i]!;
    if (p.name !== null) return { name: p.name, text: node.text, range: p.range };
    const v = /^"?\$\{\s*([A-Za-z_][\w'-]*)\s*\}"?$/.exec(node.text)?.[1];
    const bound = v !== undefined ? literalOf(unparen(scope.get(v) ?? null)) : undefined;
    return { name: typeof bound === 'string' && bound !== '' ? bound : null, text: node.text, range: p.range };
  });
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
  const parts = attrPath(select.childForFieldName('attrpath'));
  if (parts.some((p) => p.name === null)) return null;
  const names = parts.map((p) => p.name!);
  const attr = names[names.length - 1];
  if (startsWithPath(names, SOPS) && names.length === 4 && attr === 'path') {
    return { kind: 'sops-secret', name: names[2], range: rangeOf(select), newText: `config.clan.core.vars.generators.${attrName(generatorNameOfSops(names[2]))}.files.value.path` };
  }
  if (startsWithPath(names, FACTS) && names.length === 8 && (names[5] === 'secret' || names[5] === 'public') && (attr === 'path' || attr === 'value')) {
    return {
      kind: 'facts-service',
      name: names[4],
      range: rangeOf(select),
      newText: `config.clan.core.vars.generators.${attrName(names[4])}.files.${attrName(names[6])}.${attr}`,
    };
  }
  return null;
}


function replacementOf(kind: LegacySecret['kind'], name: string, rest: string[], value: Node | null, b: Node): string | null {
  if (kind === 'facts-service') return rest.length ? null : factsGenerator(name, value, b);
  if (name.startsWith('vars/')) return null;
  const opts = rest.length ? (value ? new Map([[rest.join('.'), { node: value, value: literalOf(value) }]]) : null) : literalOptions(value);
  return opts && sopsGenerator(name, opts, b);
}

/** The literal options of a `{ ... }` value, flattened to dotted paths; null when something is not literal. */
function literalOptions(set: Node | null): Map<string, { node: Node; value: unknown }> | null {
  const out = new Map<string, { node: Node; value: unknown }>();
  if (!set) return out;
  if (set.type !== 'attrset_expression') return null;
  const collect = (s: Node, prefix: string[]): boolean =>
    eachBinding(s, prefix, (key, v) => {
      if (v.type !== 'attrset_expression') {
        out.set(key.join('.'), { node: v, value: literalOf(v) });
        return true;
      }
      if (!collect(v, key)) return false;
      if (!bindingsOf(v).length) out.set(key.join('.'), { node: v, value: {} });
      return true;
    });
  return collect(set, []) ? out : null;
}

/**
 * Calls `visit` with each binding of a set, its whole attribute path (after `prefix`) and its value;
 * false as soon as a binding is not a plain `a.b = value;` (an inherit, an interpolated name) or
 * `visit` says false.
 */
function eachBinding(set: Node, prefix: string[], visit: (key: string[], value: Node) => boolean): boolean {
  for (const b of bindingsOf(set)) {
    if (b.type !== 'binding') return false;
    const parts = attrPath(b.childForFieldName('attrpath'));
    if (parts.some((p) => p.name === null)) return false;
    const value = unparen(b.childForFieldName('expression'));
    if (!value || !visit([...prefix, ...parts.map((p) => p.name!)], value)) return false;
  }
  return true;
}

/** Source text on one line, for a comment. */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** Indentation of the line the binding starts on. */
function indentOf(b: Node): string {
  const line = b.tree.rootNode.text.split('\n')[b.startPosition.row] ?? '';
  return /^\s*/.exec(line)![0];
}

/** The sops-nix options that have a vars counterpart on the generator's file. */
const SOPS_MAPPED: Record<string, (v: Node, lit: unknown) => string | null> = {
  owner: (v) => `owner = ${v.text};`,
  group: (v) => `group = ${v.text};`,
  mode: (v) => `mode = ${v.text};`,
  restartUnits: (v) => `restartUnits = ${v.text};`,
  neededForUsers: (_v, lit) => (lit === true ? 'neededFor = "users";' : lit === false ? '' : null),
};

/** Where sops-nix found the value: only the migration script needs it. */
const SOPS_SOURCE = new Set(['sopsFile', 'key', 'format']);

/**
 * The comment of a moved sops-nix secret that keeps where its value was, for the migration script to
 * read it there whether it is written before or after the rewrite (extract/generators.ts reads it
 * back): `sopsFile = ../x.yaml; key = "a/b"; format = "yaml";`, `(not a literal)` for a value that is not.
 */
export const SOPS_SOURCE_LINE = 'where sops-nix read the value:';
const NOT_LITERAL = '(not a literal)';

function isSourceLiteral(v: Node, lit: unknown): boolean {
  return typeof lit === 'string' || (v.type === 'path_expression' && !v.namedChildren.some((c) => c.type === 'interpolation'));
}

function sourceValue(v: Node, lit: unknown): string {
  if (typeof lit === 'string') return commentString(lit);
  return isSourceLiteral(v, lit) ? v.text : NOT_LITERAL;
}

/** A string as JSON on one line, line and paragraph separators escaped too (JSON.stringify leaves U+2028/2029 as they are). */
function commentString(s: string): string {
  return JSON.stringify(s).replace(/[\u2028\u2029\u0085]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Reads back what `sopsGenerator` wrote: the secret's name (from the marker's rest) and its source line; null when not ours. */
export function movedSopsSource(body: string, resolvePath: (rel: string) => string): { name: string; sopsFile?: string | null; key?: string | null; format?: string | null } | null {
  const marker = /^[ \t]*# moved from sops-nix secret ("(?:[^"\\\n]|\\.)*"):/m.exec(body);
  if (!marker) return null;
  let name: unknown;
  try {
    name = JSON.parse(marker[1]);
  } catch {
    return null;
  }
  if (typeof name !== 'string') return null;
  const out: { name: string; sopsFile?: string | null; key?: string | null; format?: string | null } = { name };
  const line = body.split('\n').map((l) => l.trimStart()).find((l) => l.startsWith(`# ${SOPS_SOURCE_LINE} `))?.slice(SOPS_SOURCE_LINE.length + 3) ?? '';
  for (const m of line.matchAll(/(sopsFile|key|format) = ("(?:[^"\\]|\\.)*"|[^;]*);/g)) {
    const [, key, raw] = m;
    let value: string | null = null;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        value = null;
      }
    } else if (raw !== NOT_LITERAL && /^[.~/][^\s;]*$/.test(raw) && !raw.includes('${')) value = raw;
    if (key === 'sopsFile') out.sopsFile = value === null || raw.startsWith('"') ? null : resolvePath(value);
    else out[key as 'key' | 'format'] = raw.startsWith('"') ? value : null;
  }
  return out;
}

function sopsGenerator(name: string, opts: Map<string, { node: Node; value: unknown }>, b: Node): string | null {
  const ind = indentOf(b);
  const fileOpts: string[] = [];
  const unmapped: string[] = [];
  const source: string[] = [];
  for (const [key, { node, value: lit }] of opts) {
    if (SOPS_SOURCE.has(key)) {
      source.push(`${key} = ${sourceValue(node, lit)};`);
      if (!isSourceLiteral(node, lit)) unmapped.push(`${key} = ${oneLine(node.text)}`);
      continue;
    }
    const map = SOPS_MAPPED[key];
    const written = map ? map(node, lit) : null;
    if (written === null) unmapped.push(`${key} = ${oneLine(node.text)}`);
    else if (written) fileOpts.push(written);
  }
  const lines = [
    `clan.core.vars.generators.${attrName(generatorNameOfSops(name))} = {`,
    `  # moved from sops-nix secret ${commentString(name)}: carry the value over before deploying (clan-vars-lint --migration-script)`,
    ...(source.length ? [`  # ${SOPS_SOURCE_LINE} ${source.join(' ')}`] : []),
    `  prompts.value = {`,
    `    description = ${JSON.stringify(`The value of the former sops-nix secret '${name}'`).replace(/\$\{/g, '\\${')};`,
    `    type = "hidden";`,
    `    persist = true;`,
    `  };`,
    fileOpts.length ? `  files.value = { ${fileOpts.join(' ')} };` : `  files.value = { };`,
    ...unmapped.map((u) => `  # not carried over (no vars counterpart): ${u.replace(/\n/g, ' ')}`),
    `};`,
  ];
  return lines.map((l, i) => (i === 0 ? l : ind + l)).join('\n');
}

/** The generator a sops-nix secret becomes: its name, with what cannot be a path component (`/`) made `-`. */
export function generatorNameOfSops(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'secret';
}

/**
 * `$secrets/x`, `${secrets}/x`, `"$facts"/x` → the same with `$out`. Facts scripts often moved a
 * file from `$secrets` to `$facts` (`mv $secrets/k.pub $facts/k.pub`); in vars both are `$out`, and
 * `mv` of a file onto itself fails, so such a line becomes a comment.
 */
export function rewriteFactsScript(script: string): string {
  return script
    .split('\n')
    .map((line) => {
      const next = line.replace(/\$(\{)?(secrets|facts)\b(\})?/g, (m, open, _v, close) => (open && close ? '${out}' : !open && !close ? '$out' : m));
      const move = /^(\s*)(mv|cp)\s+(?:-\w+\s+)*(\S+)\s+(\S+)\s*$/.exec(next);
      return move && next !== line && move[3] === move[4] ? `${move[1]}# not needed with vars, where secrets and facts are both in $out: ${next.trim()}` : next;
    })
    .join('\n');
}

function factsGenerator(name: string, value: Node | null, b: Node): string | null {
  const set = value;
  if (!set || set.type !== 'attrset_expression') return null;
  const ind = indentOf(b);
  const files: string[] = [];
  const unmapped: string[] = [];
  let script: Node | null = null;
  let runtime: Node | null = null;
  let prompt: Node | null = null;
  const visitSet = (s: Node, prefix: string[]): boolean =>
    eachBinding(s, prefix, (key, v) => {
      if (key.length === 1 && (key[0] === 'secret' || key[0] === 'public' || key[0] === 'generator')) return v.type === 'attrset_expression' && visitSet(v, key);
      if ((key[0] === 'secret' || key[0] === 'public') && key.length >= 2) {
        const f = attrName(key[1]);
        const secret = key[0] === 'secret';
        if (key.length === 2 && v.type === 'attrset_expression') {
          files.push(secret ? `files.${f} = { };` : `files.${f}.secret = false;`);
          for (const inner of bindingsOf(v)) unmapped.push(`${key.join('.')}.${oneLine(inner.text.replace(/;$/, ''))}`);
        } else unmapped.push(`${key.join('.')} = ${oneLine(v.text)}`);
        if (key.length > 2 && !files.some((x) => x.startsWith(`files.${f} `) || x.startsWith(`files.${f}.`))) files.push(secret ? `files.${f} = { };` : `files.${f}.secret = false;`);
      } else if (key.join('.') === 'generator.script') script = v;
      else if (key.join('.') === 'generator.path') runtime = v;
      else if (key.join('.') === 'generator.prompt') prompt = v;
      else unmapped.push(`${key.join('.')} = ${oneLine(v.text)}`);
      return true;
    });
  if (!visitSet(set, [])) return null;
  const lines = [
    `clan.core.vars.generators.${attrName(name)} = {`,
    `  # moved from clan facts: carry the values over before deploying (clan-vars-lint --migration-script)`,
    ...files.map((f) => `  ${f}`),
  ];
  const promptNode = prompt as Node | null;
  if (promptNode) {
    lines.push(`  prompts.prompt_value = {`, `    description = ${promptNode.text};`, `    type = "line";`, `  };`);
  }
  const runtimeNode = runtime as Node | null;
  if (runtimeNode) lines.push(`  runtimeInputs = ${runtimeNode.text};`);
  const scriptNode = script as Node | null;
  if (scriptNode) {
    let s = rewriteFactsScript(scriptNode.text);
    if (promptNode) s = s.replace(/\$(\{)?prompt_value\b(\})?/g, (m, o, c) => ((o && c) || (!o && !c) ? '$(cat "$prompts"/prompt_value)' : m));
    lines.push(`  script = ${s};`);
  }
  for (const u of unmapped) lines.push(`  # not carried over (no vars counterpart): ${u}`);
  lines.push(`};`);
  // a value copied over keeps its lines as written: it sits as deep in the new binding as in the old
  return lines.map((l, i) => (i === 0 ? l : ind + l)).join('\n');
}
