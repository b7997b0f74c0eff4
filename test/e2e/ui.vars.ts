// The Clan Vars view and the two commands that ask (a modal dialog, an input box, which a test in
// the extension host cannot answer), in the real workbench (code-server + headless chromium) with the
// stand-in clan CLI (test/fixtures/fake-clan, which logs each call) as clanVars.clanCommand: the view
// lists the fixture's machine, its generators and their files; "Regenerate a Generator" asks in a
// modal dialog and runs clan only once confirmed; "Set a Var" reads the value in an input box and
// clan stores it. Screenshots: test-output/e2e/screenshots/07-vars-view.png, 07b-machine-picker.png,
// 08-regenerate-dialog.png, 18-vars-view-renamed.png, 21-fetch-failed.png, 22-status-recovered.png.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extensionUnderTest, OUTPUT_DIR } from './lib/extensionUnderTest';
import { expandRow } from './lib/settled';
import { launchBrowser, startCodeServer, workbenchUrl, type CodeServer } from './lib/workbench.js';

const SHOTS = path.join(OUTPUT_DIR, 'screenshots');
const WAIT = 30_000;
const FAKE_SPEC = {
  machines: {
    bo: {
      'wireguard-key': { files: { privatekey: { secret: true }, publickey: { secret: false } } },
      'wireguard-peers': { files: { peers: { secret: false } }, dependencies: ['wireguard-key'] },
    },
  },
};

let server: CodeServer | undefined;
let browser: { context: any; page: any } | undefined;
let scratch = '';
let workspace = '';
let callLog = '';
let page: any;

async function expectVisible(locator: any, what: string, name: string): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: WAIT });
  } catch {
    await page.screenshot({ path: path.join(SHOTS, `FAILED-${name}.png`) });
    assert.fail(`${what} did not appear within ${WAIT / 1000} s (screenshot: test-output/e2e/screenshots/FAILED-${name}.png)`);
  }
}

function calls(): { argv: string[] }[] {
  return fs.existsSync(callLog) ? fs.readFileSync(callLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
}

/** Waits until the stand-in clan logged a call whose argv holds every one of `words`. */
async function waitForCall(words: string[], name: string): Promise<void> {
  const hit = () => calls().some((c) => words.every((w) => c.argv.includes(w)));
  const deadline = Date.now() + WAIT;
  while (!hit() && Date.now() < deadline) await page.waitForTimeout(100);
  if (!hit()) {
    await page.screenshot({ path: path.join(SHOTS, `FAILED-${name}.png`) });
    assert.fail(`clan was not run with ${words.join(' ')} within ${WAIT / 1000} s; calls: ${JSON.stringify(calls())}`);
  }
}

/** Runs a command from the palette, then answers each quick pick with the item whose label is given; `shot`: a screenshot of the first pick, its items shown. */
async function runCommand(title: string, picks: string[], name: string, shot?: string): Promise<void> {
  // focus the editor area (not a terminal a previous run left behind), then the command palette
  await page.locator('.part.editor').first().click();
  await page.keyboard.press('F1');
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
  for (const label of picks) {
    const item = page.locator('.quick-input-widget .monaco-list-row', { hasText: label });
    await expectVisible(item, `the quick pick item "${label}"`, name);
    if (shot && label === picks[0]) await page.screenshot({ path: path.join(SHOTS, `${shot}.png`) });
    await page.keyboard.type(label);
    await item.first().click();
  }
}

const view = () => page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Clan Vars/i }) });
const row = (text: string | RegExp) => view().locator('.monaco-list-row', { hasText: text });

