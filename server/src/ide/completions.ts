// What to offer at a cursor, decided from the text before it (it works on half-typed text) and
// the clan model: option names and enum values with their docs, generator, file, prompt and
// dependency names, and registry keys in the matrix. Plain data; the feature makes LSP items.
import { optionDocFor, optionMarkdown, optionsOf, SECRET_STORES, type OptionDoc, type OptionScope } from '../base/optionDocs';
import type { FileFacts } from '../facts/types';
import type { ClanModel } from '../model/clanModel';
import type { MachineModel } from '../model/machineModel';
import { generatorView, secrecy } from '../model/generatorView/generatorView';
import { contains } from '../base/types';
import { generatorPath, textContext } from './textContext';
import { Attached } from '../base/attached';
import { isIdentifier } from '../syntax/syntax';

export type ItemKind = 'option' | 'enum' | 'generator' | 'file' | 'prompt' | 'registry-key';

export interface Item {
  label: string;
  kind: ItemKind;
  detail?: string;
  documentation?: string;
  /** The text inserted in place of [replaceFrom, cursor). */
  insert: string;
  replaceFrom: number;
  /** After it is inserted, the editor asks again (`$in/<dep>/` then the dependency's files). */
  retrigger?: boolean;
}

const SCRIPT_PATH = /\$\{?(out|in|prompts)\}?"?\/([A-Za-z0-9_.@+\-/]*)$/;
const ACCESS_GENERATOR = /\bgenerators\s*\.\s*("?)([A-Za-z0-9_\-.]*)$/;
const ACCESS_FILE = /\bgenerators\s*\.\s*(?:"([^"]+)"|([A-Za-z0-9_\-']+))\s*\.\s*files\s*\.\s*("?)([A-Za-z0-9_\-.]*)$/;

export interface CompletionInput {
  clan: ClanModel;
  facts: FileFacts | undefined;
  file: string;
  text: string;
  offset: number;
  position: { line: number; character: number };
}

export function completionsAt(input: CompletionInput): Item[] {
  const { clan, text, offset } = input;
  const tc = textContext(text, offset);
  const line = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  const here = generatorPath([...tc.path, ...(tc.frame.state === 'value' ? tc.frame.stmt : [])]);

  if (tc.string) {
    const sp = SCRIPT_PATH.exec(line);
    if (sp) return scriptItems(input, here?.generator ?? null, sp[1], sp[2], offset - sp[2].length);
  }
  // `.generators.` and `.generators.<g>.files.` reads, outside a generator declaration's key
  if (tc.frame.state === 'value' || tc.frame.open !== '{') {
    const af = ACCESS_FILE.exec(line);
    if (af) return quotedNames(fileNames(clan, af[1] ?? af[2]), 'file', offset - af[4].length - af[3].length, !!af[3]);
    const ag = ACCESS_GENERATOR.exec(line);
    if (ag && !tc.string) return quotedNames(generatorNames(clan), 'generator', offset - ag[2].length - ag[1].length, !!ag[1]);
  }
  if (tc.frame.open === '[') {
    const from = tc.string ? tc.string.contentStart : tc.wordStart;
    if (tc.frame.key[tc.frame.key.length - 1] === 'dependencies' && generatorPath(tc.path)) {
      const self = generatorPath(tc.path)!.generator;
      const listed = listedStrings(text, offset, tc.string ? tc.string.contentStart - 1 : offset);
      return stringItems(dependencyNames(clan, input.file).filter((n) => n.label !== self && !listed.has(n.label)), 'generator', from, !!tc.string);
    }
    if (input.file === clan.matrix?.file) {
      const keys = (clan.registry?.facts.entries ?? []).map((e) => ({ label: e.key, detail: e.generator?.name ? `generator ${e.generator.name}` : undefined }));
      return stringItems(keys, 'registry-key', from, !!tc.string);
    }
    return [];
  }
  if (tc.frame.state === 'value' && tc.frame.open === '{' && tc.frame.stmt.length) {
    const last = tc.frame.stmt[tc.frame.stmt.length - 1];
    const doc = here ? optionDocFor(here.rest) : null;
    const values = doc?.values ?? (last === 'secretStore' ? SECRET_STORES : null);
    if (!values) return [];
    const valueDoc = doc ?? null;
    const from = tc.string ? tc.string.contentStart : tc.wordStart;
    if (!tc.string && text.slice(tc.wordStart, offset).trim() === '' && !/=\s*$/.test(text.slice(Math.max(0, offset - 80), offset))) return [];
    return values.map((v) => ({ label: v, kind: 'enum' as const, detail: valueDoc?.name ?? last, documentation: valueDoc ? optionMarkdown(valueDoc) : undefined, insert: tc.string ? v : `"${v}"`, replaceFrom: from }));
  }
  if (tc.frame.state === 'key' && tc.frame.open === '{' && !tc.string) {
    const partial = tc.word && tc.frame.stmt[tc.frame.stmt.length - 1] === tc.word;
    const prefix = partial ? tc.frame.stmt.slice(0, -1) : tc.frame.stmt;
    const keyPath = [...tc.path, ...prefix];
    const gp = generatorPath(keyPath);
    let scope: OptionScope | null = null;
    if (gp && gp.rest.length === 0) scope = 'generator';
    else if (gp && gp.rest.length === 2 && gp.rest[0] === 'files') scope = 'file';
    else if (gp && gp.rest.length === 2 && gp.rest[0] === 'prompts') scope = 'prompt';
    else if (gp && gp.rest.length === 3 && gp.rest[0] === 'prompts' && gp.rest[2] === 'display') scope = 'display';
    else if (keyPath.slice(-2).join('.') === 'vars.settings') scope = 'settings';
    if (!scope) return [];
    return optionsOf(scope)
      .filter((d) => !d.readOnly)
      .map((d) => optionItem(d, tc.wordStart));
  }
  return [];
}

