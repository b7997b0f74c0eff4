// The graph's webview page (dist/webview.js and .css, the HTML the extension gives it) served on
// 127.0.0.1 and opened in headless Chromium (Debian's /usr/bin/chromium), with a stand-in of the
// webview API that keeps what the page sends in window.__sent. For the webview's tests and bench.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webviewHtml } from '../../client/src/graph/webviewHtml';
import { REPO_ROOT } from './tempClan';

export const CHROMIUM = '/usr/bin/chromium';

export interface WebviewPages {
  browser: Browser;
  /** A new page of the webview, loaded, and ready (it has sent its 'ready'). */
  open(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function webviewPages(): Promise<WebviewPages> {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/webview.js'))) throw new Error('dist/webview.js is missing: run npm run build');
  const server = http.createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const files: Record<string, [string, string]> = { '/webview.js': ['dist/webview.js', 'text/javascript'], '/webview.css': ['dist/webview.css', 'text/css'] };
    const f = files[req.url ?? ''];
    if (f) res.writeHead(200, { 'content-type': f[1] }).end(fs.readFileSync(path.join(REPO_ROOT, f[0])));
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(webviewHtml({ cspSource: origin, scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css` }));
    else res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  return {
    browser,
    async open(viewport = { width: 1280, height: 800 }) {
      const page = await browser.newPage({ viewport });
      // A string, not a function: tsx would compile a function with helpers the page does not have.
      await page.addInitScript(`
        window.__sent = [];
        window.alert = () => { window.__alerted = true; };
        window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__sent.push(m), getState: () => undefined, setState: () => {} });
      `);
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => (window as unknown as { __sent: { type: string }[] }).__sent.some((m) => m.type === 'ready'));
      return page;
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}
