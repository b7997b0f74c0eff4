// Runs clan command lines one at a time: refuses a second run while one is going, lets the user
// cancel the current one, logs every command line with its exit code, and calls `onEnd` after each
// run (the extension refreshes the vars view and asks the server to re-scan). How a process is
// started is a `Launcher`: an integrated terminal in the editor, a child process in tests.
import { displayArgv, findExecutable } from './commandLine';

export interface Launched {
  /** Resolves with the exit code; undefined when unknown (killed, terminal closed). */
  exit: Promise<number | undefined>;
  cancel(): void;
}

export type Launcher = (argv: string[], cwd: string, label: string) => Launched;

export interface RunRequest {
  argv: string[];
  cwd: string;
  label: string;
  /** How this run is started, when not the runner's own way (nix flake archive: a child process, not a terminal). */
  launch?: Launcher;
}

export interface RunResult extends RunRequest {
  outcome: 'ok' | 'failed' | 'cancelled' | 'not-found' | 'busy' | 'error';
  exitCode?: number;
  message?: string;
}

export interface RunnerHooks {
  log(line: string): void;
  onStart?(run: RunRequest): void;
  onEnd?(result: RunResult): void | Promise<void>;
  /** Finds argv[0]; defaults to a PATH lookup. */
  resolve?(command: string, cwd: string): string | null;
}

export class ClanRunner {
  private current: { request: RunRequest; launched: Launched; cancelled: boolean } | undefined;

  constructor(
    private readonly launch: Launcher,
    private readonly hooks: RunnerHooks,
  ) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  get running(): RunRequest | undefined {
    return this.current?.request;
  }

  /** Cancels the running command; false when nothing runs. */
  cancel(): boolean {
    if (!this.current) return false;
    this.current.cancelled = true;
    this.hooks.log(`cancelling: ${displayArgv(this.current.request.argv)}`);
    try {
      this.current.launched.cancel();
    } catch (e) {
      this.hooks.log(`cancel failed: ${(e as Error).message}`);
    }
    return true;
  }

  async run(request: RunRequest): Promise<RunResult> {
    if (this.current) {
      const result: RunResult = { ...request, outcome: 'busy', message: `${this.current.request.label} is still running` };
      this.hooks.log(`not started (${result.message}): ${displayArgv(request.argv)}`);
      return result;
    }
    const resolved = (this.hooks.resolve ?? ((c, cwd) => findExecutable(c, process.env, cwd)))(request.argv[0], request.cwd);
    if (!resolved) {
      const result: RunResult = { ...request, outcome: 'not-found', message: `'${request.argv[0]}' was not found` };
      this.hooks.log(`not started: ${result.message} (setting clanVars.clanCommand): ${displayArgv(request.argv)}`);
      await this.end(result);
      return result;
    }
    this.hooks.log(`running in ${request.cwd}: ${displayArgv(request.argv)}`);
    let launched: Launched;
    try {
      // the program found, not its name: a launcher that searched PATH again could find another (`.` is the clan's folder)
      launched = (request.launch ?? this.launch)([resolved, ...request.argv.slice(1)], request.cwd, request.label);
    } catch (e) {
      const result: RunResult = { ...request, outcome: 'error', message: (e as Error).message };
      this.hooks.log(`could not start ${displayArgv(request.argv)}: ${result.message}`);
      await this.end(result);
      return result;
    }
    const current = (this.current = { request, launched, cancelled: false });
    this.hooks.onStart?.(request);
    let result: RunResult;
    try {
      const code = await launched.exit;
      if (current.cancelled) result = { ...request, outcome: 'cancelled', exitCode: code };
      else if (code === 0) result = { ...request, outcome: 'ok', exitCode: 0 };
      else result = { ...request, outcome: 'failed', exitCode: code, message: code === undefined ? 'ended without an exit code' : `exit code ${code}` };
    } catch (e) {
      result = { ...request, outcome: 'error', message: (e as Error).message };
    }
    this.current = undefined;
    this.hooks.log(`${displayArgv(request.argv)} -> ${result.outcome}${result.exitCode !== undefined ? ` (exit code ${result.exitCode})` : ''}`);
    await this.end(result);
    return result;
  }

  private async end(result: RunResult): Promise<void> {
    try {
      await this.hooks.onEnd?.(result);
    } catch (e) {
      this.hooks.log(`after ${result.label}: ${(e as Error).message}`);
    }
  }
}
