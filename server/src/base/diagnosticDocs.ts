// Where each diagnostic code is explained: its section in docs/diagnostics.md ("What clan does,
// and when each code is silent"), as a file: URI with a `#L<line>` fragment (VS Code opens the
// file at that line). The docs ship in the .vsix next to dist/; when running from sources they are
// in the repository. No docs found: no links.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

let links: Map<string, string> | undefined;
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

function load(): Map<string, string> {
  const out = new Map<string, string>();
  const found = diagnosticsDoc();
  if (found) {
    const { file: candidate, text } = found;
    const uri = pathToFileURL(candidate).href;
    const lines = text.split('\n');
    // a code's own heading first (`### \`code\``, or a heading naming several codes), else its table row
    lines.forEach((l, i) => {
      if (!l.startsWith('### ')) return;
      for (const m of l.matchAll(/`([a-z][a-z0-9-]*)`/g)) if (!out.has(m[1])) out.set(m[1], `${uri}#L${i + 1}`);
    });
    lines.forEach((l, i) => {
      const m = /^\| `([a-z][a-z0-9-]*)` \|/.exec(l);
      if (m && !out.has(m[1])) out.set(m[1], `${uri}#L${i + 1}`);
    });
  }
  return out;
}

/** The link to the explanation of `code`, or undefined when the docs are not there. */
export function docsLink(code: string): string | undefined {
  links ??= load();
  return links.get(code);
}
