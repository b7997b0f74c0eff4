// Starts the real VS Code workbench for the e2e tests: code-server (VS Code's server and web
// workbench) on 127.0.0.1 and Debian's chromium, headless, driven by playwright-core. Used by the
// stand-in VS Code executable (code-shim.js) and by the UI smoke test. Plain CommonJS, so the
// shim runs with bare `node`; types are in workbench.d.ts.
'use strict';
const cp = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const SETUP_HINT = 'run `bash test/e2e/setup.sh` first (see docs/testing.md)';

/** Where setup.sh put code-server, playwright-core and @vscode/test-electron. */
function toolsDir() {
  return process.env.CLAN_VARS_E2E_DIR || path.join(os.homedir(), '.cache', 'clan-vars-e2e');
}

/** Requires a package installed by setup.sh, with a clear message when it is not there. */
function requireTool(name) {
  const dir = path.join(toolsDir(), 'node_modules', name);
  if (!fs.existsSync(dir)) throw new Error(`e2e: ${name} is not installed in ${toolsDir()}: ${SETUP_HINT}`);
  return require(dir);
}

function chromiumPath() {
  const candidates = [process.env.CLAN_VARS_E2E_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`e2e: no chromium found (tried ${candidates.join(', ')}): ${SETUP_HINT}`);
  return found;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** User settings that keep the workbench quiet and deterministic. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'editor.stickyScroll.enabled': false,
  'editor.minimap.enabled': false,
};

/**
 * Starts code-server in its own process group, with its config and XDG folders under `stateDir`
 * (never ~/.config). Resolves when /healthz answers.
 */
async function startCodeServer({ userDataDir, extensionsDir, stateDir, onOutput, timeoutMs = 30000 }) {
  const entry = path.join(toolsDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`e2e: code-server is not installed in ${toolsDir()}: ${SETUP_HINT}`);
  const port = await freePort();
  for (const d of [userDataDir, extensionsDir, stateDir, path.join(userDataDir, 'User')]) fs.mkdirSync(d, { recursive: true });
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settingsFile)) fs.writeFileSync(settingsFile, JSON.stringify(USER_SETTINGS, null, 2));
  const config = path.join(stateDir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(stateDir, 'config'),
    XDG_DATA_HOME: path.join(stateDir, 'data'),
    XDG_CACHE_HOME: path.join(stateDir, 'cache'),
  };
  const args = [
    entry,
    '--config', config,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  const child = cp.spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  const collect = (chunk) => {
    const text = chunk.toString();
    tail.push(text);
    if (tail.length > 50) tail.shift();
    if (onOutput) onOutput(text);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`e2e: code-server exited (${JSON.stringify(exited)}) before it answered:\n${tail.join('')}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup(child);
      throw new Error(`e2e: code-server did not answer ${url}/healthz within ${timeoutMs} ms:\n${tail.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, url, child, output: () => tail.join(''), stop: () => killGroup(child) };
}

/** Ends a detached child and everything it started (its process group). */
function killGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve();
    }, 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid, 'SIGKILL'); // leftovers such as the extension host
      } catch {
        // group already empty
      }
      resolve();
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/**
 * Runs in the page before the workbench: newer workbenches honour the development payload only
 * with the smoke-test driver enabled, and code-server has no flag for it, so switch it on in the
 * configuration the page carries in <meta id="vscode-workbench-web-configuration" data-settings>.
 */
function enableSmokeTestDriver() {
  const patch = () => {
    const meta = document.getElementById('vscode-workbench-web-configuration');
    const raw = meta && meta.getAttribute('data-settings');
    if (!raw) return false;
    const config = JSON.parse(raw);
    config.developmentOptions = { ...(config.developmentOptions || {}), enableSmokeTestDriver: true };
    meta.setAttribute('data-settings', JSON.stringify(config));
    return true;
  };
  if (!patch()) document.addEventListener('readystatechange', patch, { once: true });
}

/** The workbench URL opening `folder`, with the extension-development payload. */
function workbenchUrl(base, port, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const query = new URLSearchParams();
  if (folder) query.set('folder', path.resolve(folder));
  if (payload.length) query.set('payload', JSON.stringify(payload));
  return `${base}/?${query}`;
}

/** Headless chromium with a throwaway profile; returns the context and its first page. */
/** `developmentPayload: false` for an installed extension: the smoke-test driver it needs also refuses modal dialogs. */
async function launchBrowser({ profileDir, viewport = { width: 1400, height: 900 }, developmentPayload = true }) {
  const { chromium } = requireTool('playwright-core');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--password-store=basic',
    ],
  });
  if (developmentPayload) await context.addInitScript(enableSmokeTestDriver);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

module.exports = { toolsDir, requireTool, chromiumPath, freePort, startCodeServer, killGroup, workbenchUrl, launchBrowser, SETUP_HINT };
