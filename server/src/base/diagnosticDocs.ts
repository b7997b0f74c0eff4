// Where each diagnostic code is explained: its section in docs/diagnostics.md ("What clan does,
// and when each code is silent"), as a file: URI with a `#L<line>` fragment (VS Code opens the
// file at that line). The docs ship in the .vsix next to dist/; when running from sources they are
// in the repository. No docs found: no links.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

let doc: { file: string; text: string } | null | undefined;

/** docs/diagnostics.md as installed (beside the bundle's folder) or in the repository; null when absent. Read once. */
export function diagnosticsDoc(): { file: string; text: string } | null {
  if (doc !== undefined) return doc;
  doc = null;
  for (const candidate of [path.join(__dirname, '..', 'docs', 'diagnostics.md'), path.join(__dirname, '..', '..', '..', 'docs', 'diagnostics.md')]) {
    try {
      doc = { file: candidate, text: fs.readFileSync(candidate, 'utf8') };
      break;
    } catch {
      continue;
    }
  }
  return doc;
}

/**
 * What docs/diagnostics.md says of one code: the line that explains it (1-based: the first `### `
 * heading naming it, else its table row), its table row's severity and meaning, and the text of
 * that heading's section (up to the next heading of level 1 to 3).
 */
export interface CodeDoc {
  line: number;
  severity: string | null;
  meaning: string | null;
  section: string | null;
}

let codes: Map<string, CodeDoc> | undefined;

/** The codes a `### ` heading of the docs names (`### \`a\`, \`b\``); null when the line is no such heading. */
export function headingCodes(line: string): string[] | null {
  return line.startsWith('### ') ? [...line.matchAll(/`([a-z][a-z0-9-]*)`/g)].map((m) => m[1]) : null;
}

/**
 * An example's label: `**Example.**`, or in a section of several codes `**Example (\`code\`).**`
 * (prose may follow). The code it names (null: the section's own), or undefined when the line is no label.
 */
export function exampleCode(line: string): string | null | undefined {
  const label = /^\*\*Example(?: \(`([a-z][a-z0-9-]*)`\))?\.\*\*(?: |$)/.exec(line);
  return label ? (label[1] ?? null) : undefined;
}

/** Every code docs/diagnostics.md explains (none when the docs are not there). Read once. */
export function codeDocs(): Map<string, CodeDoc> {
  if (codes) return codes;
  codes = new Map();
  const lines = diagnosticsDoc()?.text.split('\n') ?? [];
  const heading = new Map<string, number>();
  const row = new Map<string, number>();
  const entry = (code: string): CodeDoc => codes!.get(code) ?? codes!.set(code, { line: 0, severity: null, meaning: null, section: null }).get(code)!;
  lines.forEach((l, i) => {
    const named = headingCodes(l);
    if (named) {
      let end = i + 1;
      // up to the next heading; a `# path` line inside a fenced example is no heading
      for (let fenced = false; end < lines.length && (fenced || !/^#{1,3} /.test(lines[end])); end++) if (lines[end].startsWith('```')) fenced = !fenced;
      for (const code of named) {
        if (heading.has(code)) continue;
        heading.set(code, i + 1);
        entry(code).section = ownPart(lines.slice(i + 1, end), code).join('\n').trim();
      }
      return;
    }
    const code = /^\| `([a-z][a-z0-9-]*)` \|/.exec(l)?.[1];
    if (!code) return;
    if (!row.has(code)) row.set(code, i + 1);
    const cells = /^\| `[a-z][a-z0-9-]*` \| ([^|]*) \| ([^|]*) \|/.exec(l);
    const e = entry(code);
    if (cells && e.severity === null) [e.severity, e.meaning] = [cells[1], cells[2]];
  });
  for (const [code, e] of codes) e.line = heading.get(code) ?? row.get(code)!;
  return codes;
}

/** A section's lines without the examples of its other codes (`**Example (`other`).**` up to the next example). */
function ownPart(lines: string[], code: string): string[] {
  let keep = true;
  return lines.filter((l) => {
    const label = exampleCode(l);
    if (label !== undefined) keep = label === null || label === code;
    return keep;
  });
}

/** The link to the explanation of `code`, or undefined when the docs are not there. */
export function docsLink(code: string): string | undefined {
  const found = diagnosticsDoc();
  const line = codeDocs().get(code)?.line;
  return found && line ? `${pathToFileURL(found.file).href}#L${line}` : undefined;
}

/**
 * Markdown of the docs as plain text, for the SARIF help's `text` and `clan-vars-lint --explain`:
 * a fenced block's lines indented by four spaces without its fences, and no code marks, emphasis,
 * link syntax (a link is its text; an address, its text and the address) or entities.
 */
export function plainText(markdown: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^(\s*)(`{3,})/.exec(line);
    if (marker && (fence === null || marker[2].length >= fence.length)) {
      fence = fence === null ? marker[2] : null;
      continue;
    }
    out.push(fence !== null ? `    ${line}` : plainLine(line));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function plainLine(line: string): string {
  // code spans are taken as they are; emphasis, links and entities are read outside them
  return line
    .split(/(`+[^`]*?`+)/)
    .map((part, i) =>
      i % 2 === 1
        ? part.replace(/^`+ ?|\s?`+$/g, '')
        : part
            .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '$1 ($2)')
            .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
            .replace(/\*\*([^*]+)\*\*/g, '$1')
            .replace(/(^|[\s(])\*([^*\s][^*]*?)\*(?=[\s.,;:)]|$)/g, '$1$2')
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&amp;/g, '&'),
    )
    .join('');
}
