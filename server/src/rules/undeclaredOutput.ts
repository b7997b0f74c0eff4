// The script writes `$out/<name>` but no file `<name>` is declared: clan ignores the file silently,
// so it is neither stored nor deployed. Only certain writes count: a `>` redirection or the operand
// of a command that writes its operands (cp, mv, install, tee, ...). An operand of any other
// program (`rm -f`, `cat`, `step crypto keypair`) may be read, deleted or a by-product the author
// discards on purpose, so it stays silent. A file the script deletes after its last write (`rm $out/all`) or
// renames is an intermediate one.
import type { Problem } from '../base/types';
import { declarationsOf, knownFiles, nameOf, scriptOf } from './generatorFacts';
import { attrName } from '../syntax/syntax';
import { addBinding, fix } from './scriptEdits';
import type { Rule } from './types';
import type { VarMention } from '../syntax/shellScan';

/** Commands whose `$out/...` operands are files they create. */
const WRITERS = new Set(['cp', 'mv', 'install', 'tee', 'touch', 'ln', 'dd']);
/** Commands whose `$out/...` operands are files they delete. */
const REMOVERS = new Set(['rm', 'unlink', 'shred']);

const isWrite = (m: VarMention) => m.redirect === 'out' || (m.command !== undefined && WRITERS.has(m.command));

export const undeclaredOutput: Rule = {
  code: 'undeclared-output',
  uses: ['generators', 'modules'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    for (const g of clan.generators) {
      if (g.origin !== 'module' || g.name.name === null) continue;
      const s = scriptOf(g);
      const files = s && knownFiles(clan, g.name.name);
      if (!s || !files) continue;
      // `mv "$out"/key.pem "$out"/key`: an intermediate file, renamed to a declared one; `rm $out/all` after its last write: one the script deletes
      const moved = new Set<string>();
      const lastWrite = new Map<string, number>();
      for (const m of s.shell.mentions) if (m.variable === 'out' && m.path && isWrite(m)) lastWrite.set(m.path, m.start);
      for (const m of s.shell.mentions) {
        if (m.variable !== 'out' || !m.path) continue;
        const lineStart = s.decoded.text.lastIndexOf('\n', m.start) + 1;
        if (/\bmv\s+(-\S+\s+)*["']?$/.test(s.decoded.text.slice(lineStart, m.start))) moved.add(m.path);
        if (m.command !== undefined && REMOVERS.has(m.command) && m.start > (lastWrite.get(m.path) ?? -1)) moved.add(m.path);
      }
      const reported = new Set<string>(moved);
      for (const m of s.shell.mentions) {
        if (m.variable !== 'out' || !m.path || m.inHeredoc || !isWrite(m) || reported.has(m.path)) continue;
        const w = m.path;
        if ([...files].some((f) => f === w || f.startsWith(w + '/') || w.startsWith(f + '/'))) continue;
        reported.add(w);
        const target = declarationsOf(clan, g).find((d) => d.insertAt) ?? g;
        problems.push({
          file: g.file,
          range: s.decoded.rangeOf(m.start, m.end),
          severity: 'warning',
          code: this.code,
          message: `The script writes $out/${w}, but generator '${nameOf(g)}' declares no file '${w}': declare it (files.${attrName(w)} = { };) or stop writing it.`,
          explanation: `clan ignores undeclared outputs silently: the file is neither stored nor deployed.`,
          fixes: fix(`Declare file '${w}'`, addBinding(target, `files.${attrName(w)} = { };`)),
        });
      }
    }
    return problems;
  },
};
