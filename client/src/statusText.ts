// What the status bar item says: the server's state, with the counts in the tooltip (the errors and
// warnings are VS Code's own status bar entry already). Plain node: no vscode import, unit-tested.
import type { StatusParams } from '../../server/src/lsp/protocol';

export interface StatusText {
  text: string;
  tooltip: string;
  /** Shown on the error background. */
  failed: boolean;
  /** Links the tooltip offers: a title and the command it runs. */
  actions: { title: string; command: string }[];
}

const n = (x: number) => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

/** The last clan run and how it ended; `seen`: the user has answered or dismissed its failure's notification, or opened the log. */
export interface LastRun {
  text: string;
  ok: boolean;
  seen?: boolean;
}

/**
 * `lastRun`: the last clan run and how it ended (a failure marks the item until the user has seen
 * it, then only the tooltip keeps it); `toMove`: stored values not carried over to vars yet, per
 * machine (from the vars view's last state).
 */
export function statusText(s: StatusParams, lastRun?: LastRun, toMove: { machine: string; count: number }[] = []): StatusText {
  let out: StatusText;
  switch (s.state) {
    case 'starting':
      out = { text: '$(sync~spin) Clan Vars', tooltip: 'Clan Vars: starting the language server', failed: false, actions: [] };
      break;
    case 'indexing': {
      const p = s.progress;
      const pct = p && p.total ? ` ${Math.floor((100 * p.done) / p.total)}%` : '';
      out = { text: `$(sync~spin) Clan Vars${pct}`, tooltip: `Clan Vars: indexing .nix files${p ? ` (${n(p.done)} of ${n(p.total)})` : ''}`, failed: false, actions: [] };
      break;
    }
    case 'ready': {
      const hints = s.hints ? `\n${plural(s.hints, 'hint')} (not in the Problems panel, which leaves hints out: the faint dots under the code)` : '';
      const found = `${plural(s.files, '.nix file')}, ${plural(s.generators, 'generator declaration')}; ${plural(s.errors, 'error')} and ${plural(s.warnings, 'warning')} in the Problems panel${hints}`;
      // the icon follows what was found: no check mark while there are errors
      const icon = s.errors ? '$(error)' : s.warnings ? '$(warning)' : '$(check)';
      out = s.evaluationPending
        ? { text: '$(loading~spin) Clan Vars', tooltip: `Clan Vars: evaluating the registry pipeline (after a pause in typing)\n${found}`, failed: false, actions: [] }
        : { text: `${icon} Clan Vars`, tooltip: `Clan Vars: ready\n${found}`, failed: false, actions: [] };
      if (s.errors || s.warnings) out.actions.push({ title: 'Open Problems', command: 'workbench.actions.view.problems' });
      break;
    }
    case 'error':
      out = { text: '$(error) Clan Vars', tooltip: `Clan Vars: ${s.message ?? 'the language server failed'}`, failed: true, actions: [{ title: 'Restart the server', command: 'clanVars.restartServer' }] };
      break;
  }
  const moving = toMove.reduce((n, m) => n + m.count, 0);
  if (moving && s.state === 'ready') {
    out.text += ` $(arrow-right) ${n(moving)}`;
    out.tooltip += `\n${plural(moving, 'stored value')} of facts or sops-nix not in clan vars yet (${toMove.map((m) => `${m.machine}: ${n(m.count)}`).join(', ')}): carry ${moving === 1 ? 'it' : 'them'} over with Clan Vars: Write Migration Script.`;
    out.actions.push({ title: 'Write Migration Script', command: 'clanVars.writeMigrationScript' }, { title: 'Migration Report', command: 'clanVars.showMigrationReport' });
  }
  if (lastRun) {
    out.text += lastRun.text.startsWith('running') ? ' $(terminal)' : lastRun.ok || lastRun.seen ? '' : ' $(terminal) failed';
    out.tooltip += `\nLast clan run: ${lastRun.text}`;
  }
  out.tooltip += '\nClick for the log.';
  out.actions.push({ title: 'Show Log', command: 'clanVars.showOutput' });
  return out;
}
