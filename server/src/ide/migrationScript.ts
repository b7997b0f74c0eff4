// The script that carries stored values over to clan vars after the migration fixes rewrote the
// Nix: one `<read the old value> | clan vars set -- <machine> <generator>/<file>` line per step
// (migrationSteps.ts). The value only passes through a pipe: never an argument, a file or a log
// line. The script is for the user to read and run; it deletes nothing and leaves a var that
// already has a value alone. Every line is one line of printable text wherever it is shown (names
// go through shellWord, in comments too); every read is checked again when the script runs: the
// file must resolve, links included, to a regular file inside the directory the script runs from.
import type { ClanModel } from '../model/clanModel';
import { shownName } from '../model/clanNames';
import { migrationSteps } from './migrationSteps';
import { shellWord } from './shellWords';

export { migrationSteps, type MigrationStep } from './migrationSteps';

/** The script's fixed part: what it is, how to run it, and the functions each step calls. */
const PROLOGUE = [
  '#   bash migrate-to-vars.sh --dry-run   # says what it would do; sets nothing',
  '#   bash migrate-to-vars.sh             # each value goes through a pipe into `clan vars set`',
  '# Run it once the Nix is rewritten (the generators must exist). A var that already has a value',
  '# is left alone; nothing is deleted: remove the old secrets yourself once the machines run on vars.',
  '# It reads only files that resolve (links included) to regular files inside the directory it runs',
  '# from. A step it does not take is listed as "refused:" or "by hand:", and the run then exits 1.',
  'set -uo pipefail',
  'dry_run=0',
  'case "${1-}" in --dry-run) dry_run=1 ;; "") ;; *) echo "usage: $0 [--dry-run]" >&2; exit 2 ;; esac',
  'failed=0',
  'command -v realpath >/dev/null || { echo "this script needs realpath (GNU coreutils, or macOS 13 or later)" >&2; exit 1; }',
  "root=$(pwd -P && echo .) && root=${root%$'\\n.'} || exit 1",
  '',
  '# inside_clan FILE: 0 when FILE resolves (links included) to a regular file inside $root,',
  '# 1 when it resolves outside $root, 2 when it does not resolve to a regular file',
  'inside_clan() {',
  '  local real',
  '  real=$(realpath -- "$1" 2>/dev/null && echo .) || return 2',
  "  real=${real%$'\\n.'}",
  '  case $real in "$root"/*) ;; *) return 1 ;; esac',
  '  [ -f "$real" ] || return 2',
  '}',
  '',
  '# move MACHINE GENERATOR/FILE DESCRIPTION FILE COMMAND...: COMMAND prints the old value on stdout;',
  '# the file it reads, FILE, is checked with inside_clan first',
  'move() {',
  '  local machine=$1 var=$2 from=$3 file=$4 where',
  '  shift 4',
  '  inside_clan "$file"; where=$?',
  '  if [ "$where" = 1 ]; then echo "not reading $from: it resolves outside the clan; $machine $var not set" >&2; failed=1; return; fi',
  '  if [ "$where" != 0 ]; then echo "cannot read $from: $machine $var not set" >&2; failed=1; return; fi',
  '  if clan vars get -- "$machine" "$var" >/dev/null 2>&1; then echo "skip $machine $var: it already has a value"; return; fi',
  '  if ! "$@" >/dev/null; then echo "cannot read $from: $machine $var not set" >&2; failed=1; return; fi',
  '  if [ "$dry_run" = 1 ]; then echo "would set $machine $var from $from"; return; fi',
  '  if "$@" | clan vars set -- "$machine" "$var"; then echo "set $machine $var from $from"; else echo "clan vars set failed for $machine $var" >&2; failed=1; fi',
  '}',
  '',
  '# move_if_stored MACHINE GENERATOR/FILE DESCRIPTION FILE COMMAND...: a fact of a generator none of whose',
  '# facts was stored when the script was written (it never ran, or is off on that machine): moved when',
  '# FILE exists, else there is nothing to move',
  'move_if_stored() {',
  '  if [ ! -e "$4" ] && [ ! -L "$4" ]; then echo "nothing stored for $1 $2 ($3): nothing to move"; return; fi',
  '  move "$@"',
  '}',
  '',
  '# by_hand MACHINE GENERATOR/FILE WHY: a value the script does not read; move it yourself',
  'by_hand() { echo "by hand: $1 $2: $3" >&2; failed=1; }',
  '',
  '# refused STEP WHY: a step not taken, its machine or var name is one clan or a shell could misread',
  'refused() { echo "refused: $1: $2" >&2; failed=1; }',
  '',
];

/** The bash script for the user to review and run from the clan's root (`--dry-run` to see what it would do). */
export function migrationScript(clan: ClanModel): string {
  const steps = migrationSteps(clan);
  const head = ['#!/usr/bin/env bash', '# Carries stored values of clan facts and plain sops-nix secrets over to clan vars.'];
  // nothing to move: a script that says so, not the prologue of one that would
  if (!steps.length) {
    const nothing = 'no facts or sops-nix secrets of a known machine were found: nothing to move';
    return [...head, `# Written by Clan Vars for the clan in ${shellWord(clan.root)}. No facts or sops-nix secrets of a`, '# known machine were found: nothing to move.', `echo ${shellWord(nothing)}`, ''].join('\n');
  }
  const lines = [...head, `# Written by Clan Vars for the clan in ${shellWord(clan.root)}. Review it, then run it from that directory:`, ...PROLOGUE];
  for (const s of steps) {
    const words = s.refused
      ? ['refused', `machine ${shownName(s.machine)}, var ${shownName(s.varId)}`, s.refused]
      : s.read
        ? [s.ifStored ? 'move_if_stored' : 'move', s.machine, s.varId, s.from, `./${s.read.file}`, ...s.read.argv]
        : ['by_hand', s.machine, s.varId, s.from];
    lines.push(words.map(shellWord).join(' '));
  }
  lines.push('', 'exit "$failed"', '');
  return lines.join('\n');
}
