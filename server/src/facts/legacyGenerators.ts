// The vars generators the migration fixes write, as text: one for a clan facts service, one for a
// plain sops-nix secret, and the vars file settings a sops-nix secret of a secret fact becomes
// (`sops.secrets."${config.networking.hostName}-password-hash".neededForUsers = true` →
// `files.password-hash.neededFor = "users"` of the facts service's generator). A value wrapped in
// `lib.mkIf c { ... }` (or mkDefault, mkForce, optionalAttrs) keeps its wrapper around the new set.
import type { FlatNode as Node } from '../syntax/flatTree';
import { applyParts, attrName, attrPath, bindingsOf, dottedName, literalOf, unparen } from '../syntax/syntax';
import { MACHINE_MARK, type PerMachine, perMachineName } from './legacyNames';

/** Functions whose last argument is the value itself, conditioned or prioritised. */
export const WRAPPERS = /(^|\.)(mkIf|mkMerge|mkDefault|mkForce|optionalAttrs)$/;

/** The value inside `lib.mkIf c (...)` and the like (not mkMerge, whose argument is a list), with the text around it. */
function unwrapValue(value: Node | null): { inner: Node | null; before: string; after: string } {
  const outer = unparen(value);
  let n = outer;
  for (let i = 0; n && n.type === 'apply_expression' && i < 10; i++) {
    const { fn, args } = applyParts(n);
    const name = dottedName(fn) ?? '';
    if (!WRAPPERS.test(name) || /mkMerge$/.test(name) || !args.length) break;
    n = unparen(args[args.length - 1]);
  }
  if (!outer || !n || n === outer) return { inner: n, before: '', after: '' };
  const text = outer.text;
  return { inner: n, before: text.slice(0, n.startIndex - outer.startIndex), after: text.slice(n.endIndex - outer.startIndex) };
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
export function indentOf(b: Node): string {
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
/** After the name in the marker of a secret named through the machine's name (`"<machine>-token"`). */
const PER_MACHINE_NOTE = "(named through the machine's name)";

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

export interface MovedSops {
  name: string;
  perMachine?: PerMachine;
  sopsFile?: string | null;
  key?: string | null;
  format?: string | null;
}

/** Reads back what `sopsGenerator` wrote: the secret's name (from the marker's rest) and its source line; null when not ours. */
export function movedSopsSource(body: string, resolvePath: (rel: string) => string): MovedSops | null {
  const marker = /^[ \t]*# moved from sops-nix secret ("(?:[^"\\\n]|\\.)*")( \(named through the machine's name\))?:/m.exec(body);
  if (!marker) return null;
  let name: unknown;
  try {
    name = JSON.parse(marker[1]);
  } catch {
    return null;
  }
  if (typeof name !== 'string') return null;
  const out: MovedSops = { name };
  if (marker[2]) {
    const at = name.indexOf(MACHINE_MARK);
    if (at < 0) return null;
    out.perMachine = { before: name.slice(0, at), after: name.slice(at + MACHINE_MARK.length) };
  }
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

/** The generator a sops-nix secret becomes: its name, with what cannot be a path component (`/`) made `-`; through the machine's name, the text around it. */
export function generatorNameOfSops(name: string, perMachine?: PerMachine): string {
  const base = perMachine ? `${perMachine.before}-${perMachine.after}`.replace(/[^A-Za-z0-9._]+/g, '-').replace(/[-.]+$/, '') : name;
  return base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'secret';
}

/** The name a secret is shown and kept by: as written, or `<machine>-token` through the machine's name. */
function sopsNameOf(d: { name: string; perMachine?: PerMachine }): string {
  return d.perMachine ? perMachineName(d.perMachine) : d.name;
}

/** The vars file options and the not-carried-over comments of a sops-nix secret's literal options. */
function fileOptionsOf(opts: Map<string, { node: Node; value: unknown }>): { fileOpts: string[]; unmapped: string[]; source: string[] } {
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
  return { fileOpts, unmapped, source };
}

/** The options a sops-nix secret's value sets: `rest` is the path after its name (`neededForUsers` in `sops.secrets.x.neededForUsers = true`). */
function sopsOptions(rest: string[], value: Node | null): Map<string, { node: Node; value: unknown }> | null {
  if (rest.length) return value ? new Map([[rest.join('.'), { node: value, value: literalOf(value) }]]) : null;
  return literalOptions(value);
}

export function sopsGenerator(d: { name: string; perMachine?: PerMachine }, rest: string[], value: Node | null, b: Node): string | null {
  const { inner, before, after } = rest.length ? { inner: unparen(value), before: '', after: '' } : unwrapValue(value);
  const opts = sopsOptions(rest, inner);
  if (!opts) return null;
  const ind = indentOf(b);
  const shown = sopsNameOf(d);
  const { fileOpts, unmapped, source } = fileOptionsOf(opts);
  const lines = [
    `clan.core.vars.generators.${attrName(generatorNameOfSops(d.name, d.perMachine))} = ${before}{`,
    `  # moved from sops-nix secret ${commentString(shown)}${d.perMachine ? ` ${PER_MACHINE_NOTE}` : ''}: carry the value over before deploying (clan-vars-lint --migration-script)`,
    ...(source.length ? [`  # ${SOPS_SOURCE_LINE} ${source.join(' ')}`] : []),
    `  prompts.value = {`,
    `    description = ${JSON.stringify(`The value of the former sops-nix secret '${shown}'`).replace(/\$\{/g, '\\${')};`,
    `    type = "hidden";`,
    `    persist = true;`,
    `  };`,
    fileOpts.length ? `  files.value = { ${fileOpts.join(' ')} };` : `  files.value = { };`,
    ...unmapped.map((u) => `  # not carried over (no vars counterpart): ${u.replace(/\n/g, ' ')}`),
    `}${after};`,
  ];
  return lines.map((l, i) => (i === 0 ? l : ind + l)).join('\n');
}

/** Stand for the generator and the file of a secret fact in the settings its sops-nix secret becomes (filled in where the fact's generator is known). */
export const FACT_GENERATOR_SLOT = '\u0000fact-generator\u0000';
export const FACT_FILE_SLOT = '\u0000fact-file\u0000';

/** `config.clan.core.vars.generators.<generator>.files.<file>`, with the slots. */
export const FACT_FILE_PATH = `config.clan.core.vars.generators.${FACT_GENERATOR_SLOT}.files.${FACT_FILE_SLOT}`;

/**
 * The sops-nix settings of a secret fact (`sops.secrets."<machine>-<fact>".neededForUsers = true`:
 * clan's facts store kept each secret fact as sops secret `<machine>-<fact>`) as the settings of its
 * vars file, in a generator marked moved from clan facts (the migration script then moves the fact's
 * value from there, before or after this rewrite, even when its service is declared outside the clan):
 * `clan.core.vars.generators.<slot> = { # moved from clan facts ... files.<slot> = { neededFor = "users"; }; };`.
 * Null when not literal.
 */
export function factFileSettings(rest: string[], value: Node | null, b: Node): string | null {
  const { inner, before, after } = rest.length ? { inner: unparen(value), before: '', after: '' } : unwrapValue(value);
  const opts = sopsOptions(rest, inner);
  if (!opts) return null;
  const { fileOpts, unmapped, source } = fileOptionsOf(opts);
  for (const s of source) unmapped.push(s.replace(/;$/, ''));
  const lines = [
    `clan.core.vars.generators.${FACT_GENERATOR_SLOT} = ${before}{`,
    `  # moved from clan facts: carry the values over before deploying (clan-vars-lint --migration-script)`,
    `  files.${FACT_FILE_SLOT} = { ${fileOpts.join(' ')}${fileOpts.length ? ' ' : ''}};`,
    ...unmapped.map((u) => `  # not carried over (no vars counterpart): ${u.replace(/\n/g, ' ')}`),
    `}${after};`,
  ];
  const ind = indentOf(b);
  return lines.map((l, i) => (i === 0 ? l : ind + l)).join('\n');
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

/**
 * The line a prompted facts script starts with in vars: clan's facts passed the typed value in the
 * environment variable `prompt_value`, vars writes it to `$prompts/prompt_value`. Setting the
 * variable from the file keeps every way a script reads it (`$prompt_value`, `${prompt_value-}`,
 * `${prompt_value:-x}`, a program reading its environment).
 */
const PROMPT_VALUE_LINE = 'export prompt_value="$(cat "$prompts"/prompt_value)"';

/** The script as written (`script`: its node, `text`: its text rewritten) with PROMPT_VALUE_LINE first. */
function withPromptValue(script: Node, text: string): string {
  if (script.type === 'indented_string_expression') {
    const body = text.slice(2, -2);
    const newline = /^[ \t]*\n/.exec(body);
    if (!newline) return `''${PROMPT_VALUE_LINE}\n${body}''`;
    // the lines' shared indentation, which Nix strips: the new line has it too, so nothing else moves
    const rest = body.slice(newline[0].length);
    const indents = rest.split('\n').filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0]);
    const indent = indents.reduce((a, b) => (b.length < a.length ? b : a), indents[0] ?? '');
    return `''${newline[0]}${indent}${PROMPT_VALUE_LINE}\n${rest}''`;
  }
  const quoted = JSON.stringify(`${PROMPT_VALUE_LINE}\n`).replace(/\$\{/g, '\\${');
  if (script.type === 'string_expression') return `${quoted.slice(0, -1)}${text.slice(1)}`;
  return `${quoted} + (${text})`;
}

/**
 * A facts service's value as a vars generator; null when it is not a set the fix can read (`inherit`,
 * computed names), or its prompt is not a string the fix can carry.
 */
export function factsGenerator(name: string, value: Node | null, b: Node): string | null {
  const { inner: set, before, after } = unwrapValue(value);
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
    `clan.core.vars.generators.${attrName(name)} = ${before}{`,
    `  # moved from clan facts: carry the values over before deploying (clan-vars-lint --migration-script)`,
    ...files.map((f) => `  ${f}`),
  ];
  // `generator.prompt = null;` is no prompt
  const promptNode = prompt === null || literalOf(prompt) === null ? null : (prompt as Node);
  if (promptNode) {
    lines.push(`  prompts.prompt_value = {`, `    description = ${promptNode.text};`, `    type = "line";`, `  };`);
  }
  const runtimeNode = runtime as Node | null;
  if (runtimeNode) lines.push(`  runtimeInputs = ${runtimeNode.text};`);
  const scriptNode = script as Node | null;
  if (scriptNode) {
    const s = rewriteFactsScript(scriptNode.text);
    lines.push(`  script = ${promptNode ? withPromptValue(scriptNode, s) : s};`);
  }
  for (const u of unmapped) lines.push(`  # not carried over (no vars counterpart): ${u}`);
  lines.push(`}${after};`);
  // a value copied over keeps its lines as written: it sits as deep in the new binding as in the old
  return lines.map((l, i) => (i === 0 ? l : ind + l)).join('\n');
}
