// The names of facts services and sops-nix secrets as the migration reads them: written as they
// are, through let-bound strings (`let service = "wifi"; in ...services.${service}`, chains of such
// names, `+` and interpolations of them), or through the machine's name
// (`sops.secrets."${config.networking.hostName}-password-hash"`): one name per machine, which clan
// sets (networking.hostName defaults to the machine's name in clan). Anything else (a lambda's
// argument, `cfg.name`, a function's result) is a name only evaluation tells.
import type { FlatNode as Node } from '../syntax/flatTree';
import { attrPath, unparen } from '../syntax/syntax';
import { addSimpleBindings, type Scope } from './topLevel';
import type { PerMachineName } from './types';

/** A name the same on every machine, one made of the machine's name and literal text around it, or null (computed). */
export type LegacyName = { name: string; perMachine?: undefined } | { name?: undefined; perMachine: PerMachine } | null;

export type PerMachine = PerMachineName;

/** How a name through the machine's name is shown and kept: `<machine>-password-hash`. */
export const MACHINE_MARK = '<machine>';

/** The options that hold the machine's name in a clan machine's configuration. */
const MACHINE_NAME_PATHS = new Set(['networking.hostName', 'clan.core.settings.machine.name', 'clan.core.machineName', 'clanCore.machineName']);

const MACHINE = Symbol('machine');

/** The name a part of an attrpath (or any string expression) gives, resolved through `scope`. */
export function legacyName(node: Node | null, scope: Scope): LegacyName {
  const parts = pieces(node, scope, 0);
  if (!parts) return null;
  const machines = parts.filter((p) => p === MACHINE).length;
  const text = (from: number, to: number) => parts.slice(from, to).join('');
  if (machines === 0) return text(0, parts.length) ? { name: text(0, parts.length) } : null;
  if (machines > 1) return null;
  const at = parts.indexOf(MACHINE);
  return { perMachine: { before: text(0, at), after: text(at + 1, parts.length) } };
}

/** The name a per-machine name has on machine `m`. */
export function nameOn(p: PerMachine, machine: string): string {
  return `${p.before}${machine}${p.after}`;
}

/** How a per-machine name is shown and compared: `<machine>-password-hash`. */
export function perMachineName(p: PerMachine): string {
  return `${p.before}${MACHINE_MARK}${p.after}`;
}

function pieces(node: Node | null, scope: Scope, hops: number): (string | typeof MACHINE)[] | null {
  const n = unparen(node);
  if (!n || hops > 20) return null;
  switch (n.type) {
    case 'identifier':
      return [n.text];
    case 'interpolation':
      return pieces(n.namedChildren.find((c) => c.type !== 'comment') ?? null, scope, hops + 1);
    case 'variable_expression':
      return scope.has(n.text) ? pieces(scope.get(n.text)!, scope, hops + 1) : null;
    case 'select_expression': {
      const base = n.childForFieldName('expression');
      if (base?.type !== 'variable_expression' || base.text !== 'config' || n.childForFieldName('default')) return null;
      const names = attrPath(n.childForFieldName('attrpath')).map((p) => p.name);
      return names.every((x) => x !== null) && MACHINE_NAME_PATHS.has(names.join('.')) ? [MACHINE] : null;
    }
    case 'binary_expression': {
      if (n.childForFieldName('operator')?.text !== '+') return null;
      const left = pieces(n.childForFieldName('left'), scope, hops + 1);
      const right = left && pieces(n.childForFieldName('right'), scope, hops + 1);
      return left && right ? [...left, ...right] : null;
    }
    case 'string_expression':
    case 'indented_string_expression': {
      const out: (string | typeof MACHINE)[] = [];
      for (const c of n.namedChildren) {
        if (c.type === 'comment') continue;
        // a name is one line of plain text: escapes and indented strings' line breaks are left to evaluation
        if (c.type === 'string_fragment' && !c.text.includes('\n')) out.push(c.text);
        else if (c.type === 'interpolation') {
          const inner = pieces(c, scope, hops + 1);
          if (!inner) return null;
          out.push(...inner);
        } else return null;
      }
      return out;
    }
    default:
      return null;
  }
}

/** The let-bound names a node sees (every `let` around it, the innermost last), for a read found outside the walk that carries a scope. */
export function scopeAround(node: Node): Scope {
  const lets: Node[] = [];
  for (let p = node.parent, i = 0; p && i < 400; p = p.parent, i++) if (p.type === 'let_expression') lets.push(p);
  const scope: Scope = new Map();
  for (const l of lets.reverse()) addSimpleBindings(l, scope);
  return scope;
}
