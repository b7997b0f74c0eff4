// Long work on the server's thread (an evaluation, a publish pass of the rules) runs in slices of
// at most SLICE_MS, and lets the requests that came in be answered between them.

/** The longest a slice of long work keeps the server from answering a request. */
export const SLICE_MS = 10;

/**
 * A message from the client takes several turns of the event loop to be answered (vscode-jsonrpc
 * reads it, queues it and writes the answer each in a turn of its own, by setImmediate), and a
 * slice of long work ran in every one of those turns: a hover during an evaluation waited three
 * slices. The server calls makeWayForRequests when a message arrives; that many turns pass without a slice.
 */
let turnsForRequests = 0;

export function makeWayForRequests(turns = 4): void {
  turnsForRequests = Math.max(turnsForRequests, turns);
}

/** Whether this turn of the event loop is left to a request that came in (it is counted as passed). */
export function turnForRequests(): boolean {
  if (turnsForRequests === 0) return false;
  turnsForRequests--;
  return true;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How many runs of inTurns are under way. */
let running = 0;

/**
 * Whether a run of inTurns is under way: other long work waits for its end rather than going on
 * between its slices (a publish and an evaluation in one another's turns kept both their garbage
 * alive at once, and raised the server's peak).
 */
export function inTurnsUnderWay(): boolean {
  return running > 0;
}

/** Runs `steps` to its end in slices of about SLICE_MS, the turns between them left to requests (and the requests that came in before it, first). */
export async function inTurns<T>(steps: Generator<void, T>): Promise<T> {
  running++;
  try {
    while (turnForRequests()) await nextTurn();
    let until = performance.now() + SLICE_MS;
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (performance.now() < until) continue;
      do await nextTurn();
      while (turnForRequests());
      until = performance.now() + SLICE_MS;
    }
  } finally {
    running--;
  }
}
