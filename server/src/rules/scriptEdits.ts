// Text edits the script rules offer: add a binding to a generator, an element to a list option.
import { bindingInsertion } from '../facts/editRanges';
import type { Fix, TextEdit } from '../base/types';
import type { Generator } from '../facts/types';
import { optionAt } from '../facts/options';

/** Adds `binding` to the generator's own attrset; null when the generator has none (declared by dotted paths only). */
export function addBinding(g: Generator, binding: string): TextEdit | null {
  if (!g.insertAt) return null;
  return { file: g.file, range: { start: g.insertAt.position, end: g.insertAt.position }, newText: bindingInsertion(g.insertAt, binding) };
}

/** Adds `element` to the list option `name` (`dependencies`, `runtimeInputs`), or adds the option. */
export function addToList(g: Generator, name: string, element: string): TextEdit | null {
  const o = optionAt(g, name);
  if (!o) return addBinding(g, `${name} = [ ${element} ];`);
  // a list's text is cut at 200 characters for display (…), but its range is the whole list: the edit goes before its `]`;
  // a value whose every element the syntax knows (`with pkgs; [ … ]`, `a ++ [ … ]`, `let … in [ … ]`) and whose text ends
  // with `]` ends with its last list: an element added there is one of the whole (a cut text ends with …: no edit)
  if (o.kind !== 'list_expression' && !(o.elements !== undefined && o.text.endsWith(']'))) return null;
  const close = { line: o.valueRange.end.line, character: o.valueRange.end.character - 1 };
  return { file: g.file, range: { start: close, end: close }, newText: `${element} ` };
}

export function fix(title: string, edit: TextEdit | null, safe = false): Fix[] {
  return edit ? [{ title, edits: [edit], safe }] : [];
}