describe('UI: the Clan Vars view (code-server + headless chromium)', () => {
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-ui-vars-'));
    workspace = path.join(scratch, 'clan');
    fs.cpSync(path.join(__dirname, 'fixtures', 'clan'), workspace, { recursive: true });
    const fakeClan = path.join(scratch, 'fake-clan', 'clan');
    fs.mkdirSync(path.dirname(fakeClan));
    fs.copyFileSync(path.join(__dirname, '..', 'fixtures', 'fake-clan', 'clan'), fakeClan);
    fs.chmodSync(fakeClan, 0o755);
    callLog = path.join(scratch, 'fake-clan', 'calls.jsonl');
    fs.writeFileSync(path.join(workspace, 'fake-clan.json'), JSON.stringify({ ...FAKE_SPEC, log: callLog }));
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'clanVars.clanCommand': [fakeClan] }));
    // Installed, not under development: the workbench's smoke-test driver, which the development
    // payload needs, refuses modal dialogs.
    const extensionsDir = path.join(scratch, 'extensions');
    fs.mkdirSync(extensionsDir);
    fs.symlinkSync(extensionUnderTest(), path.join(extensionsDir, 'clan-vars.clan-vars-0.1.0'));
    server = await startCodeServer({
      userDataDir: path.join(scratch, 'user-data'),
      extensionsDir,
      stateDir: path.join(scratch, 'code-server'),
    });
    browser = await launchBrowser({ profileDir: path.join(scratch, 'chromium'), developmentPayload: false });
    page = browser.page;
    await page.goto(workbenchUrl(server.url, server.port, { folder: workspace }));
  });

  after(async () => {
    await browser?.context.close().catch(() => undefined);
    await server?.stop();
    if (scratch && !process.env.CLAN_VARS_E2E_KEEP) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("the Clan Vars view lists the fixture's machine, its generators and their files", async () => {
    const header = page.locator('.pane-header', { hasText: /^Clan Vars/i });
    await expectVisible(header, 'the "Clan Vars" view in the Explorer', 'vars-view-header');
    if ((await header.first().getAttribute('aria-expanded')) !== 'true') await header.first().click();
    await expectVisible(row(/^bo/), 'the machine "bo" in the Clan Vars view', 'vars-view-machine');
    // the folders pane above takes the room the view needs
    await page.locator('.pane-header', { hasText: /^clan$/i }).first().click();
    // a twistie expands; a click on the label opens the declaration
    await expandRow(row(/^bo/), row(/^wireguard-key/), WAIT);
    await expectVisible(row(/^wireguard-key/), 'the generator "wireguard-key" under bo', 'vars-view-generator');
    await expandRow(row(/^wireguard-key/), row(/^publickey/), WAIT);
    await expectVisible(row(/^publickey/), 'the file "publickey" under wireguard-key', 'vars-view-file');
    await expectVisible(row(/^privatekey/), 'the file "privatekey" under wireguard-key', 'vars-view-file');
    await page.screenshot({ path: path.join(SHOTS, '07-vars-view.png') });
  });

  it('Regenerate a Generator asks in a modal dialog, and runs clan only once confirmed', async () => {
    // the machine picker, its rows in the clan's words (issue 57): 07b-machine-picker.png
    await runCommand('Clan Vars: Regenerate a Generator', ['bo', 'wireguard-key'], 'regenerate-pick', '07b-machine-picker');
    const dialog = page.locator('.monaco-dialog-box', { hasText: "Regenerate 'wireguard-key'" });
    await expectVisible(dialog, 'the confirmation dialog', 'regenerate-dialog');
    assert.match(await dialog.first().textContent(), /This overwrites the vars of: wireguard-key\. /);
    await page.screenshot({ path: path.join(SHOTS, '08-regenerate-dialog.png') });
    assert.deepEqual(calls().filter((c) => c.argv.includes('--regenerate')), [], 'clan ran before the dialog was answered');
    await dialog.locator('.monaco-button', { hasText: /^Regenerate$/ }).first().click();
    await waitForCall(['generate', 'bo', 'wireguard-key', '--regenerate'], 'regenerate-run');
    // the stand-in wrote the vars: the view shows the generator generated
    await expectVisible(row(/^wireguard-key\s*generated/), 'wireguard-key shown as generated after the run', 'regenerate-view');
  });

  it('Set a Var reads the value in an input box; clan stores it', async () => {
    await runCommand('Clan Vars: Set a Var', ['bo', 'wireguard-key/publickey'], 'set-var-pick');
    await expectVisible(page.locator('.quick-input-widget', { hasText: 'Stored as a public value' }), 'the input box for the new value', 'set-var-input');
    await page.keyboard.type('new-public-value');
    await page.keyboard.press('Enter');
    await waitForCall(['set', 'bo', 'wireguard-key/publickey'], 'set-var-run');
    const value = path.join(workspace, 'vars', 'per-machine', 'bo', 'wireguard-key', 'publickey', 'value');
    const deadline = Date.now() + WAIT;
    while (fs.readFileSync(value, 'utf8') !== 'new-public-value' && Date.now() < deadline) await page.waitForTimeout(100);
    assert.equal(fs.readFileSync(value, 'utf8'), 'new-public-value', 'clan did not store the value typed in the input box');
  });

  it('a renamed generator shows in the view at once, and its stored vars as orphaned, with no Refresh', async () => {
    // renamed in its module on disk, as another tool or a git checkout would
    const module = path.join(workspace, 'modules', 'shared', 'wireguard.nix');
    const text = fs.readFileSync(module, 'utf8');
    const renamed = text.replace('generators.wireguard-key = {', 'generators.wireguard-keys = {');
    assert.notEqual(renamed, text, 'the fixture no longer declares wireguard-key there');
    fs.writeFileSync(module, renamed);
    try {
      await expectVisible(row(/^wireguard-keys/), 'the renamed generator "wireguard-keys" under bo', 'rename-new');
      // the vars Regenerate stored above stay, written by no generator now
      await expectVisible(row(/^wireguard-key\s*orphaned/), 'wireguard-key shown as orphaned', 'rename-orphaned');
      await page.screenshot({ path: path.join(SHOTS, '18-vars-view-renamed.png') });
    } finally {
      fs.writeFileSync(module, text);
    }
    await expectVisible(row(/^wireguard-key\s*generated/), 'wireguard-key generated again once the name is back', 'rename-back');
    assert.equal(await row(/^wireguard-keys/).count(), 0, 'the renamed generator is still listed');
  });
  it('a failed Fetch Flake Inputs (no network here): a short message with Show Log and Retry; the status item drops "failed" once it was seen', async () => {
    // the fixture's clan-core input is on the network, which this machine does not reach (or nix is not there): the fetch fails
    await runCommand('Clan Vars: Fetch Flake Inputs', [], 'fetch-inputs');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'fetching the flake inputs failed' }).first();
    await toast.waitFor({ state: 'visible', timeout: 120_000 }).catch(async () => {
      await page.screenshot({ path: path.join(SHOTS, 'FAILED-fetch-failed.png') });
      assert.fail('no notification that fetching the flake inputs failed within 120 s');
    });
    const message = ((await toast.locator('.notification-list-item-message').textContent()) ?? '').trim();
    assert.match(message, /^Clan Vars: fetching the flake inputs failed/, 'what failed comes first');
    assert.ok(!message.includes(workspace), `the message holds the clan's full path: ${message}`);
    for (const button of ['Show Log', 'Retry']) assert.ok(await toast.locator('.monaco-button', { hasText: button }).first().isVisible(), `no ${button} button`);
    const item = page.locator('.statusbar-item', { hasText: 'Clan Vars' }).first();
    assert.match((await item.textContent()) ?? '', /failed/, 'the status item does not tell of the failure');
    await page.screenshot({ path: path.join(SHOTS, '21-fetch-failed.png') });
    console.log(`    the failure's notification: "${message}"`);
    await toast.locator('.monaco-button', { hasText: 'Show Log' }).first().click();
    // once seen, the item is itself again; the tooltip keeps the last run
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.statusbar-item')).some((e) => /Clan Vars/.test(e.textContent ?? '') && !/failed/.test(e.textContent ?? '')), undefined, { timeout: WAIT }).catch(async () => {
      await page.screenshot({ path: path.join(SHOTS, 'FAILED-status-recovered.png') });
      assert.fail(`the status item still reads "${await item.textContent()}" after Show Log`);
    });
    await page.screenshot({ path: path.join(SHOTS, '22-status-recovered.png') });
  });
});
