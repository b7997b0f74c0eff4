// The handlers the server has begun and not finished: each runs guarded (an exception is logged
// once and never takes the server down), and whoever waits for the server to be idle is told.

export class HandlerActivity {
  /** Handlers begun and not yet finished (a notification's work, a publish): the server is idle at none. */
  private running = 0;
  /** Who waits for the server to be idle (whenIdle, a test hook). */
  private readonly idleWaiters: (() => void)[] = [];

  /**
   * `logError` takes a failed handler's message; `nothingScheduled` says whether no work is put off
   * to later (a publish, a deferred parse, an evaluation), each of which ends in a handler.
   */
  constructor(
    private readonly logError: (line: string) => void,
    private readonly nothingScheduled: () => boolean,
  ) {}

  /** Runs a handler; an exception is logged once and never takes the server down. */
  guard<A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R> | R): (...args: A) => Promise<R | undefined> {
    return async (...args: A) => {
      this.running++;
      try {
        return await fn(...args);
      } catch (e) {
        this.logError(`${name} failed: ${(e as Error).stack ?? e}`);
        return undefined;
      } finally {
        this.running--;
        if (this.idleWaiters.length && this.idle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
    };
  }

  /** Whether the server has nothing left to do for what it was sent: no handler running, nothing scheduled. */
  idle(): boolean {
    return this.running === 0 && this.nothingScheduled();
  }

  /** Resolves once the server is idle. */
  whenIdle(): Promise<void> {
    return this.idle() ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
