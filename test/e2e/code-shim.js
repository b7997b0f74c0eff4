#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }).
// It accepts the command line runTests spawns,
//   --extensionDevelopmentPath=<dir> --extensionTestsPath=<file> --user-data-dir <dir>
//   --extensions-dir <dir> [folder] [other VS Code flags, ignored]
// and runs the same test in the real VS Code workbench and Node extension host: code-server on
// 127.0.0.1 plus headless chromium. The workbench reports the test run through
// window.codeAutomationLog / window.codeAutomationExit; the shim prints the log and exits with the
// test's exit code. Env: CLAN_VARS_E2E_TIMEOUT (seconds, default 240), CLAN_VARS_E2E_VERBOSE=1
// (code-server and browser console output), CLAN_VARS_E2E_DIR (tools, see setup.sh).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startCodeServer, launchBrowser, workbenchUrl } = require('./lib/workbench.js');

const VALUE_FLAGS = new Set(['--extensionDevelopmentPath', '--extensionTestsPath', '--user-data-dir', '--extensions-dir']);

function parseArgs(argv) {
  const opts = { extensionDevelopmentPath: [], folders: [], ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      opts.folders.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_FLAGS.has(name)) {
      opts.ignored.push(arg);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === '--extensionDevelopmentPath') opts.extensionDevelopmentPath.push(value);
    else if (name === '--extensionTestsPath') opts.extensionTestsPath = value;
    else if (name === '--user-data-dir') opts.userDataDir = value;
    else opts.extensionsDir = value;
  }
  return opts;
}

const log = (line) => process.stderr.write(`[code-shim] ${line}\n`);
/**
 * The workbench's own console (gallery lookups, sockets) comes through codeAutomationLog too. Until
 * the suite prints this marker, that output is held back, and shown only if the run fails before.
 */
const SUITE_STARTED = '[e2e:start]';

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.extensionDevelopmentPath.length !== 1) throw new Error('exactly one --extensionDevelopmentPath is supported');
  if (!opts.extensionTestsPath) throw new Error('--extensionTestsPath is required');
  if (opts.folders.length > 1) throw new Error(`only one folder can be opened, got ${opts.folders.join(', ')}`);
  if (opts.ignored.length) log(`ignoring ${opts.ignored.join(' ')}`);
  const timeoutSec = Number(process.env.CLAN_VARS_E2E_TIMEOUT || 240);
  const verbose = process.env.CLAN_VARS_E2E_VERBOSE === '1';

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-shim-'));
  const userDataDir = opts.userDataDir ?? path.join(scratch, 'user-data');
  const extensionsDir = opts.extensionsDir ?? path.join(scratch, 'extensions');
  const started = Date.now();
  let server;
  let browser;
  let settle;
  const finished = new Promise((resolve) => (settle = resolve));
  let waiting = false; // true once the workbench is loading and `finished` is awaited
  const timeoutWhy = `TIMEOUT: the extension tests did not finish within ${timeoutSec} s (set CLAN_VARS_E2E_TIMEOUT to change; CLAN_VARS_E2E_VERBOSE=1 shows the workbench's console)`;
  const timer = setTimeout(async () => {
    if (waiting) return settle({ code: 1, why: timeoutWhy });
    log(`${timeoutWhy} (hung while starting code-server or chromium)`);
    if (browser) await browser.context.close().catch(() => undefined);
    if (server) await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
    process.exit(1);
  }, timeoutSec * 1000);
  try {
    server = await startCodeServer({
      userDataDir,
      extensionsDir,
      stateDir: path.join(scratch, 'code-server'),
      onOutput: verbose ? (t) => process.stderr.write(`[code-server] ${t}`) : undefined,
    });
    log(`code-server on ${server.url} after ${Date.now() - started} ms`);

    server.child.on('exit', (code, signal) => settle({ code: 1, why: `code-server exited early (code ${code}, signal ${signal}):\n${server.output()}` }));

    browser = await launchBrowser({ profileDir: path.join(scratch, 'chromium') });
    const { page } = browser;
    const heldBack = [];
    let suiteStarted = verbose;
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      const line = text.endsWith('\n') ? text : `${text}\n`;
      if (!suiteStarted && text.includes(SUITE_STARTED)) suiteStarted = true;
      if (!suiteStarted) heldBack.push(line);
      else (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => settle({ code: Number(code) || 0 }));
    page.on('crash', () => settle({ code: 1, why: 'the workbench page crashed' }));
    browser.context.on('close', () => settle({ code: 1, why: 'the browser closed before the tests finished' }));
    if (verbose) page.on('console', (m) => process.stderr.write(`[browser ${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => process.stderr.write(`[browser pageerror] ${e.message}\n`));

    const url = workbenchUrl(server.url, server.port, {
      folder: opts.folders[0],
      extensionDevelopmentPath: opts.extensionDevelopmentPath[0],
      extensionTestsPath: opts.extensionTestsPath,
    });
    waiting = true;
    await Promise.race([page.goto(url), finished]);
    const result = await finished;
    if (!suiteStarted && heldBack.length) {
      log(`the suite never printed ${SUITE_STARTED}; the workbench's console until then:`);
      process.stderr.write(heldBack.join(''));
    }
    if (result.why) log(result.why);
    log(`tests finished with exit code ${result.code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result.code;
  } finally {
    clearTimeout(timer);
    if (browser) await browser.context.close().catch(() => undefined);
    if (server) await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(`FAILED: ${e && e.message ? e.message : e}`);
    process.exit(1);
  },
);
