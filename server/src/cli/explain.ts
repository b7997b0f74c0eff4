// `clan-vars-lint --explain CODE`: what a code means, what clan does, when the code is silent and
// its example, from docs/diagnostics.md (its table row and its section) as plain text wrapped to
// the width; its group and usual severity from the registry.
import { closestName } from '../base/closestName';
import { codeDocs, plainText } from '../base/diagnosticDocs';
import { CODES } from '../rules';
import { wrapWords } from './format/wrap';
import { UsageError } from './options';

/** The explanation of `code`, as lines; a UsageError for a code that does not exist. */
export function explainCode(code: string, width: number): string[] {
  const info = CODES.find((c) => c.code === code);
  if (!info) {
    const near = closestName(code, CODES.map((c) => c.code));
    throw new UsageError(`--explain ${code}: no such diagnostic code${near ? `; did you mean '${near}'?` : ''}`);
  }
  const doc = codeDocs().get(code);
  const lines = [...wrap(`${code} (${doc?.severity ? plainText(doc.severity) : info.severity}; ${plainText(info.group)})`, width), ''];
  if (!doc?.meaning && !doc?.section) return [...lines, 'docs/diagnostics.md, which explains the codes, is not installed with this copy of clan-vars-lint.'];
  if (doc.meaning) lines.push(...wrap(plainText(doc.meaning), width), '');
  if (doc.section) lines.push(...wrap(plainText(doc.section), width));
  return lines;
}

/** Lines of prose wrapped to the width, a bullet's lines under its text; code (indented four) as it is. */
function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((line) => {
    if (line.startsWith('    ') || line.length <= width) return [line];
    const indent = /^(\s*(?:- )?)/.exec(line)![1];
    const pad = ' '.repeat(indent.length);
    const [first, ...rest] = wrapWords(line.slice(indent.length), width - indent.length, width - indent.length);
    return [indent + first, ...rest.map((l) => pad + l)];
  });
}
