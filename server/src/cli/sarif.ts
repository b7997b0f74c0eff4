// `clan-vars-lint --format sarif`: the findings as a SARIF 2.1.0 log, the format code-scanning
// services read. One run; a rule per diagnostic code of the registry (rules/index.ts CODES), its
// usual severity as its default level, described from docs/diagnostics.md (its meaning, and its
// section as help, in Markdown and as plain text); a result per finding, its location a relative
// URI under `SRCROOT` (the working folder, or the folder checked when it is outside it:
// format/findings.ts reportBase), lines and columns 1-based in UTF-16 code units as the LSP
// ranges are.
// No `informationUri`: the tool has no public page, and the docs' path on this machine is no
// address for the readers of a code-scanning service.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { codeDocs, plainText } from '../base/diagnosticDocs';
import { printable } from '../base/printable';
import { fullMessage, type Problem, type Severity } from '../base/types';
import { CODES } from '../rules';
import { relativePath } from './format/findings';
import { VERSION } from '../base/version';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** The log of `problems`, their files relative to `base` (format/findings.ts reportBase), which holds them all. */
export function sarifLog(problems: Problem[], base: string): object {
  const docs = codeDocs();
  const usual = new Map(CODES.map((c) => [c.code, c.severity]));
  const codes = [...new Set([...CODES.map((c) => c.code), ...problems.map((p) => p.code)])].sort();
  const rules = codes.map((id) => {
    // described where the docs' table has a row for the code
    const d = docs.get(id)?.severity != null ? docs.get(id)! : undefined;
    const meaning = (d && plain(d.meaning!)) || id;
    return {
      id,
      name: id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: firstSentence(meaning) },
      fullDescription: { text: meaning },
      ...(usual.has(id) ? { defaultConfiguration: { level: LEVEL[usual.get(id)!] } } : {}),
      ...(d?.section ? { help: { text: plainText(d.section), markdown: d.section } } : {}),
      ...(d ? { properties: { 'clan-vars-severity': plain(d.severity!) } } : {}),
    };
  });
  const index = new Map(codes.map((c, i) => [c, i]));
  const where = (file: string) => {
    const rel = relativePath(base, file);
    // base holds every folder checked, and findings are on their files: the absolute URI is a guard
    return rel ? { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' } : { uri: pathToFileURL(file).href };
  };
  const results = problems.map((problem) => ({
    ruleId: problem.code,
    ruleIndex: index.get(problem.code)!,
    level: LEVEL[problem.severity],
    message: { text: sarifText(fullMessage(problem)) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: where(problem.file),
          region: { startLine: problem.range.start.line + 1, startColumn: problem.range.start.character + 1, endLine: problem.range.end.line + 1, endColumn: problem.range.end.character + 1 },
        },
      },
    ],
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'clan-vars-lint', version: VERSION, semanticVersion: VERSION, rules } },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(base.endsWith(path.sep) ? base : base + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/**
 * A result's message as SARIF plain text (§3.11.6): printable (base/printable.ts), and with its
 * square brackets escaped, since a viewer reads `[text](target)` as an embedded link (GitHub's code
 * scanning does) and a name quoted in the message may hold one. A backslash before a bracket or a
 * backslash is escaped too, so that it cannot undo the escape that follows it.
 */
export function sarifText(text: string): string {
  return printable(text).replace(/\\(?=[\\[\]])|[[\]]/g, '\\$&');
}

/** A table cell as plain text: no code marks, bold or links. */
function plain(md: string): string {
  return md.replace(/`/g, '').replace(/\*\*/g, '').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').trim();
}

function firstSentence(text: string): string {
  const m = /^(.+?\.)(\s|$)/.exec(text);
  return (m ? m[1] : text).slice(0, 300);
}