function optionItem(d: OptionDoc, from: number): Item {
  return { label: d.name, kind: 'option', detail: d.type, documentation: optionMarkdown(d), insert: d.name, replaceFrom: from };
}

/** A name and its detail. */
interface Named {
  readonly label: string;
  readonly detail?: string;
}

/**
 * A name whose detail is made once, when first read: lists of thousands of names are made per
 * model and kept with it, and only the few sent are read. One function per list makes the details
 * (a closure per name kept 10 MB alive for the 17,000 names of the shared bench clan).
 */
class LazyName<T> implements Named {
  private text: string | undefined;
  constructor(
    readonly label: string,
    private readonly of: T,
    private readonly make: (of: T, label: string) => string,
  ) {}

  get detail(): string {
    return (this.text ??= this.make(this.of, this.label));
  }
}

const namesCache = new Attached<ClanModel, Named[]>('generatorNames');

/** Every generator name with a short detail; cached per model (a clan may have thousands). */
function generatorNames(clan: ClanModel): Named[] {
  let names = namesCache.get(clan);
  if (!names) namesCache.set(clan, (names = listGeneratorNames(clan)));
  return names;
}

function listGeneratorNames(clan: ClanModel): Named[] {
  // the detail reads the generator's view: made when an item is sent, not for each of thousands of names
  return [...clan.byName.keys()].sort().map((name) => new LazyName(name, clan, generatorDetail));
}

function generatorDetail(clan: ClanModel, name: string): string {
  const v = generatorView(clan, name);
  // which machines have it, so a name from another machine is told apart while typing; short,
  // so that the editor's list never cuts the name for it (the whole list is in the hover)
  const on = v.share ? [] : v.machines;
  const where = v.share ? 'shared' : on.length ? `on ${on.length <= 2 ? on.join(', ') : `${on.length} machines`}` : 'per machine';
  const files = v.files.length;
  return `${where}${v.declarations.some((g) => g.origin === 'module') ? ` · ${files} file${files === 1 ? '' : 's'}` : ' · registry'}`;
}

/**
 * Names a dependency in `file` may take: for a module of known machines, the generators that
 * resolve on every one of them (their own or shared), with where they come from; else every name.
 */
function dependencyNames(clan: ClanModel, file: string): Named[] {
  const model = clan.machineModel();
  const machines = model.machinesOfFile(file);
  if (machines.length === 0) return generatorNames(clan);
  // per model and set of machines: each keystroke in a dependency asks again
  const key = machines.join('\0');
  const kept = dependencyCache.get(clan);
  if (kept?.model === model && kept.key === key) return kept.names;
  const names = resolvingNames(clan, model, machines);
  dependencyCache.set(clan, { model, key, names });
  return names;
}

