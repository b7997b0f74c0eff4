// Work written as a generator of steps (yielding where the server may answer requests in between)
// run at once, for callers that do not slice it (the checker, small texts).

/** Runs a generator of steps to its end and returns its result. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
