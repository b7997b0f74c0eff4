// `clan-vars-lint --format sarif`: the findings as a SARIF 2.1.0 log, the format code-scanning
// services read. One run; a rule per diagnostic code, described from docs/diagnostics.md (its
// meaning, and its section as help); a result per finding, its location relative to the folder
// checked (`SRCROOT`), lines and columns 1-based in UTF-16 code units as the LSP ranges are.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { diagnosticsDoc } from '../base/diagnosticDocs';
import { fullMessage, type Problem, type Severity } from '../base/types';
import { RULES } from '../rules';
import { VERSION } from '../base/version';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

interface RuleDoc {
  meaning: string;
  severity: string;
  section: string;
}

/** What docs/diagnostics.md (shipped beside the bundle) says of each code: its table row (meaning, severity) and its `### code` section. */
function ruleDocs(): { docs: Map<string, RuleDoc>; file: string | null } {
  const out = new Map<string, RuleDoc>();
  const doc = diagnosticsDoc();
  if (!doc) return { docs: out, file: null };
  const plain = (md: string) => md.replace(/`/g, '').replace(/\*\*/g, '').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').trim();
  const sections = new Map<string, string>();
  for (const part of doc.text.split(/^### /m).slice(1)) {
    const [heading, ...body] = part.split('\n');
    for (const m of heading.matchAll(/`([a-z][a-z0-9-]*)`/g)) if (!sections.has(m[1])) sections.set(m[1], body.join('\n').trim().split(/^#{1,2} /m)[0].trim());
  }
  for (const line of doc.text.split('\n')) {
    const m = /^\| `([a-z][a-z0-9-]*)` \| ([^|]*) \| ([^|]*) \|/.exec(line);
    if (m && !out.has(m[1])) out.set(m[1], { severity: plain(m[2]), meaning: plain(m[3]), section: sections.get(m[1]) ?? '' });
  }
  return { docs: out, file: doc.file };
}

/** The log of `problems`, their files relative to `base` (the working folder) where they are under it. */
export function sarifLog(problems: Problem[], base: string): object {
  const { docs, file: docsFile } = ruleDocs();
  const codes = [...new Set([...RULES.map((r) => r.code), ...problems.map((p) => p.code)])].sort();
  const rules = codes.map((id) => {
    const d = docs.get(id);
    const meaning = d?.meaning || id;
    return {
      id,
      name: id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: firstSentence(meaning) },
      fullDescription: { text: meaning },
      ...(d?.section ? { help: { text: d.section.replace(/`/g, ''), markdown: d.section } } : {}),
      ...(d ? { properties: { 'clan-vars-severity': d.severity } } : {}),
    };
  });
  const index = new Map(codes.map((c, i) => [c, i]));
  const where = (file: string) => {
    const rel = path.relative(base, file);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' } : { uri: pathToFileURL(file).href };
  };
  const results = problems.map((problem) => ({
    ruleId: problem.code,
    ruleIndex: index.get(problem.code)!,
    level: LEVEL[problem.severity],
    message: { text: fullMessage(problem) },
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
        // the tool's page: its diagnostics reference as installed (there is no published site)
        tool: { driver: { name: 'clan-vars-lint', version: VERSION, semanticVersion: VERSION, ...(docsFile ? { informationUri: pathToFileURL(docsFile).href } : {}), rules } },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(base + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function firstSentence(text: string): string {
  const m = /^(.+?\.)(\s|$)/.exec(text);
  return (m ? m[1] : text).slice(0, 300);
}
