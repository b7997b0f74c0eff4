// Random edits to a Nix document, as LSP content changes: typing, deleting, unbalanced brackets
// and quotes, pasted binary, huge lines, emoji split in half, whole-text replacements.
import type { Rng } from './rng';
import { lineStarts, positionAt, type Rng as Range } from './text';

export interface Change {
  range?: Range;
  text: string;
}

const TOKENS = [
  '{', '}', '[', ']', '(', ')', '"', "''", '${', ';', '=', ':', '.', ',', '?', '@', '//', '++', '#', '/*', '*/', '\n', ' ', '  ',
  'let', 'in', 'rec', 'inherit', 'with', 'import', 'if', 'then', 'else', 'assert', 'or', '...',
  'clan.core.vars.generators', 'generators', 'dependencies', 'files', 'prompts', 'script', 'share', 'secret', 'deploy',
  'runtimeInputs', 'importApply', 'config.clan.core.vars.generators.x.files.y.path', 'generator', 'envVar', 'fileAttr',
  'key-0000', 'x', 'ssh', 'gmail', '"gmail"', '"a b"', '$out', '$in', 'pkgs.openssh', '../lib/secret-registry.nix', './.',
];

const SNIPPETS = [
  'clan.core.vars.generators.fuzz = { dependencies = [ "nope" ]; files.key = { }; script = "echo > $out/key"; };\n',
  'clan.core.vars.generators."a.b" = { share = true; prompts.p = { type = "hidden"; }; };\n',
  '  extra = mkPromptedSecret { generator = "fuzz-gen"; envVar = "FUZZ"; };\n',
  '  lea = [ "gmial" "ssh" ];\n',
  'dependencies = [ "x" "y" "x" ];',
  "script = ''\n  cat $in/x/y > $out/z\n'';\n",
  '${builtins.toString 1}',
  'inherit (x) a b;',
  // generators built from literal lists and sets: they share the parts of one body (issue 54)
  'clan.core.vars.generators = lib.listToAttrs (map (n: lib.nameValuePair "fz-${n}" { files.key.mode = "0400"; script = "echo > $out/key"; }) [ "a" "b" ]);\n',
  "clan.core.vars.generators = lib.mapAttrs' (n: v: lib.nameValuePair \"fz-${n}\" { files.${v} = { }; dependencies = [ \"fz-a\" ]; }) { c = \"x\"; d = \"y\"; };\n",
  'clan.core.vars.generators = lib.genAttrs [ "fz-e" "fz-f" ] (n: { prompts.p.type = "hidden"; files.k.secret = false; });\n',
];

function randomPos(text: string, rng: Rng) {
  return positionAt(lineStarts(text), rng.int(0, text.length));
}

function rangeAround(text: string, rng: Rng, maxLen: number): Range {
  const start = rng.int(0, text.length);
  const end = Math.min(text.length, start + rng.int(0, maxLen));
  const starts = lineStarts(text);
  return { start: positionAt(starts, start), end: positionAt(starts, end) };
}

function binary(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const kind = rng.int(0, 4);
    if (kind === 0) s += '\0';
    else if (kind === 1) s += String.fromCharCode(rng.int(0xd800, 0xdfff)); // a lone surrogate
    else if (kind === 2) s += String.fromCharCode(rng.int(0x80, 0xff));
    else s += String.fromCharCode(rng.int(1, 0x7f));
  }
  return s;
}

function tokens(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += rng.pick(TOKENS) + (rng.chance(0.5) ? ' ' : '');
  return s;
}

export type EditKind = 'type' | 'delete' | 'replace' | 'bracket' | 'snippet' | 'binary' | 'hugeLine' | 'emoji' | 'wholeText' | 'crlf';

export const EDIT_WEIGHTS: Record<EditKind, number> = {
  type: 30, delete: 20, replace: 15, bracket: 10, snippet: 8, binary: 4, hugeLine: 1, emoji: 4, wholeText: 2, crlf: 2,
};

/** One random change to `text`. `huge` allows lines of hundreds of kilobytes. */
export function randomChange(text: string, rng: Rng, kind: EditKind = rng.weighted(EDIT_WEIGHTS), original = ''): Change {
  const at = randomPos(text, rng);
  const insert = (t: string): Change => ({ range: { start: at, end: at }, text: t });
  switch (kind) {
    case 'type':
      return insert(rng.chance(0.7) ? rng.pick(TOKENS).slice(0, rng.int(1, 3)) : tokens(rng, rng.int(1, 4)));
    case 'delete':
      return { range: rangeAround(text, rng, rng.chance(0.8) ? 5 : 400), text: '' };
    case 'replace':
      return { range: rangeAround(text, rng, 40), text: tokens(rng, rng.int(1, 6)) };
    case 'bracket':
      return insert(rng.pick(['{', '}', '[', ']', '(', ')', '"', "''", '${', '{ a = ', '"${', "'''", '\\"', '/*']).repeat(rng.int(1, 4)));
    case 'snippet':
      return insert(rng.pick(SNIPPETS));
    case 'binary':
      return insert(binary(rng, rng.int(1, 300)));
    case 'hugeLine':
      return insert(rng.pick(['x', '"a" ', '{ ', '[ ', 'a.']).repeat(rng.int(5_000, 60_000)));
    case 'emoji': {
      // emoji are two UTF-16 units: later positions may land between the halves
      return insert(rng.pick(['😀', '🔑 = 1;', '"é😀"', '\u{1F600}\u{1F601}']));
    }
    case 'wholeText':
      return { text: rng.chance(0.5) && original ? original : tokens(rng, rng.int(0, 50)) };
    case 'crlf':
      return insert(rng.pick(['\r\n', 'a = 1;\r\n', '\t', '\u2028', '\u00a0']));
  }
}

/** A plausible keystroke for the soak run: mostly typing and backspace near one spot. */
export function keystroke(text: string, rng: Rng, cursor: number): { change: Change; cursor: number } {
  const starts = lineStarts(text);
  const c = Math.min(cursor, text.length);
  if (rng.chance(0.45) && c > 0) {
    return { change: { range: { start: positionAt(starts, c - 1), end: positionAt(starts, c) }, text: '' }, cursor: c - 1 };
  }
  const t = rng.pick(['a', 'e', ' ', '"', '=', ';', '\n', '{', '}', 'gen', '.', '-']);
  const p = positionAt(starts, c);
  return { change: { range: { start: p, end: p }, text: t }, cursor: c + t.length };
}
