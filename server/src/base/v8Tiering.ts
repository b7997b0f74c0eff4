// How V8 compiles for the checker and the server: it optimizes a hot function later than by
// default. Each thread (the main one and the scan's workers) compiles the scan's code anew, and on
// a 2-core machine the optimizing compiles of the threads crowd out the work: two scan workers
// finish a first pass over the bench clan only 1.13x sooner than one, a second pass 1.73x
// (bench/probe.ts threads). With a larger interrupt budget a function must run longer before it is
// optimized: fewer and later compiles, the same code once optimized. In the server (sixteenth
// session, runs alternated): peak RSS 239-250 MB against 269-282 MB at 1x and 405 against 432 MB
// at 2x, keystroke medians unchanged (1.6-2.6 against 1.7-2.7 ms in a generator module, 13-18
// against 13-17 ms in the matrix at 1x).
// The checker, one pass over a clan, does not inline either: its cold check of the 1x bench clan
// takes 0.90 of the time and 0.86 of the CPU (farm-bench -n 8, paired). In the server that cost
// keystroke medians 10-15%, so it keeps inlining.
// After its scan the checker tiers up as V8 does by default (tierUpAsUsual): what runs then (the
// model, the rules) runs on the main thread alone, the worker threads idle, and its hot loops (the
// shell scanner's, each rule's over every generator) want to be optimized and inlined early. In the
// shared clan (../shared/perf) that phase took a median 759 ms instead of 870 (ten runs each, in
// turn: CLAN_VARS_DEBUG_TIMES' "model, evaluation and rules").
import * as v8 from 'node:v8';

export function tierUpLater({ inline }: { inline: boolean }): void {
  v8.setFlagsFromString('--interrupt-budget=300000');
  v8.setFlagsFromString(inline ? '--turbo-inlining' : '--no-turbo-inlining');
}

/** V8's own tiering (its default interrupt budget in Node 20: `node --v8-options`), with inlining. */
export function tierUpAsUsual(): void {
  v8.setFlagsFromString('--interrupt-budget=67584');
  v8.setFlagsFromString('--turbo-inlining');
}

/**
 * Below this many .nix files the checker runs tree-sitter's wasm as V8's baseline compiler
 * (Liftoff) makes it, never optimized (TurboFan). Tiering up the parser's large functions costs
 * more than the faster code saves on a clan of a few hundred files (`node --liftoff-only` against
 * the default, farm-bench -n 8-10 alternated: 48 files 0.88 of the wall time and 0.81 of the CPU,
 * 96 files 0.94, clan-core's 377 0.97, 1,002 synthetic 0.93, 2,003 0.98), not on a large one (the
 * 1x bench clan, 8,003 files: 1.08).
 */
export const LIFTOFF_ONLY_BELOW = 2_000;

let wasmTierChosen = false;

/**
 * Chooses how V8 compiles WebAssembly for a check of `files` .nix files, once per process (the
 * first folder the checker opens decides): a process-wide V8 flag, read when a module is compiled,
 * so set before the parser (NixParser.load) and the scan's workers compile theirs.
 */
export function wasmTierFor(files: number): void {
  if (wasmTierChosen) return;
  wasmTierChosen = true;
  if (files < LIFTOFF_ONLY_BELOW) v8.setFlagsFromString('--liftoff-only');
}
