// The clan's configuration, as the files of the workspace write it: each file's own reading (where
// it writes `clan.inventory...`, the clan function's argument, `clan.nix`), and the files others
// import as a part of it (`inventory = import ./inventory.nix { ... }`, the clan's `imports`), each read
// as that part (facts/file.ts `clanReadings`), once. What cannot be read (a part computed, an import
// of a file not analysed) is kept with where it is: the model opens the machines it may reach.
import * as path from 'node:path';
import type { EvaluablePart, FileFacts, ModuleFacts } from '../facts/types';
import type { ClanPart } from '../facts/modulePaths';
import type { Range } from '../base/types';

export interface ClanPiece {
  file: string;
  mods: ModuleFacts;
  /** Read as a part another file imports (only its clan structure counts: instances, machines, services, tags). */
  imported: boolean;
}

export interface Unreadable extends ClanPart {
  file: string;
  range: Range;
  why: string;
  /** Where the model may evaluate it (the clan's service instances at a path of the file's value). */
  evaluable?: EvaluablePart;
}

/** The pieces of the clan's configuration (test files' own clans left out), and what of it cannot be read. */
export function clanPieces(root: string, files: Map<string, FileFacts>): { pieces: ClanPiece[]; unreadable: Unreadable[] } {
  const pieces: ClanPiece[] = [];
  const unreadable: Unreadable[] = [];
  const seen = new Set<string>();
  const queue: ClanPiece[] = [];
  for (const facts of files.values()) {
    if (!facts.modules) continue;
    const piece = { file: facts.file, mods: facts.modules, imported: false };
    pieces.push(piece);
    if (!isTestFile(root, facts.file)) queue.push(piece);
  }
  while (queue.length) {
    const { file, mods } = queue.shift()!;
    for (const o of mods.opaqueParts ?? []) unreadable.push({ ...o, file, why: `written in a way not known statically: ${o.text}` });
    for (const ref of mods.clanRefs ?? []) {
      const at = ref.fromSelf ? path.join(root, ref.target) : ref.target;
      const target = partFiles(at).find((f) => files.has(f));
      const kind = partKind(ref.prefix);
      if (!target) {
        unreadable.push({ kind, file, range: ref.range, why: `imported from ${path.relative(root, at) || at}, which is not analysed` });
        continue;
      }
      const key = `${target}\u0000${ref.prefix.join('.')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const reading = files.get(target)!.clanReadings?.[ref.prefix.join('.')];
      if (!reading) continue; // the file writes nothing of the clan's structure there
      const piece = { file: target, mods: reading, imported: true };
      pieces.push(piece);
      queue.push(piece);
    }
  }
  return { pieces, unreadable };
}

/** The files an import of a part names: the file itself, or the folder's default.nix. */
export function partFiles(at: string): string[] {
  return [at, path.join(at, 'default.nix')];
}

function partKind(prefix: string[]): ClanPart['kind'] {
  const last = prefix[prefix.length - 1];
  return last === 'instances' ? 'instances' : last === 'machines' ? 'machines' : last === 'inventory' ? 'inventory' : 'imports';
}

/** What a part is, for a reason a machine is open. */
export function partText(p: ClanPart): string {
  switch (p.kind) {
    case 'clan':
      return "the clan's configuration";
    case 'inventory':
      return "the clan's inventory";
    case 'instances':
      return "the clan's service instances";
    case 'instance':
      return `service instance '${p.name}'`;
    case 'machines':
      return "the clan's machines";
    case 'machine':
      return `machine '${p.name}''s module`;
    case 'imports':
      return "the clan's own modules";
  }
}

/**
 * A file of a test of the flake (in `tests/`, `test/`, `checks/` below the clan root, or named
 * `test.nix`, `test_x.nix`, `x-test.nix`, `eval-tests.nix`): the machines and
 * service instances written there belong to the test's own clan (clan-core's VM tests declare
 * `clan = { directory = ./.; inventory = ...; }`, its nix-unit tests call the inventory functions with
 * made-up machines), not to the clan of the flake around it.
 */
export function isTestFile(root: string, file: string): boolean {
  if (!file.includes('test') && !file.includes('checks')) return false; // most files: no path to split
  const parts = path.relative(root, file).split(path.sep);
  if (parts[0] === '..') return false;
  return parts.slice(0, -1).some((p) => p === 'tests' || p === 'test' || p === 'checks') || /^tests?\.nix$|^tests?[_-]|[_-]tests?\.nix$/.test(parts[parts.length - 1]);
}
