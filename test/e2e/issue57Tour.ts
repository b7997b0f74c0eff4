// Screenshots of issue 57's scenes for any build of the extension, asserting nothing: a tool for
// the before/after pairs, not an e2e stage. It drives the same steps as the UI tests, on
// copies of Mic92's clan and clan-infra's (../shared/corpus) and of the fixture clan, in the real
// workbench (code-server + headless chromium) with the extension installed (not under development:
// the development payload's smoke-test driver refuses modal dialogs, such as a save prompt), and
// saves <out>/<item>-<scene>.png. A step that fails leaves FAILED-<scene>.png and the tour goes on;
// an older build may lack what a step looks for (data-settled, a button), which then only waits.
//   CLAN_VARS_TOUR_EXTENSION=<a checkout with dist/ built> (default: this one)
//   CLAN_VARS_TOUR_OUT=<folder> (default: test-output/issue57-tour)
//   CLAN_VARS_TOUR_ONLY=mic92,clan-infra,fixture (default: all three, in this order)
// Run: node --import tsx test/e2e/issue57Tour.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OUTPUT_DIR, REPO_ROOT } from './lib/extensionUnderTest';
import { firstDiagnosticsSteps, TIMELINE_SCRIPT } from './lib/firstDiagnostics';
import { focusWorkbench, untilLaidOut } from './lib/settled';
import { pickTheme } from './lib/themes';
import { launchBrowser, startCodeServer, workbenchUrl } from './lib/workbench.js';

const EXTENSION = path.resolve(process.env.CLAN_VARS_TOUR_EXTENSION ?? REPO_ROOT);
const OUT = path.resolve(process.env.CLAN_VARS_TOUR_OUT ?? path.join(path.dirname(OUTPUT_DIR), 'issue57-tour'));
const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
const WAIT = 30_000;

let page: any;
let scratch = '';
let serverBase = '';
let serverPort = 0;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`  ${name}.png`);
}

/** Runs a step; a failure leaves FAILED-<name>.png and its message, and the tour goes on. */
async function step(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    console.log(`  FAILED ${name}: ${(e as Error).message.split('\n')[0]}`);
    await page.screenshot({ path: path.join(OUT, `FAILED-${name}.png`) }).catch(() => undefined);
  }
}

const visible = (locator: any, timeout = WAIT) => locator.first().waitFor({ state: 'visible', timeout });
const expectVisible = async (locator: any) => visible(locator);

async function runCommand(title: string): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  await visible(page.locator('.quick-input-widget input'));
  await page.keyboard.type(title);
  await visible(page.locator('.quick-input-widget .monaco-list-row', { hasText: title }));
  await page.keyboard.press('Enter');
}

async function quickOpen(name: string): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('Control+p');
  await page.keyboard.type(name);
  // a row shows the file's name, then its folder
  await visible(page.locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(name) }));
  await page.keyboard.press('Enter');
}

/** Opens `folder` in the workbench and waits until Clan Vars says ready; prints where the time went. */
async function openFolder(folder: string, label: string): Promise<void> {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(workbenchUrl(serverBase, serverPort, { folder }));
  await visible(page.locator('.monaco-workbench'));
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.statusbar-item')).some((e) => /Clan Vars: ready/.test(e.getAttribute('aria-label') ?? e.querySelector('[aria-label]')?.getAttribute('aria-label') ?? '')), undefined, { timeout: 90_000 });
  console.log(`  ${label}: after the page's load: ${await firstDiagnosticsSteps(page, path.join(scratch, 'user-data', 'logs'), WAIT)}`);
  // the theme the observations were made in, whatever the last scene left
  await step(`theme-${path.basename(folder)}`, () => pickTheme(page, 'Dark Modern', expectVisible));
}

/** The graph alone, for a closer look: the element in the workbench of the webview whose page is `frame`. */
async function shotGraph(frame: any, name: string): Promise<void> {
  let outer = frame;
  while (outer.parentFrame() && outer.parentFrame() !== page.mainFrame()) outer = outer.parentFrame();
  const box = await (await outer.frameElement()).boundingBox();
  if (!box) throw new Error('the graph is not on screen');
  await page.screenshot({ path: path.join(OUT, `${name}.png`), clip: box });
  console.log(`  ${name}.png`);
}

/** The graph's frame once it has drawn nodes. */
async function graphFrame(): Promise<any> {
  const deadline = Date.now() + WAIT;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) if (await frame.evaluate(() => document.querySelectorAll('svg.graph g.node').length > 0).catch(() => false)) return frame;
    await page.waitForTimeout(200);
  }
  throw new Error('no graph with nodes');
}

