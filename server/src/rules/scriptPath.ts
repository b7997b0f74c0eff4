// The PATH a generator script sets itself (`export PATH=${lib.makeBinPath [ pkgs.openssl ]}`,
// `PATH=${pkgs.jq}/bin:$PATH`): what it adds to the PATH clan gives (runtimeInputs + coreutils).
// Only what the syntax can read counts: the packages of a literal `makeBinPath` list,
// `${pkgs.x}/bin`, and `$PATH` itself. Anything else (a let-bound value, `/run/current-system/sw/bin`,
// `$HOME/bin`) may provide any command.
import { NIX_INTERPOLATION } from '../syntax/nixString';
import type { ScannedScript } from './generatorFacts';

export interface ScriptPath {
  /** The script sets PATH. */
  set: boolean;
  /** Some setting drops the PATH clan gives instead of adding to it. */
  replaced: boolean;
  /** The attribute path segments of the packages the settings put on PATH (`["pkgs", "openssl"]`). */
  packages: string[][];
}

const PACKAGE = /^pkgs(\.[A-Za-z_][\w'-]*)+$/;
const BARE = /^[A-Za-z_][\w'-]*(\.[A-Za-z_][\w'-]*)*$/;
/** `${lib.makeBinPath [ ... ]}`, `${lib.makeBinPath (with pkgs; [ ... ])}`. */
const BIN_PATH = /^\$\{\s*(?:(?:pkgs\.)?lib\.(?:strings\.)?)?makeBinPath\s+(\(\s*with\s+pkgs\s*;\s*)?\[([^[\]]*)\]\s*(\)\s*)?\}$/;
/** `${pkgs.jq}`, `${lib.getBin pkgs.jq}`, `${pkgs.jq.bin}` before `/bin`. */
const PACKAGE_DIR = /^\$\{\s*(?:(?:lib\.)?getBin\s+)?(pkgs(?:\.[A-Za-z_][\w'-]*)+)\s*\}$/;
const OWN_PATH = /^\$(PATH|\{PATH(:?-[^}]*)?\})$/;

/** What the script's PATH settings add, or null when one of them cannot be read. */
export function pathOfScript(s: ScannedScript): ScriptPath | null {
  const path: ScriptPath = { set: false, replaced: false, packages: [] };
  for (const p of s.shell.pathSets) {
    path.set = true;
    let keeps = p.append;
    for (const entry of entries(s, p.start, p.text)) {
      if (entry.length === 0) continue; // `PATH=:$PATH`: the working folder
      if (entry.length === 1 && entry[0].kind === 'shell' && OWN_PATH.test(entry[0].text)) {
        keeps = true;
        continue;
      }
      const hole = entry[0].kind === 'nix' ? entry[0].text : null;
      const binPath = hole && entry.length === 1 ? BIN_PATH.exec(hole) : null;
      if (binPath) {
        const names = binPath[2].trim().split(/\s+/).filter((n) => n);
        const underWith = !!binPath[1];
        if (!names.every((n) => PACKAGE.test(n) || (underWith && BARE.test(n)))) return null;
        for (const n of names) path.packages.push(n.split('.'));
        continue;
      }
      const dir = hole && entry.length === 2 && entry[1].kind === 'text' && /^\/bin\/?$/.test(entry[1].text) ? PACKAGE_DIR.exec(hole) : null;
      if (dir) {
        path.packages.push(dir[1].split('.'));
        continue;
      }
      return null;
    }
    if (!keeps) path.replaced = true;
  }
  return path;
}

type Part = { kind: 'text' | 'shell' | 'nix'; text: string };

/**
 * The `:`-separated entries of a PATH value as written (`"$PATH:${pkgs.jq}/bin"`), each as its
 * literal text, shell expansions and Nix interpolations (with their source); quotes removed.
 */
function entries(s: ScannedScript, start: number, value: string): Part[][] {
  const out: Part[][] = [[]];
  const add = (kind: Part['kind'], text: string) => {
    const entry = out[out.length - 1];
    const last = entry[entry.length - 1];
    if (kind === 'text' && last?.kind === 'text') last.text += text;
    else entry.push({ kind, text });
  };
  let hole = countBefore(s.decoded.text, start);
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' || c === "'") continue;
    if (c === ':') out.push([]);
    else if (c === NIX_INTERPOLATION) add('nix', s.decoded.interpolations[hole++] ?? '');
    else if (c === '$' && value[i + 1] === '{') {
      const close = value.indexOf('}', i);
      const end = close < 0 ? value.length : close + 1;
      add('shell', value.slice(i, end));
      i = end - 1;
    } else if (c === '$') {
      const name = /^\$([A-Za-z_]\w*|.)?/.exec(value.slice(i))![0];
      add('shell', name);
      i += name.length - 1;
    } else add('text', c);
  }
  return out;
}

function countBefore(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf(NIX_INTERPOLATION); i >= 0 && i < end; i = text.indexOf(NIX_INTERPOLATION, i + 1)) n++;
  return n;
}
