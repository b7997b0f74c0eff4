// Starts a clan command line in an integrated terminal (clan asks prompts on a TTY): the
// executable and its arguments are passed as shellPath/shellArgs, never as a shell string. The
// exit code arrives when the terminal closes; closing (or cancelling) it ends the process.
import * as vscode from 'vscode';
import type { Launched, Launcher } from './clanRunner';

export function terminalLauncher(env?: Record<string, string>): Launcher {
  return (argv, cwd, label) => {
    const terminal = vscode.window.createTerminal({ name: `Clan Vars: ${label}`, shellPath: argv[0], shellArgs: argv.slice(1), cwd, env, isTransient: true });
    terminal.show(false);
    let done!: (code: number | undefined) => void;
    const exit = new Promise<number | undefined>((resolve) => (done = resolve));
    const sub = vscode.window.onDidCloseTerminal((t) => {
      if (t !== terminal) return;
      sub.dispose();
      done(t.exitStatus?.code);
    });
    const launched: Launched = { exit, cancel: () => terminal.dispose() };
    return launched;
  };
}
