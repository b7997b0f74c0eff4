// What `nix flake archive --no-update-lock-file` may copy from this disk into the store, read from
// the files nix reads: flake.lock (every node it locks) and flake.nix (an input it declares that the
// lock does not lock is copied before nix finds it may not write the new lock: flakeNixRefs.ts).
// Each is read as it is on disk and, in a git repository, as committed (HEAD): nix exports a clean
// repository with `git archive`, so it reads the committed files, and an index entry marked
// skip-worktree keeps the repository clean whatever the file on disk says. A file holding
// `$Format:` is refused: `git archive` replaces that placeholder (export-subst) with text of the
// commit, so nix could read another file than the one read here.
import * as path from 'node:path';
import { printable } from '../base/printable';
import { Confinement } from '../base/confinement';
import { parseFlakeLock, readFlakeLockText } from '../base/flakeLock';
import type { FlakeNixRef } from './flakeNixRefs';
import { committedText, type GitRunner } from '../base/gitRepoConfig';
import { flakeNixInput, localInputs, type LocalInput } from './localInputs';

/** Far above any real flake.nix; a larger one is not read (the fetch is refused). */
export const MAX_FLAKE_NIX_BYTES = 1_000_000;

type Read = string | null | { unreadable: string };

/** flakeNixRefs.ts's reading of a flake.nix text: in the checker the function itself, in the editor a request to the language server (the client loads no parser). */
export type FlakeNixReader = (text: string) => Promise<FlakeNixRef[] | null>;

function readFlakeNix(root: string): Read {
  try {
    return Confinement.within(root).readText(path.join(root, 'flake.nix'), MAX_FLAKE_NIX_BYTES);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? null : { unreadable: (e as Error).message };
  }
}

/** The texts of a clan file nix may read, each with how it is named in a message; or why one cannot be read. */
async function textsOf(name: string, disk: Read, committed: () => Promise<string | null>): Promise<{ texts: [string, string][] } | { refuse: string }> {
  if (disk !== null && typeof disk !== 'string') return { refuse: `${name} cannot be read (${printable(disk.unreadable)}), so the inputs nix would copy cannot be listed` };
  const head = await committed();
  const texts: [string, string][] = [];
  if (disk !== null) texts.push([disk, name]);
  if (head !== null && head !== disk) texts.push([head, `the committed ${name} (HEAD)`]);
  const placeholder = texts.find(([text]) => text.includes('$Format:'));
  if (placeholder) return { refuse: `${placeholder[1]} holds '$Format:', which git replaces when it exports the file (export-subst), so nix could read another ${name} than the one checked here` };
  return { texts };
}

/**
 * Every input on this disk that nix may copy into the store for the clan at `root`, or why that
 * cannot be known. `runner`: the git nix would run, when the clan is in a repository whose
 * configuration has been checked (its committed files are read with it); null otherwise.
 * `flakeNixRefs` reads the input specifications of a flake.nix text.
 */
export async function inputsNixMayFetch(root: string, runner: GitRunner | null, flakeNixRefs: FlakeNixReader): Promise<{ inputs: LocalInput[] } | { refuse: string }> {
  const committed = (file: string) => async () => (runner ? committedText(runner, root, file) : null);
  const found = new Map<string, LocalInput>();
  const add = (input: LocalInput) => {
    const had = found.get(input.path);
    // one entry a path; the kind that asks most of nix wins (hg is refused, git has its configuration checked)
    if (!had || (input.kind === 'hg' ? had.kind !== 'hg' : input.kind === 'git' && had.kind !== 'hg')) found.set(input.path, input);
  };

  const locks = await textsOf('flake.lock', readFlakeLockText(root), committed('flake.lock'));
  if ('refuse' in locks) return locks;
  for (const [text, which] of locks.texts) {
    const lock = parseFlakeLock(text);
    if (!lock) return { refuse: `${which} is not a flake lock (JSON with "nodes"), so the inputs nix would copy cannot be listed` };
    localInputs(lock, root).forEach(add);
  }

  const flakes = await textsOf('flake.nix', readFlakeNix(root), committed('flake.nix'));
  if ('refuse' in flakes) return flakes;
  for (const [text, which] of flakes.texts) {
    let refs: FlakeNixRef[] | null;
    try {
      refs = await flakeNixRefs(text);
    } catch (e) {
      return { refuse: `${which} could not be read for the inputs it declares (${printable((e as Error).message)}), so they cannot be listed` };
    }
    if (refs === null) return { refuse: `${which} could not be parsed in time, so the inputs it declares cannot be listed` };
    for (const ref of refs) {
      const input = flakeNixInput(ref, root);
      if (input) add(input);
    }
  }
  return { inputs: [...found.values()] };
}
