// Counts turns of the event loop (each a setImmediate) from now until stopped: how long work on the
// thread that answers requests lets the loop go round.

export interface TurnCounter {
  readonly turns: number;
  stop(): void;
}

export function turnCounter(): TurnCounter {
  let turns = 0;
  let on = true;
  const tick = () => {
    turns++;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turns() {
      return turns;
    },
    stop: () => void (on = false),
  };
}
