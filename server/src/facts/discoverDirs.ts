// Where a module tells clan-vars-helper (github:perstarkse/clan-vars-helper) to read generator
// declarations from: `my.secrets.discover.dir = ./vars/generators;`, written directly, nested
// (`my.secrets = { discover.dir = ...; }`), through lib.mkMerge lists and lib.mkDefault and the
// like. Each *.nix file of that folder holds generators (facts/generators.ts extractGeneratorSetFile).
import type { FlatNode as Node } from '../syntax/flatTree';
import { applyParts, attrPath, bindingsOf, MAX_DEPTH, rangeOf, unparen } from '../syntax/syntax';
import { wrapperName } from './generatorValues';
import type { DiscoverDir } from './types';

const OPTION = ['my', 'secrets', 'discover', 'dir'];

export function extractDiscoverDirs(root: Node, resolvePath: (rel: string) => string, text: string): DiscoverDir[] {
  if (!text.includes('discover')) return [];
  const out: DiscoverDir[] = [];
  const visit = (node: Node | null, path: string[], depth: number): void => {
    const n = unparen(node);
    if (!n || depth > MAX_DEPTH) return;
    if (n.type === 'source_code' || n.type === 'list_expression') {
      for (const c of n.namedChildren) if (c && c.type !== 'comment') visit(c, path, depth + 1);
    } else if (n.type === 'function_expression' || n.type === 'let_expression' || n.type === 'with_expression') {
      visit(n.childForFieldName('body'), path, depth + 1);
    } else if (n.type === 'if_expression') {
      visit(n.childForFieldName('consequence'), path, depth + 1);
      visit(n.childForFieldName('alternative'), path, depth + 1);
    } else if (n.type === 'apply_expression') {
      const { fn, args } = applyParts(n);
      if (wrapperName(fn) && args.length) visit(args[args.length - 1], path, depth + 1);
    } else if (n.type === 'attrset_expression' || n.type === 'rec_attrset_expression') {
      for (const b of bindingsOf(n)) {
        if (b.type !== 'binding') continue;
        let full = [...path, ...attrPath(b.childForFieldName('attrpath')).map((p) => p.name ?? '\0')];
        if (full[0] === 'config') full = full.slice(1);
        const value = b.childForFieldName('expression');
        if (full.length >= OPTION.length && OPTION.every((p, i) => full[full.length - OPTION.length + i] === p)) out.push(dirOf(value ?? b, resolvePath));
        else if (full.length < 8) visit(value, full, depth + 1);
      }
    }
  };
  visit(root, [], 0);
  return out;
}

/** The folder a value names: a path literal (through wrappers such as lib.mkDefault), else null (computed). */
function dirOf(node: Node, resolvePath: (rel: string) => string): DiscoverDir {
  let n = unparen(node);
  for (let i = 0; n?.type === 'apply_expression' && i < 4; i++) {
    const { fn, args } = applyParts(n);
    n = wrapperName(fn) && args.length ? unparen(args[args.length - 1]) : null;
  }
  const dir = n?.type === 'path_expression' && !n.text.includes('${') ? resolvePath(n.text) : null;
  return { dir, range: rangeOf(node) };
}
