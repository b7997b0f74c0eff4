// A command the script runs that nothing puts on PATH: clan runs generator scripts with
// PATH = runtimeInputs + coreutils only, so the script fails with "<cmd>: command not found".
// The table in data/commandPackages.ts says which packages provide common commands.
import type { Problem } from '../base/types';
import type { Generator } from '../facts/types';
import { COREUTILS, packagesOf, provides, SHELL_BUILTINS } from './data/commandPackages';
import { nameOf, optionAt, scriptedGenerators } from './generatorFacts';
import { writtenOutputs } from './missingOutput';
import { addToList, fix } from './scriptEdits';
import type { Rule } from './types';

/** Package builders whose result may provide any command. */
const CUSTOM = /write(Shell)?Script|writeShellApplication|writers\.|symlinkJoin|buildEnv|runCommand|callPackage|mkDerivation/;
const DOTTED = /^[A-Za-z_][\w'-]*(\.[A-Za-z_][\w'-]*)*$/;

interface Inputs {
  /** Attribute path segments of every runtimeInputs entry. */
  segments: string[][];
  /** Some entry may provide commands we cannot know (a custom script, `cfg.package`). */
  open: boolean;
  /** Entries are written `pkgs.x` (else bare names under `with pkgs;`). */
  prefix: string;
}

function runtimeInputs(decls: Generator[]): Inputs {
  const inputs: Inputs = { segments: [], open: false, prefix: 'pkgs.' };
  for (const d of decls) {
    const o = optionAt(d, 'runtimeInputs');
    if (!o) continue;
    if (o.text.endsWith('…') || CUSTOM.test(o.text)) inputs.open = true;
    if (o.kind === 'with_expression') inputs.prefix = '';
    const texts = o.elements ? o.elements.map((e) => e.text) : [o.text];
    for (const t of texts) {
      const head = t.split(/[\s(]/)[0];
      if (!o.elements || !DOTTED.test(head)) {
        inputs.segments.push(t.match(/[A-Za-z_][\w'-]*/g) ?? []);
        if (o.elements && !/^\(?\s*pkgs\./.test(t)) inputs.open = true;
        continue;
      }
      const segs = head.split('.');
      // `cfg.package`, `config.services.x.package`: any program
      if (segs.length > 1 && segs[0] !== 'pkgs') inputs.open = true;
      inputs.segments.push(t.match(/[A-Za-z_][\w'-]*/g) ?? segs);
    }
  }
  return inputs;
}

export const missingRuntimeInput: Rule = {
  code: 'missing-runtime-input',
  uses: ['generators'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    for (const { g, s, decls } of scriptedGenerators(clan)) {
      if (decls.some((d) => d.origin !== 'module')) continue;
      const inputs = runtimeInputs(decls);
      if (inputs.open) continue;
      const nixCode = writtenOutputs({ ...s, shell: { ...s.shell, mentions: [], opaqueOutputs: false } }) === null;
      const target = decls.find((d) => optionAt(d, 'runtimeInputs')) ?? decls.find((d) => d.insertAt) ?? g;
      const reported = new Set<string>();
      for (const c of s.shell.commands) {
        const cmd = c.text;
        if (reported.has(cmd) || SHELL_BUILTINS.has(cmd) || COREUTILS.has(cmd) || s.shell.functions.has(cmd) || cmd.includes('/') || !/^[\w.+-]+$/.test(cmd)) continue;
        if (inputs.segments.some((segs) => provides(segs, cmd))) continue;
        const known = packagesOf(cmd).length > 0;
        if (!known && (inputs.segments.length > 0 || nixCode)) continue;
        reported.add(cmd);
        // only names the table vouches for: `openssh*` suggests openssh; a command not in it is named alone
        const pkg = packagesOf(cmd).map((p) => p.replace(/\*$/, '')).find((p) => /^[\w-]*[^\W_]$/.test(p));
        const attr = pkg && `${inputs.prefix}${pkg}`;
        problems.push({
          file: g.file,
          range: s.decoded.rangeOf(c.start, c.end),
          severity: 'warning',
          code: this.code,
          message: `'${cmd}' is not on the script's PATH: ` + (attr ? `add ${attr} to runtimeInputs.` : `add the package that provides it to runtimeInputs.`),
          explanation: `clan runs generator scripts with PATH = runtimeInputs + coreutils only, so generator '${nameOf(g)}' would fail with "${cmd}: command not found".`,
          fixes: attr ? fix(`Add ${attr} to runtimeInputs`, addToList(target, 'runtimeInputs', attr)) : [],
        });
      }
    }
    return problems;
  },
};
