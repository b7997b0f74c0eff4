// Modules of the clan's flake inputs, read from outside the workspace where this machine has them
// (the Nix store, or a clan-core checkout named in the settings). Only files inside those input
// directories are read, each once: store paths never change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../extract/file';
import { flakeInputs } from '../model/flakeInputs';
import type { ExternalModules } from '../model/moduleGraph';
import type { FileFacts } from '../model/types';
import type { NixParser } from '../parse/nixParser';
import { readNixFileSync } from './readNixFile';

/** Bounds for scanning an input's source for generator declarations. */
const MAX_SCANNED_FILES = 20_000;
const MAX_FILE_BYTES = 2_000_000;
const GENERATORS = /vars\s*\.\s*generators\b|\bgenerators\s*(?:\.|=)/;

export class ExternalModuleReader {
  private facts = new Map<string, FileFacts | null>();
  private scanned = new Map<string, boolean | null>();

  constructor(private readonly parser: NixParser) {}

  /** The flake inputs of a clan on this machine, and readers for their files. */
  modulesOf(root: string, clanCorePath: string | null): ExternalModules {
    const inputs = flakeInputs(root, clanCorePath);
    const dirs = [...inputs.dirs.values()];
    const within = (file: string) => dirs.some((d) => file.startsWith(d + path.sep));
    return {
      inputs,
      read: (file) => (within(file) ? this.read(file) : null),
      declaresGenerators: (dir) => (dirs.includes(dir) ? this.scan(dir) : null),
    };
  }

  private read(file: string): FileFacts | null {
    if (this.facts.has(file)) return this.facts.get(file)!;
    let facts: FileFacts | null = null;
    const r = readNixFileSync(file, MAX_FILE_BYTES);
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
  private scan(dir: string): boolean | null {
    if (this.scanned.has(dir)) return this.scanned.get(dir)!;
    let result: boolean | null = false;
    let count = 0;
    const stack = [dir];
    outer: while (stack.length) {
      const d = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(d, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) {
          if (e.name !== '.git' && e.name !== 'node_modules') stack.push(p);
          continue;
        }
        if (!e.isFile() || !e.name.endsWith('.nix')) continue;
        if (++count > MAX_SCANNED_FILES) {
          result = null;
          break outer;
        }
        const r = readNixFileSync(p, MAX_FILE_BYTES);
        if ('text' in r ? GENERATORS.test(r.text) : true) {
          result = true;
          break outer;
        }
      }
    }
    this.scanned.set(dir, result);
    return result;
  }
}