/** flake.nix in an editor, the Problems panel open, the graph beside with `select` (a name, or the first error node) selected and its details shown. */
async function graphBeside(select: string | null): Promise<any> {
  await quickOpen('flake.nix');
  await visible(page.locator('.editor-instance .view-lines'));
  await page.locator('.editor-instance .view-lines').first().click();
  await page.keyboard.press('Control+Shift+M');
  await visible(page.locator('.markers-panel'));
  await runCommand('Clan Vars: Show Dependency Graph');
  const frame = await graphFrame();
  await frame.waitForFunction(() => document.querySelector('g.node.node--error, g.node.node--warning') !== null, undefined, { timeout: WAIT }).catch(() => undefined);
  const name = select ?? (await frame.evaluate(() => (document.querySelector('g.node.node--error title')?.textContent ?? '').split('\n')[0]));
  const isSelected = (n: string) => (document.querySelector('g.node.node--selected title')?.textContent ?? '').split('\n')[0] === n;
  await frame.locator('input[type=search]').fill(name);
  for (let i = 0; i < 5 && !(await frame.evaluate(isSelected, name)); i++) {
    await frame.locator('input[type=search]').press('Enter');
    await frame.waitForFunction(() => document.querySelector('g.node.node--selected') !== null, undefined, { timeout: 5_000 }).catch(() => undefined);
  }
  await frame.locator('input[type=search]').fill('');
  const details = frame.locator('.toolbar button.details-toggle');
  if ((await details.count()) && (await details.getAttribute('aria-pressed')) !== 'true') await details.click();
  await laidOut(frame);
  return frame;
}

/** The graph laid out for its size (builds without data-settled: a pause instead). */
async function laidOut(frame: any): Promise<void> {
  const hasHook = await frame.evaluate(() => 'clanVarsPosted' in window).catch(() => false);
  if (hasHook) await untilLaidOut(page, frame, WAIT);
  else await page.waitForTimeout(1500);
}

async function mic92(): Promise<void> {
  const folder = path.join(scratch, 'mic92');
  await openFolder(folder, "Mic92's clan");
  await step('09-first-diagnostics', async () => {
    await page.keyboard.press('Control+Shift+M');
    await visible(page.locator('.markers-panel .monaco-list-row'));
    await shot('09-first-diagnostics');
    await page.keyboard.press('Control+Shift+M');
  });
  await step('04-vars-view', async () => {
    const header = page.locator('.pane-header', { hasText: /^Clan Vars/i });
    await visible(header);
    if ((await header.first().getAttribute('aria-expanded')) !== 'true') await header.first().click();
    await page.locator('.pane-header', { hasText: /^mic92$/i }).first().click();
    const view = page.locator('.pane', { has: header });
    const machine = view.locator('.monaco-list-row[aria-expanded=false]').first();
    await visible(machine);
    await machine.locator('.monaco-tl-twistie').click();
    await page.mouse.move(700, 300);
    await page.waitForTimeout(500);
    await shot('04-vars-view');
  });
  await step('04-machine-picker', async () => {
    await runCommand('Clan Vars: Generate Missing Vars');
    await visible(page.locator('.quick-input-widget .monaco-list-row').nth(1));
    await shot('04-machine-picker');
    await page.keyboard.press('Escape');
  });
  await step('07-explain-picker', async () => {
    await runCommand('Clan Vars: Explain a Diagnostic Code');
    await visible(page.locator('.quick-input-widget .monaco-list-row').nth(1));
    await shot('07-explain-picker');
    await page.keyboard.press('Escape');
  });
  await step('07-generator-hover', () => generatorHover());
  await step('07-completion', () => completion());
  let frame: any;
  await step('02-legend', async () => {
    frame = await graphBeside(null);
    await shot('02-legend-03-overview-mic92-1600');
    await shotGraph(frame, '02-legend-graph');
  });
  await step('08-export', async () => {
    await frame.locator('select[aria-label=Export]').selectOption('svg:file');
    await visible(page.locator('.quick-input-widget input'), 10_000).catch(() => undefined);
    await shot('08-export-dialog');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(2000);
    await shot('08-export-done');
    await page.keyboard.press('Escape');
  });
  await step('01-hc-error-nodes', async () => {
    await pickTheme(page, 'Dark High Contrast', expectVisible);
    await laidOut(frame);
    await page.waitForTimeout(500);
    await shot('01-hc-error-nodes');
    await shotGraph(frame, '01-hc-error-nodes-graph');
    await pickTheme(page, 'Dark Modern', expectVisible);
  });
}

/** Where the name authelia is on screen in its declaration's line, or null. */
function autheliaOnScreen(): Promise<{ x: number; y: number } | null> {
  return page.evaluate(() => {
    for (const span of Array.from(document.querySelectorAll('.editor-instance .view-line span span'))) {
      if (!(span.closest('.view-line')?.textContent ?? '').replace(/\u00a0/g, ' ').includes('vars.generators.authelia = {')) continue;
      const t = span.textContent ?? '';
      const i = t.indexOf('authelia');
      if (i < 0) continue;
      const r = span.getBoundingClientRect();
      return { x: r.left + (r.width * (i + 4)) / t.length, y: r.top + r.height / 2 };
    }
    return null;
  });
}

