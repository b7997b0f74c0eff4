// The function a mutant sits in, by name: what an equivalent entry's `where` names, so that an entry
// written for one place never hides a survivor of the same text elsewhere in the file.
import ts from 'typescript';

const cache = new Map();

/** The name of a function-like node: `Class.method`, `name` of a declaration or of the variable or property holding it. */
function nameOf(node) {
  const own = node.name && ts.isIdentifier(node.name) ? node.name.text : node.name && ts.isStringLiteral(node.name) ? node.name.text : null;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node) || ts.isConstructorDeclaration(node) || ts.isPropertyDeclaration(node)) {
    const cls = node.parent && ts.isClassLike(node.parent) && node.parent.name ? node.parent.name.text : '(class)';
    return `${cls}.${ts.isConstructorDeclaration(node) ? 'constructor' : own}`;
  }
  if (own) return own;
  const p = node.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.name && ts.isIdentifier(p.name)) {
    if (ts.isPropertyDeclaration(p)) return nameOf(p);
    return p.name.text;
  }
  return null;
}

/**
 * The innermost named function (or class field) holding the line and column (from 1) of `source`:
 * an unnamed arrow function counts as the named one around it; `(module)` outside every function.
 */
export function enclosingFunction(file, source, line, column) {
  let sf = cache.get(file);
  if (!sf || sf.text !== source) cache.set(file, (sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true)));
  const pos = sf.getPositionOfLineAndCharacter(line - 1, column - 1);
  let found = '(module)';
  const visit = (node) => {
    if (pos < node.getStart(sf) || pos >= node.getEnd()) return;
    if (ts.isFunctionLike(node) || ts.isPropertyDeclaration(node)) {
      const name = nameOf(node);
      if (name) found = name;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Every name enclosingFunction can answer in `source`, `(module)` included. */
export function functionNames(file, source) {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const names = new Set(['(module)']);
  const visit = (node) => {
    if (ts.isFunctionLike(node) || ts.isPropertyDeclaration(node)) {
      const name = nameOf(node);
      if (name) names.add(name);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}
