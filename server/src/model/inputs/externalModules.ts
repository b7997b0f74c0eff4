// Modules of the clan's flake inputs, read from outside the workspace where this machine has them
// (the Nix store, or a clan-core checkout named in the settings). Only files inside those input
// directories are read, links resolved (base/confinement.ts: a link in an input leading out of it is
// not followed), each once: store paths never change.
import * as path from 'node:path';
import { Confinement } from '../../base/confinement';
import { extractFile } from '../../facts/file';
import { flakeInputs, type FlakeInputs } from './flakeInputs';
import { KNOWN_ROOT, knowledgeOf, type Knowledge } from './knownInputs';
import type { FileFacts } from '../../facts/types';
import type { NixParser } from '../../syntax/nixParser';
import { readNixFileSync } from '../../base/readNixFile';

/**
 * Bounds for scanning an input's source for generator declarations: entries of any kind
 * (directories too) and time. A clan-core checkout setting may name a large folder (the home
 * folder, /): the scan runs on the request path, so past a bound it answers "unknown".
 */
export interface ExternalModules {
  inputs: FlakeInputs;
  /** The facts of a file outside the workspace (null: absent or unreadable). */
  read(file: string): FileFacts | null;
  /** Whether any file of an input's source declares vars generators (null: cannot be told). */
  declaresGenerators(dir: string): boolean | null;
  /** The generator names a module output of an input declares (`nixosModules.installer`), as shipped; null: not known. */
  moduleGenerators(input: string, output: string): string[] | null;
}

export const SCAN_LIMITS = { entries: 20_000, ms: 500 };
const MAX_FILE_BYTES = 2_000_000;
/**
 * A file that never says `generators` declares none; the others are decided by the extractor. A word
 * match alone took nixpkgs' `lib.generators.toINI` and `systemd.generators` for clan vars generators,
 * which most NixOS modules use.
 */
const MENTIONS_GENERATORS = /generators/;

export class ExternalModuleReader {
  private facts = new Map<string, FileFacts | null>();
  private scanned = new Map<string, boolean | null>();

  /** `knownData`: the shipped summary to use (tests give a damaged one); default: the one shipped. */
  constructor(
    private readonly parser: NixParser,
    private readonly knownData?: string,
  ) {}

  /**
   * The flake inputs of a clan, and readers for their files: those on this machine (the Nix store, the
   * clan-core checkout of the settings), else what the extension ships about well-known flakes
   * (model/knownInputs.ts), read from a virtual folder no real file is read below. An input on this
   * machine always wins over the shipped summary.
   */
  modulesOf(root: string, clanCorePath: string | null): ExternalModules {
    const inputs = flakeInputs(root, clanCorePath);
    const dirs = [...inputs.dirs.values()];
    const reads = Confinement.within(...dirs);
    const known = new Map<string, Exclude<Knowledge, { kind: 'unavailable' }>>();
    for (const name of inputs.missing) {
      const locked = inputs.locked.get(name);
      const k = locked ? knowledgeOf(locked, this.knownData) : null;
      if (!k || k.kind === 'unavailable') continue;
      const dir = k.kind === 'modules' ? k.root : `${KNOWN_ROOT}/${k.flake.replace(/[^\w.-]+/g, '+')}`;
      inputs.dirs.set(name, dir);
      inputs.shipped.set(name, k.checked);
      known.set(dir, k);
    }
    inputs.missing = inputs.missing.filter((n) => !inputs.shipped.has(n));
    const within = (file: string, list: Iterable<string>) => [...list].some((d) => file.startsWith(d + path.sep));
    const shippedOf = (file: string) => [...known.entries()].find(([d]) => file.startsWith(d + path.sep))?.[1];
    return {
      inputs,
      read: (file) => {
        if (within(file, dirs)) return this.read(reads, file);
        const k = shippedOf(file);
        return k?.kind === 'modules' ? k.read(file) : null;
      },
      declaresGenerators: (dir) => {
        const k = known.get(dir);
        if (k) return k.kind === 'modules';
        return dirs.includes(dir) ? this.scan(reads, dir) : null;
      },
      moduleGenerators: (input, output) => {
        const k = known.get(inputs.dirs.get(input) ?? '');
        return k?.kind === 'modules' ? k.moduleGenerators(output) : null;
      },
    };
  }

  /**
   * Forgets what was read of a clan's inputs (their files' facts, their "declares generators"
   * verdicts), so that the next model reads them afresh: after `nix flake archive` fetched them, or
   * a clan-core checkout changed.
   */
  forget(root: string, clanCorePath: string | null): void {
    const dirs = [...flakeInputs(root, clanCorePath).dirs.values()];
    const under = (p: string) => dirs.some((d) => p === d || p.startsWith(d + path.sep));
    for (const file of [...this.facts.keys()]) if (under(file)) this.facts.delete(file);
    for (const dir of [...this.scanned.keys()]) if (under(dir)) this.scanned.delete(dir);
  }

  private read(reads: Confinement, file: string, text?: string): FileFacts | null {
    if (this.facts.has(file)) return this.facts.get(file)!;
    let facts: FileFacts | null = null;
    const r = text !== undefined ? { text } : readNixFileSync(reads, file, MAX_FILE_BYTES);
    if ('text' in r) {
      const tree = this.parser.parse(r.text);
      try {
        facts = extractFile(file, tree, { registry: false, matrix: false }, r.text, this.parser);
      } catch {
        facts = null;
      } finally {
        tree.delete();
      }
    }
    this.facts.set(file, facts);
    return facts;
  }

  /** Whether some .nix file of the directory declares generators; null when the scan was cut short. */
  private scan(reads: Confinement, dir: string): boolean | null {
    if (this.scanned.has(dir)) return this.scanned.get(dir)!;
    const result = declaresGenerators(reads, dir, (file, text) => this.declares(reads, file, text));
    this.scanned.set(dir, result);
    return result;
  }

  /** Whether a file declares clan vars generators, as the extractor reads it (unreadable: it may). */
  private declares(reads: Confinement, file: string, text: string | null): boolean {
    if (text === null) return true;
    if (!MENTIONS_GENERATORS.test(text)) return false;
    const facts = this.read(reads, file, text);
    return !facts || facts.generators.length > 0 || facts.opaqueGeneratorSources.length > 0;
  }
}

/**
 * Whether some .nix file under `dir` declares generators, as `declares` decides for a file's text
 * (null: too big or unreadable); null when the walk passed a bound first. Links are not followed.
 */
export function declaresGenerators(reads: Confinement, dir: string, declares: (file: string, text: string | null) => boolean, limits = SCAN_LIMITS): boolean | null {
  const deadline = performance.now() + limits.ms;
  let entries = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let listing: ReturnType<Confinement['list']>;
    try {
      listing = reads.list(d);
    } catch {
      continue;
    }
    for (const e of listing) {
      if (++entries > limits.entries || (entries % 256 === 0 && performance.now() > deadline)) return null;
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') stack.push(p);
        continue;
      }
      if (!e.isFile() || !e.name.endsWith('.nix')) continue;
      const r = readNixFileSync(reads, p, MAX_FILE_BYTES);
      if (declares(p, 'text' in r ? r.text : null)) return true;
    }
    if (performance.now() > deadline) return null;
  }
  return false;
}