/** Hovers the generator authelia's declaration in Mic92's nixosModules/authelia/default.nix. */
async function generatorHover(): Promise<void> {
  await quickOpen('nixosModules/authelia/default.nix');
  await visible(page.locator('.editor-instance .view-lines', { hasText: 'generators.authelia' }));
  // a code lens drawn above the line moves it: the name found again until the hover shows
  const hover = page.locator('.monaco-hover', { hasText: 'authelia' });
  for (let i = 0; i < 6 && !(await hover.first().isVisible()); i++) {
    const box = await autheliaOnScreen();
    if (!box) throw new Error('the declaration of authelia is not on screen');
    await page.mouse.move(5, 500);
    await page.mouse.move(box.x, box.y);
    await visible(hover, 5_000).catch(() => undefined);
  }
  await visible(hover, 1_000);
  await page.waitForTimeout(600);
  await shot('07-generator-hover');
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 500);
}

/** Completion of a dependency's name inside authelia's generator, in the editor the hover left (the line typed is deleted again). */
async function completion(): Promise<void> {
  const line = page.locator('.editor-instance .view-line', { hasText: 'vars.generators.authelia = {' }).first();
  await line.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('dependencies = [ "');
  await page.keyboard.press('Control+Space');
  await visible(page.locator('.suggest-widget .monaco-list-row'));
  await page.waitForTimeout(600);
  await shot('07-completion');
  await page.keyboard.press('Escape');
  // the line deleted and the file saved as it was: a syntax error left there would show in the graph
  await page.keyboard.press('Control+Shift+K');
  await page.keyboard.press('Control+s');
  await page.waitForFunction(() => !Array.from(document.querySelectorAll('.editor-instance .view-line')).some((l) => (l.textContent ?? '').includes('dependencies')), undefined, { timeout: 5_000 });
}

async function clanInfra(): Promise<void> {
  await openFolder(path.join(scratch, 'clan-infra'), "clan-infra's clan");
  await step('03-overview-clan-infra', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const frame = await graphBeside('nextcloud');
    await laidOut(frame);
    await shot('03-overview-clan-infra-1280');
    await shotGraph(frame, '03-overview-clan-infra-1280-graph');
    await shot('07-problems-1280');
    await page.setViewportSize({ width: 1600, height: 1000 });
  });
  await step('06-migration-report', async () => {
    await runCommand('Clan Vars: Show Migration Report');
    await visible(page.locator('.tabs-container .tab', { hasText: /Migration|Untitled|report/i }), 15_000).catch(() => undefined);
    await page.waitForTimeout(2000);
    await shot('06-migration-report');
    await page.keyboard.press('Control+w');
    await page.waitForTimeout(1000);
    await shot('06-migration-report-closed');
    const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: /Don't Save/ });
    if (await dontSave.count()) await dontSave.first().click();
  });
}

async function fixture(): Promise<void> {
  await openFolder(path.join(scratch, 'fixture'), 'the fixture clan');
  await step('05-fetch-failed', async () => {
    await runCommand('Clan Vars: Fetch Flake Inputs');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /fail/i }).first();
    await toast.waitFor({ state: 'visible', timeout: 120_000 });
    await page.waitForTimeout(500);
    await shot('05-fetch-failed');
    // dismissed by its close button, as a person would
    await toast.hover();
    await toast.locator('.codicon-notifications-clear, .codicon-close').first().click();
    await page.waitForTimeout(1000);
    await page.locator('.statusbar-item', { hasText: 'Clan Vars' }).first().hover();
    await page.waitForTimeout(1000);
    await shot('05-status-after-dismissed');
  });
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(EXTENSION, 'dist', 'server.js'))) throw new Error(`no build in ${EXTENSION}: run node scripts/build.mjs there`);
  fs.mkdirSync(OUT, { recursive: true });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-tour-'));
  fs.cpSync(path.join(CORPUS, 'Mic92+dotfiles'), path.join(scratch, 'mic92'), { recursive: true, verbatimSymlinks: true });
  fs.cpSync(path.join(CORPUS, 'clan-lol+clan-infra'), path.join(scratch, 'clan-infra'), { recursive: true, verbatimSymlinks: true });
  fs.cpSync(path.join(__dirname, 'fixtures', 'clan'), path.join(scratch, 'fixture'), { recursive: true });
  const extensionsDir = path.join(scratch, 'extensions');
  fs.mkdirSync(extensionsDir);
  fs.symlinkSync(EXTENSION, path.join(extensionsDir, 'clan-vars.clan-vars-0.1.0'));
  const server = await startCodeServer({ userDataDir: path.join(scratch, 'user-data'), extensionsDir, stateDir: path.join(scratch, 'code-server') });
  serverBase = server.url;
  serverPort = server.port;
  const browser = await launchBrowser({ profileDir: path.join(scratch, 'chromium'), viewport: { width: 1600, height: 1000 }, developmentPayload: false });
  page = browser.page;
  await page.addInitScript(TIMELINE_SCRIPT);
  console.log(`issue 57 tour of ${EXTENSION} into ${OUT}`);
  try {
    const only = process.env.CLAN_VARS_TOUR_ONLY?.split(',');
    for (const [name, scene] of [['mic92', mic92], ['clan-infra', clanInfra], ['fixture', fixture]] as const) if (!only || only.includes(name)) await step(name, scene);
  } finally {
    await browser.context.close().catch(() => undefined);
    await server.stop();
    if (!process.env.CLAN_VARS_E2E_KEEP) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
