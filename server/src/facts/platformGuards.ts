// Where a generator's settings apply by platform: an option under a platform test (`lib.mkIf
// pkgs.stdenv.isLinux`, `if isDarwin then ... else ...`, `lib.optionals isLinux [...]`), and a
// generator written in a module of one class (a clan service's `nixosModule` / `darwinModule`,
// `flake.nixosModules.x`, `flake.modules.darwin.x`), which clan gives only machines of that class.
import type { FlatNode as Node } from '../syntax/flatTree';
import type { Range } from '../base/types';
import { applyParts, attrPath, dottedName } from '../syntax/syntax';
import type { Generator, ModuleClass } from './types';

const PLATFORM_TEST = /\b(isDarwin|isLinux|hostPlatform|buildPlatform|isNixOS|darwinConfigurations)\b|stdenv\.is/;
/** Functions whose arguments before the last decide whether the last applies (`lib.mkIf cond value`, `lib.optionals cond list`). */
const CONDITIONAL = new Set(['mkIf', 'optionalAttrs', 'optional', 'optionals', 'optionalString']);
const CLASS_OF: Record<string, ModuleClass> = { nixosModule: 'nixos', nixosModules: 'nixos', darwinModule: 'darwin', darwinModules: 'darwin' };

/** Marks the options that sit under a platform test, and the class of module each generator is written in. */
export function markPlatforms(root: Node, text: string, generators: Generator[]): void {
  if (!PLATFORM_TEST.test(text) && !/(nixos|darwin)Modules?\b|modules\s*\.\s*(nixos|darwin)\b/.test(text)) return;
  for (const g of generators) {
    // of one class only when every place the file writes it is (`nixosModule` and `darwinModule` may both declare it)
    const classes = [g.name, ...(g.aliases ?? [])].map((ref) => {
      const at = nodeAt(root, ref.range);
      return at && moduleClass(at);
    });
    if (classes[0] && classes.every((c) => c === classes[0])) g.moduleClass = classes[0];
    if (!PLATFORM_TEST.test(text)) continue;
    for (const o of g.options) {
      const guarded = [o.valueRange, o.keyRange].some((r) => {
        const n = nodeAt(root, r);
        return !!n && (PLATFORM_TEST.test(n.text) || underPlatformTest(n));
      });
      if (guarded) o.platformGuarded = true;
    }
  }
}

function nodeAt(root: Node, r: Range): Node | null {
  return root.descendantForPosition({ row: r.start.line, column: r.start.character }, { row: r.end.line, column: r.end.character });
}

/**
 * Whether an `if` or a conditional function around `n` keeps it from darwin machines: its condition
 * holds only off darwin (`isLinux`, `!isDarwin`) and `n` is what applies then, or the other way
 * round for an `else` branch. A platform test whose direction cannot be told keeps it too.
 */
function underPlatformTest(n: Node): boolean {
  for (let child = n, a = n.parent, i = 0; a && i < 200; child = a, a = a.parent, i++) {
    if (a.type === 'if_expression') {
      const condition = a.childForFieldName('condition');
      if (!condition || condition.id === child.id || !PLATFORM_TEST.test(condition.text)) continue;
      const off = offDarwin(condition.text);
      const inElse = a.childForFieldName('alternative')?.id === child.id;
      if (off === null || off !== inElse) return true;
    } else if (a.type === 'apply_expression') {
      const { fn, args } = applyParts(a);
      const last = dottedName(fn)?.split('.').pop();
      const conditions = args.slice(0, -1).filter((c) => PLATFORM_TEST.test(c.text));
      if (last && CONDITIONAL.has(last) && args[args.length - 1]?.id === child.id && conditions.some((c) => offDarwin(c.text) !== false)) return true;
    }
  }
  return false;
}

/** A platform test that holds only off darwin (true), only on darwin (false), or either (null). */
function offDarwin(condition: string): boolean | null {
  const t = condition.replace(/\s+/g, '');
  if (/^\(?!\(?[\w.]*isDarwin\)?\)?$/.test(t) || /^\(?[\w.]*is(Linux|NixOS)\)?$/.test(t)) return true;
  if (/^\(?[\w.]*isDarwin\)?$/.test(t) || /^\(?![\w.]*is(Linux|NixOS)\)?$/.test(t)) return false;
  return null;
}

/** The class of the innermost module output around `n` (`nixosModule = { ... }`, `flake.modules.darwin.x = ...`). */
function moduleClass(n: Node): ModuleClass | null {
  for (let a = n.parent, i = 0; a && i < 200; a = a.parent, i++) {
    if (a.type !== 'binding') continue;
    const names = attrPath(a.childForFieldName('attrpath')).map((p) => p.name);
    for (let k = names.length - 1; k >= 0; k--) {
      const name = names[k];
      if (name && CLASS_OF[name]) return CLASS_OF[name];
      if (name === 'modules' && (names[k + 1] === 'nixos' || names[k + 1] === 'darwin')) return names[k + 1] as ModuleClass;
    }
  }
  return null;
}
