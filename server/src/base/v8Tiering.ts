// How soon V8 optimizes a hot function, for the checker and the server: later than its default.
// Each thread (the main one and the scan's workers) compiles the scan's code anew, and on a 2-core
// machine the optimizing compiles of the threads crowd out the work: two scan workers finish a first
// pass over the bench clan only 1.13x sooner than one, a second pass 1.73x (bench/probe.ts threads).
// With a larger interrupt budget a function must run longer before it is optimized: fewer and
// later compiles, the same code once optimized. In the server (sixteenth session, runs alternated):
// peak RSS 239-250 MB against 269-282 MB at 1x and 405 against 432 MB at 2x, keystroke medians
// unchanged (1.6-2.6 against 1.7-2.7 ms in a generator module, 13-18 against 13-17 ms in the
// matrix at 1x); the checker also stops inlining (server/src/cli/cli.ts).
import * as v8 from 'node:v8';

export function tierUpLater(): void {
  v8.setFlagsFromString('--interrupt-budget=300000');
}
