// Per-file facts besides generators: `# clan-vars: ignore` comments, registry accessor calls with
// literal keys (`getPath { key = "x"; }`), and `import <file> { pkgs ...; }` calls.
import type { FlatNode as Node } from '../syntax/flatTree';
import type { IgnoreComment, ImportCall, SecretKeyUse } from './types';
import { applyParts, attrPath, bindingsOf, dottedName, inheritedNames, rangeOf, stringValue, unparen, walk } from '../syntax/syntax';
import { LineIndex } from '../base/lineIndex';

const IGNORE = /#\s*clan-vars:\s*ignore\b([^\n]*)/g;
const CODE = /^[a-z][a-z0-9-]*$/;

export function extractIgnoreComments(text: string): IgnoreComment[] {
  if (!text.includes('clan-vars:')) return [];
  const out: IgnoreComment[] = [];
  const lines = new LineIndex(text);
  for (const m of text.matchAll(IGNORE)) {
    const codes = m[1].split(/[\s,]+/).filter((c) => CODE.test(c));
    if (!codes.length) continue;
    out.push({ line: lines.lineAt(m.index!), codes });
  }
  return out;
}

export const ACCESSORS = new Set(['getPath', 'mkPasswordCmd', 'getVmPath']);

export function extractSecretKeyUses(root: Node, text: string): SecretKeyUse[] {
  if (!/getPath|mkPasswordCmd|getVmPath/.test(text)) return [];
  const out: SecretKeyUse[] = [];
  walk(root, (node) => {
    if (node.type !== 'apply_expression') return true;
    const fn = dottedName(node.childForFieldName('function'));
    const accessor = fn?.split('.').pop();
    if (!accessor || !ACCESSORS.has(accessor)) return true;
    const arg = unparen(node.childForFieldName('argument'));
    if (arg?.type !== 'attrset_expression') return true;
    for (const b of bindingsOf(arg)) {
      if (b.type !== 'binding') continue;
      const parts = attrPath(b.childForFieldName('attrpath'));
      const value = unparen(b.childForFieldName('expression'));
      if (parts.length !== 1 || parts[0].name !== 'key' || !value) continue;
      const key = stringValue(value);
      if (key !== null) out.push({ accessor, key, range: rangeOf(value) });
    }
    return true;
  });
  return out;
}

export function extractImportCalls(root: Node, text: string, resolvePath: (rel: string) => string): ImportCall[] {
  if (!text.includes('import')) return [];
  const out: ImportCall[] = [];
  const importerPure = declaresPkgsNull(root);
  // the applications that are the function of another (`import ./x` in `import ./x { }`): only the
  // outermost of a chain is a call. Told from above, since a node's parent is found by descending
  // from the root again (a chain of 6,000 arguments took 0.7 s per parse); the applications are
  // found in document order, outer before inner, without a JS object for every other node
  const inner = new Set<number>();
  for (const node of root.descendantsOfType('apply_expression')) {
    const callee = node.childForFieldName('function');
    if (callee?.type === 'apply_expression') inner.add(callee.id);
    if (inner.delete(node.id)) continue;
    const { fn, args } = applyParts(node);
    if (dottedName(fn) !== 'import' || args.length < 2) continue;
    const p = unparen(args[0]);
    const set = unparen(args[1]);
    if (p?.type !== 'path_expression' || p.namedChildren.some((c) => c.type === 'interpolation')) continue;
    if (set?.type !== 'attrset_expression') continue;
    let passesPkgs = false;
    let pkgsRange = null;
    for (const b of bindingsOf(set)) {
      if (b.type === 'inherit' || b.type === 'inherit_from') {
        if (inheritedNames(b).some((n) => n.name === 'pkgs')) {
          passesPkgs = true;
          pkgsRange = rangeOf(b);
        }
      } else if (b.type === 'binding') {
        const parts = attrPath(b.childForFieldName('attrpath'));
        const v = unparen(b.childForFieldName('expression'));
        if (parts.length === 1 && parts[0].name === 'pkgs' && v && v.text !== 'null') {
          passesPkgs = true;
          pkgsRange = rangeOf(b);
        }
      }
    }
    out.push({ target: resolvePath(p.text), passesPkgs, pkgsRange, range: rangeOf(node), importerPure });
  }
  return out;
}

/** Whether the file is a function whose arguments include `pkgs ? null`. */
function declaresPkgsNull(root: Node): boolean {
  const top = root.namedChildren.find((c) => c.type !== 'comment');
  if (top?.type !== 'function_expression') return false;
  const formals = top.childForFieldName('formals');
  for (const f of formals?.namedChildren ?? []) {
    if (f?.type !== 'formal' || f.childForFieldName('name')?.text !== 'pkgs') continue;
    return f.childForFieldName('default')?.text === 'null';
  }
  return false;
}