const dependencyCache = new Attached<ClanModel, { model: MachineModel; key: string; names: Named[] }>('dependencyNames');

function resolvingNames(clan: ClanModel, model: MachineModel, machines: string[]): Named[] {
  const out: Named[] = [];
  const onThem = `on ${machines.length === 1 ? machines[0] : `${machines.length} machines`}`;
  const detail = (on: string, item: Named) => `${on}${item.detail?.includes(' · ') ? ' · ' + item.detail.split(' · ')[1] : ''}`;
  const shared = (item: Named) => detail('shared', item);
  const theirs = (item: Named) => detail(onThem, item);
  for (const item of generatorNames(clan)) {
    const found = machines.map((m) => model.resolvesSurely(m, item.label));
    if (!found.every((f) => f !== null)) continue;
    out.push(new LazyName(item.label, item, found.includes('shared') ? shared : theirs));
  }
  return out;
}

function fileNames(clan: ClanModel, generator: string): Named[] {
  return generatorView(clan, generator).files.map((f) => ({ label: f.name, detail: `${secrecy(f)} file of ${generator}` }));
}

/**
 * The strings already written in the list around the cursor (`[ "a" "b" | ]`), the one being typed
 * (from `typingFrom`, its opening quote, to the cursor) left out.
 */
function listedStrings(text: string, offset: number, typingFrom: number): Set<string> {
  const open = text.lastIndexOf('[', typingFrom - 1);
  let close = text.indexOf(']', offset);
  if (close === -1) close = text.length;
  let after = text.slice(offset, close);
  // the rest of the string the cursor is in (`"na|me" "b"`)
  if (typingFrom < offset) after = after.slice(after.indexOf('"') + 1);
  const names = new Set<string>();
  for (const part of [text.slice(open + 1, typingFrom), after]) for (const m of part.matchAll(/"([^"\\$]*)"/g)) names.add(m[1]);
  return names;
}

/** Names inside a string being typed (`"na|`) or as a new string. */
function stringItems(names: Named[], kind: ItemKind, from: number, inString: boolean): Item[] {
  return names.map((n) => new NameItem(n, kind, inString ? n.label : `"${n.label}"`, from));
}

/** The item of a name: its detail is the name's, read only for the items sent (of thousands made). */
class NameItem implements Item {
  constructor(
    private readonly name: Named,
    readonly kind: ItemKind,
    readonly insert: string,
    readonly replaceFrom: number,
  ) {}

  get label(): string {
    return this.name.label;
  }

  get detail(): string | undefined {
    return this.name.detail;
  }
}

/** Attribute names after a dot: quoted when they are not identifiers (or when a quote is open). */
function quotedNames(names: Named[], kind: ItemKind, from: number, quoteOpen: boolean): Item[] {
  return names.map((n) => new NameItem(n, kind, quoteOpen || !isIdentifier(n.label) ? `"${n.label}"` : n.label, from));
}

function scriptItems(input: CompletionInput, enclosing: string | null, dir: string, typed: string, from: number): Item[] {
  const { clan, facts } = input;
  let generator = enclosing;
  if (!generator) generator = facts?.generators.find((g) => g.script && contains(g.script.range, input.position))?.name.name ?? null;
  if (!generator) return [];
  const s = generatorView(clan, generator);
  const plain = (label: string, kind: ItemKind, detail: string, at = from): Item => ({ label, kind, detail, insert: label, replaceFrom: at });
  if (dir === 'out') return s.files.map((f) => plain(f.name, 'file', `${secrecy(f)} file to write`));
  if (dir === 'prompts') return s.prompts.map((p) => plain(p.name, 'prompt', `${p.type} prompt`));
  const slash = typed.indexOf('/');
  // the dependency with its slash, and the list again for its files
  if (slash === -1) return s.dependencies.map((d) => ({ ...plain(d, 'generator', 'dependency: its files are in $in/' + d + '/'), insert: `${d}/`, retrigger: true }));
  const dep = typed.slice(0, slash);
  return generatorView(clan, dep).files.map((f) => plain(f.name, 'file', `${secrecy(f)} file of ${dep}`, from + slash + 1));
}
