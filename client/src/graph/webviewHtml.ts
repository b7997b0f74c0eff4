// The dependency graph page: a fixed shell with a strict Content-Security-Policy. No workspace data
// is ever written into it; the graph arrives by postMessage. No vscode import, so tests can use it.
import * as crypto from 'node:crypto';

export interface PageResources {
  /** The webview's cspSource (where styles and scripts may come from). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

export function newNonce(): string {
  return crypto.randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, 'x');
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function webviewHtml(r: PageResources): string {
  const nonce = r.nonce ?? newNonce();
  const csp = `default-src 'none'; style-src ${r.cspSource}; img-src ${r.cspSource} data:; font-src ${r.cspSource}; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(r.styleUri)}">
<title>Clan Vars: Dependency Graph</title>
</head>
<body>
<script nonce="${nonce}" src="${attr(r.scriptUri)}"></script>
</body>
</html>
`;
}
