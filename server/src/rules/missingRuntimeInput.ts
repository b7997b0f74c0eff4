// A command the script runs that nothing puts on PATH: clan runs generator scripts with
// PATH = runtimeInputs + coreutils only, so the script fails with "<cmd>: command not found".
// The table in data/commandPackages.ts says which packages provide common commands. A script that
// sets PATH itself (scriptPath.ts) adds the packages it names; one whose PATH cannot be read
// (a let-bound value, a folder of the host) may run anything, so nothing is concluded.
import type { Problem } from '../base/types';
import type { Generator } from '../facts/types';
import { COREUTILS, packagesOf, provides, SHELL_BUILTINS } from './data/commandPackages';
import { nameOf, scriptedGenerators } from './generatorFacts';
import { writtenOutputs } from './missingOutput';
import { pathOfScript, type ScriptPath } from './scriptPath';
import { addToList, fix } from './scriptEdits';
import type { Rule } from './types';
import { isIdentifier } from '../syntax/syntax';

/** Package builders whose result may provide any command. */
const CUSTOM = /write(Shell)?Script|writeShellApplication|writers\.|symlinkJoin|buildEnv|runCommand|callPackage|mkDerivation/;

interface Inputs {
  /** Attribute path segments of every runtimeInputs entry. */
  segments: string[][];
  /** Some entry may provide commands we cannot know (a custom script, `cfg.package`, a list we cannot enumerate). */
  open: boolean;
  /** Entries are written `pkgs.x` (else bare names under `with pkgs;`). */
  prefix: string;
}

function runtimeInputs(decls: Generator[]): Inputs {
  const inputs: Inputs = { segments: [], open: false, prefix: 'pkgs.' };
  for (const d of decls) {
    for (const o of d.options) {
      if (o.path.length !== 1 || o.path[0] !== 'runtimeInputs') continue;
      // a value that is not a list we can enumerate (`deps`, `[ pkgs.jq ] ++ cfg.extra`) may hold anything, as may an entry built in Nix or cut for display (a list's text is cut at 200 characters: its entries are looked at one by one)
      if (!o.elements || CUSTOM.test(o.text) || o.elements.some((e) => e.text.endsWith('…') || CUSTOM.test(e.text))) inputs.open = true;
      const underWith = o.kind === 'with_expression';
      if (underWith) inputs.prefix = '';
      for (const e of o.elements ?? []) {
        const t = e.text;
        const head = t.split(/[\s(]/)[0];
        if (underWith && isIdentifier(head)) inputs.segments.push([head]);
        // `pkgs.jq`, `pkgs."wireguard-tools"`, `(pkgs.python3.withPackages (ps: [ ps.qrcode ]))`: the names in it (at least pkgs)
        else if (/^\(?\s*pkgs\./.test(t)) inputs.segments.push(t.match(/[A-Za-z_][\w'-]*/g)!);
        // `cfg.package`, a let-bound script, a bare name outside `with pkgs;`: any program
        else inputs.open = true;
      }
    }
  }
  return inputs;
}

/** The packages a script puts on PATH, as written (`pkgs.openssl, pkgs.jq`). */
function packageList(path: ScriptPath): string {
  return path.packages.map((p) => p.join('.')).join(', ');
}

export const missingRuntimeInput: Rule = {
  code: 'missing-runtime-input',
  uses: ['generators', 'modules'],
  reach: 'name',
  check(clan) {
    const problems: Problem[] = [];
    for (const { g, s, merged } of scriptedGenerators(clan)) {
      // runtimeInputs of every declaration the module system may merge into it
      const decls = merged.possible;
      if (decls.some((d) => d.origin !== 'module' || d.evaluated)) continue;
      const inputs = runtimeInputs(decls);
      if (inputs.open) continue;
      const path = pathOfScript(s);
      if (path === null) continue;
      const nixCode = writtenOutputs({ ...s, shell: { ...s.shell, mentions: [], opaqueOutputs: false } }) === null;
      const target = merged.certain.find((d) => d.options.some((o) => o.path.length === 1 && o.path[0] === 'runtimeInputs')) ?? merged.certain.find((d) => d.insertAt) ?? g;
      const reported = new Set<string>();
      for (const c of s.shell.commands) {
        const cmd = c.text;
        if (reported.has(cmd) || SHELL_BUILTINS.has(cmd) || COREUTILS.has(cmd) || s.shell.functions.has(cmd) || cmd.includes('/') || !/^[\w.+-]+$/.test(cmd)) continue;
        if (inputs.segments.some((segs) => provides(segs, cmd)) || path.packages.some((segs) => provides(segs, cmd))) continue;
        const known = packagesOf(cmd).length > 0;
        if (!known && (inputs.segments.length > 0 || path.packages.length > 0 || nixCode)) continue;
        reported.add(cmd);
        // only names the table vouches for: `openssh*` suggests openssh; a command not in it is named alone
        const pkg = packagesOf(cmd).map((p) => p.replace(/\*$/, '')).find((p) => /^[\w-]*[^\W_]$/.test(p));
        const attr = pkg && `${inputs.prefix}${pkg}`;
        const what = attr ?? 'the package that provides it';
        problems.push({
          file: g.file,
          range: s.decoded.rangeOf(c.start, c.end),
          severity: 'warning',
          code: this.code,
          message: path.replaced
            ? `'${cmd}' is neither in runtimeInputs nor on the PATH the script sets: add ${what} to one of them.`
            : `'${cmd}' is not on the script's PATH: add ${what} to runtimeInputs.`,
          explanation:
            `clan runs generator scripts with PATH = runtimeInputs + coreutils only` +
            (!path.packages.length ? (path.replaced ? `, and the script sets PATH itself without it` : '') : path.replaced ? `, and the script sets PATH to ${packageList(path)} itself` : `, and the script adds only ${packageList(path)} to it`) +
            (s.shell.commands.every((x) => x.text !== cmd || x.orElse)
              ? `, so "${cmd}: command not found" and generator '${nameOf(g)}' goes on without what it does: the script handles its failure with ||.`
              : `, so generator '${nameOf(g)}' would fail with "${cmd}: command not found".`),
          // with PATH replaced, the package may be needed where the script sets it: the author decides
          fixes: attr && !path.replaced ? fix(`Add ${attr} to runtimeInputs`, addToList(target, 'runtimeInputs', attr)) : [],
        });
      }
    }
    return problems;
  },
};
