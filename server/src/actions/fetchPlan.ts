// Whether `nix flake archive` may run for a clan, and how: one plan for the editor command and
// `clan-vars-lint --fetch-inputs`. The clan is a repository the user has not vetted, so nothing it
// names may run, and nothing outside it reaches the Nix store unless the user names it:
// - nix is found in the absolute PATH entries outside the clan and its repository that hold no link
//   into them, and the child gets only those entries as PATH, so the git and ssh nix starts by name
//   come from there too (searchPath.ts);
// - git takes GIT_OVERRIDES for every repository (no fsmonitor hook, no hooks), and a repository nix
//   runs git in (the clan's, a local git input's) whose own configuration sets anything else that
//   runs a program is refused, the settings named (gitRepoConfig.ts);
// - `--no-update-lock-file`: nix keeps to what flake.lock locks and fails rather than write a new
//   lock; every input on this disk that it may still copy into the store (inputsNixMayFetch.ts:
//   what flake.lock and flake.nix name, on disk and committed) that is outside the clan is listed
//   (`unnamed`) unless the user named it; a local Mercurial input is refused (hg runs the hooks its
//   .hg/hgrc names);
// - `--option accept-flake-config false`: the flake's nixConfig is not applied, whatever nix.conf says.
import * as path from 'node:path';
import { printable } from '../base/printable';
import { fetchInputsArgv } from './fetchInputs';
import { gitDirsFor, gitTooOld, GIT_OVERRIDES, programSettings, type GitDir, type GitRunner } from '../base/gitRepoConfig';
import { inputsNixMayFetch, type FlakeNixReader } from './inputsNixMayFetch';
import type { LocalInput } from './localInputs';
import { findOutside, isInside, realPathOf, searchPathOutside } from '../base/searchPath';

/** Variables that would point git at another repository than the one checked here. */
const GIT_LOCATION_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES'];

export interface FetchRun {
  argv: string[];
  cwd: string;
  /** nix's environment: the caller's, with the PATH, git settings and git variables above. */
  env: NodeJS.ProcessEnv;
  /** Local inputs outside the clan that the user has not named: nix would copy them into the store. */
  unnamed: LocalInput[];
}

/** The environment nix runs with: PATH only the entries kept, GIT_OVERRIDES after any the caller set, no git location variables. */
function childEnv(env: NodeJS.ProcessEnv, pathEntries: string[]): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, PATH: pathEntries.join(path.delimiter) };
  for (const v of GIT_LOCATION_VARIABLES) delete out[v];
  const count = Number(env.GIT_CONFIG_COUNT ?? 0);
  let n = Number.isInteger(count) && count >= 0 ? count : 0;
  for (const [key, value] of GIT_OVERRIDES) {
    out[`GIT_CONFIG_KEY_${n}`] = key;
    out[`GIT_CONFIG_VALUE_${n}`] = value;
    n++;
  }
  out.GIT_CONFIG_COUNT = String(n);
  return out;
}

/** Why git may not run in these repositories (its configuration names programs, cannot be read, or git is too old); undefined when it may. */
async function repositoryProblem(dirs: GitDir[], runner: GitRunner | null, which: string): Promise<string | undefined> {
  if (dirs.length === 0 || runner === null) return undefined; // no repository, or no git for nix to run
  const old = await gitTooOld(runner);
  if (old) return `${old}: it would not take the settings that keep a repository's fsmonitor hook and hooks from running (GIT_CONFIG_COUNT). Put a newer git on PATH.`;
  const found = await programSettings(dirs, runner);
  if ('unreadable' in found) return `cannot read all of the git configuration that nix's git would read, so it cannot be checked: ${printable(found.unreadable)}`;
  if (found.settings.length === 0) return undefined;
  const list = found.settings.map((s) => `${printable(s.name)} (in ${printable(s.file)})`).join(', ');
  return `nix runs git in ${which}, and its own git configuration makes git run programs: ${list}. Remove these settings to fetch the inputs; nothing was run.`;
}

export interface PlanOptions {
  /** Reads flake.nix's input specifications (inputsNixMayFetch.ts). */
  flakeNixRefs: FlakeNixReader;
  /** Local inputs outside the clan the user has named (paths, compared by real path): not listed in `unnamed`. */
  named?: readonly string[];
}

/** The run for a clan root, or why nothing may run. */
export async function planArchive(root: string, env: NodeJS.ProcessEnv, options: PlanOptions): Promise<{ run: FetchRun } | { refuse: string }> {
  const clanDirs = gitDirsFor(root);
  const folders = [root, ...clanDirs.flatMap((d) => (d.workTree ? [d.workTree] : []))];
  const search = searchPathOutside(env.PATH, folders);
  const nix = findOutside('nix', search, env);
  if (!nix) {
    const left = search.skipped.length ? ` (left out: ${search.skipped.map(printable).join(', ')})` : '';
    return { refuse: `'nix' was not found on PATH outside the clan and its repository${left}: fetching the flake inputs needs Nix (with flakes). Install it, or run 'nix flake archive' yourself.` };
  }
  const childEnvironment = childEnv(env, search.entries);
  const git = findOutside('git', search, env);
  const runner = git ? { git, env: childEnvironment } : null;

  const clanProblem = await repositoryProblem(clanDirs, runner, "the clan's repository");
  if (clanProblem) return { refuse: clanProblem };
  const fetched = await inputsNixMayFetch(root, clanDirs.length ? runner : null, options.flakeNixRefs);
  if ('refuse' in fetched) return fetched;
  const inputs = fetched.inputs;

  const hg = inputs.find((i) => i.kind === 'hg');
  if (hg) return { refuse: `the input '${printable(hg.node)}' is the Mercurial repository ${printable(hg.path)} on this disk: nix would run hg in it, and hg runs the hooks and extensions its .hg/hgrc names. Fetch it yourself.` };
  const gitInputs = inputs.filter((i) => i.kind === 'git').flatMap((i) => gitDirsFor(i.path));
  const inputProblem = await repositoryProblem(gitInputs, runner, 'a local git input');
  if (inputProblem) return { refuse: inputProblem };

  const namedReal = new Set((options.named ?? []).map((n) => realPathOf(n) ?? path.resolve(n)));
  // a path in a store (the registry's nixpkgs on NixOS is one) is readable by every user already
  const stores = [...new Set(['/nix/store', env.NIX_STORE_DIR || '/nix/store'].flatMap((s) => [s, realPathOf(s) ?? s]))];
  const inStore = (p: string) => stores.some((s) => isInside(s, p));
  const unnamed = inputs.filter((i) => i.outside && !inStore(i.real) && !namedReal.has(i.real) && !namedReal.has(i.path));
  return { run: { argv: fetchInputsArgv(nix), cwd: root, env: childEnvironment, unnamed } };
}

/** The inputs outside the clan, for a message: `name (kind path)`, one per input. */
export function outsideInputsText(inputs: readonly LocalInput[]): string {
  return inputs.map((i) => `'${printable(i.node)}' (${i.kind} ${printable(i.path)}${i.real !== i.path ? `, really ${printable(i.real)}` : ''})`).join(', ');
}
