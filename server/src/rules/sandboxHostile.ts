// Script constructs that break in clan's generator sandbox: process substitution `<(...)` (macOS
// sandbox-exec denies /dev/fd), network tools (no network under bubblewrap), and reads of $HOME or
// files under /etc (the sandbox root is empty).
import type { Problem } from '../base/types';
import { GIT_NETWORK, NETWORK_COMMANDS } from './data/commandPackages';
import { nameOf, scriptedGenerators } from './generatorFacts';
import type { Rule } from './types';

export const sandboxHostile: Rule = {
  code: 'sandbox-hostile',
  uses: ['generators', 'modules'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    for (const { g, s } of scriptedGenerators(clan)) {
      const add = (start: number, end: number, message: string) =>
        problems.push({ file: g.file, range: s.decoded.rangeOf(start, end), severity: 'warning', code: this.code, message });
      for (const p of s.shell.processSubstitutions) {
        add(p.start, p.start + 2, `Process substitution fails in clan's macOS sandbox (sandbox-exec denies /dev/fd), so generator '${nameOf(g)}' cannot run there. Write to a temporary file or use a pipe instead.`);
      }
      for (const c of s.shell.commands) {
        const next = s.decoded.text.slice(c.end).match(/^[ \t]+([\w-]+)/)?.[1];
        if (NETWORK_COMMANDS.has(c.text) || (c.text === 'git' && next && GIT_NETWORK.has(next))) {
          add(c.start, c.end, `'${c.text}' needs the network, but clan runs generators in a sandbox without network access (bubblewrap on Linux). Fetch the data at build time (a fixed-output derivation) or ask for it with a prompt.`);
        }
      }
      for (const h of s.shell.homeReads) {
        add(h.start, h.end, `The generator sandbox has an empty root: ${h.text} points to a directory that does not exist there. Pass the data in with a prompt or a dependency.`);
      }
      for (const e of s.shell.etcReads) {
        add(e.start, e.end, `${e.text} does not exist in clan's generator sandbox (its root is empty; only /etc/passwd, /etc/group and /etc/hosts are created). Pass the data in with a prompt or a dependency.`);
      }
    }
    return problems;
  },
};
