// UI smoke test: the real VS Code workbench (code-server) in headless chromium, driven like a
// person would: open a file with a mistake from the Explorer, see the squiggle, its hover, the
// Problems entries and the status bar item. Screenshots go to test-output/e2e/screenshots/ for a
// person to look at. Run: node --import tsx --test test/e2e/ui.smoke.ts (after setup.sh and a build).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extensionUnderTest, OUTPUT_DIR } from './lib/extensionUnderTest';
import { launchBrowser, startCodeServer, workbenchUrl, type CodeServer } from './lib/workbench.js';
import { checkGraph } from './lib/graphChecks';
import { pickTheme, THEMES } from './lib/themes';
import { animationsEnded, focusWorkbench, untilLaidOut } from './lib/settled';

const SHOTS = path.join(OUTPUT_DIR, 'screenshots');
/** Wait per UI step; after the first failed step the rest wait 5 s (they mostly fail for the same cause). */
let uiWait = 30_000;
const MATRIX = 'machine-env-matrix.nix';

let server: CodeServer | undefined;
let browser: { context: any; page: any } | undefined;
let scratch = '';
let page: any;

/** Runs a command from the command palette by its full title, once the palette lists it; the time its Enter was pressed. */
async function runCommand(title: string): Promise<number> {
  // keys pressed while a webview has the focus may not reach the workbench: the focus back first
  const focused = await focusWorkbench(page);
  await page.keyboard.press('F1');
  await expectVisible(page.locator('.quick-input-widget input'), `the command palette${focused ? '' : ' (the focus stayed in a webview)'}`, 'palette');
  await page.keyboard.type(title);
  await expectVisible(page.locator('.quick-input-widget .monaco-list-row', { hasText: title }), `"${title}" in the command palette`, 'palette-row');
  const at = Date.now();
  await page.keyboard.press('Enter');
  return at;
}

/** Opens a workspace file through Quick Open (F1, then without the ">"). */
async function quickOpen(name: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(name);
  await expectVisible(page.locator('.quick-input-widget .monaco-list-row', { hasText: name }), `${name} in Quick Open`, 'quick-open');
  await page.keyboard.press('Enter');
}

/** The frame of the graph webview that holds the drawing (webviews nest an iframe in an iframe). */
async function graphFrame(): Promise<any> {
  const deadline = Date.now() + uiWait;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const texts = await frame.evaluate(() => Array.from(document.querySelectorAll('svg text')).map((e) => e.textContent ?? '')).catch(() => [] as string[]);
      if (texts.some((text: string) => text.includes('wireguard-peers'))) return frame;
    }
    await page.waitForTimeout(200);
  }
  return undefined;
}

/**
 * Where a first open's time went, from the performance marks (webview/src/main.ts) of the graph's
 * `frame` and its page's start, each as ms after `opened` (the command's Enter): VS Code made the
 * page, its script began, said ready, the first graph came, it was drawn. Empty when the marks
 * cannot be read.
 */
async function firstOpenSteps(frame: any, opened: number): Promise<string> {
  const marks = (await frame
    .evaluate(() => ({ origin: performance.timeOrigin, marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as [string, number]) }))
    .catch(() => null)) as { origin: number; marks: [string, number][] } | null;
  if (!marks) return '';
  const at = (name: string) => marks.marks.find(([n]) => n === `clan-vars:${name}`)?.[1];
  const steps = [['the page started', 0], ['its script ran', at('script')], ['ready', at('ready')], ['the graph came', at('graph-received')], ['drawn', at('graph-drawn')]] as const;
  return `; ${steps.map(([what, t]) => `${what} ${t === undefined ? '?' : Math.round(marks.origin + t - opened)} ms`).join(', ')} after the command`;
}

/** Closes the tab titled `title` by its own close button (a palette command could match "Close Editor Group"). */
async function closeTab(title: string): Promise<void> {
  const tab = page.locator('.tabs-container .tab', { hasText: title }).first();
  await tab.hover();
  await tab.locator('.tab-actions .action-label').first().click();
  const closed = (t: string) => !Array.from(document.querySelectorAll('.tabs-container .tab')).some((e) => (e.textContent ?? '').includes(t));
  await page.waitForFunction(closed, title, { timeout: uiWait }).catch(() => assert.fail(`the tab "${title}" did not close within ${uiWait} ms`));
}

/** Types TYPED at the end of the active editor's first line (a comment) and returns how long the 29 keystrokes took; then deletes it. */
const TYPED = ' typing in a comment line, ok';
async function timedTyping(): Promise<number> {
  await page.locator('.editor-instance .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  const t = Date.now();
  await page.keyboard.type(TYPED);
  const took = Date.now() - t;
  for (let i = 0; i < TYPED.length; i++) await page.keyboard.press('Backspace');
  return took;
}
let typingClosed: number[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Waits until the graph's page in `frame` is laid out for its size (lib/settled.ts); else a screenshot, and fails saying where. */
async function expectLaidOut(frame: any, where: string, name: string): Promise<void> {
  const wait = uiWait;
  const seen = await untilLaidOut(page, frame, wait);
  if (seen === null) return;
  uiWait = 5_000;
  await shot(`FAILED-${name}`);
  assert.fail(`the graph was not laid out for its size ${where} within ${wait / 1000} s: ${seen} (screenshot: test-output/e2e/screenshots/FAILED-${name}.png)`);
}

/** Waits for `locator`; on timeout saves a screenshot and fails with `what` was expected. */
async function expectVisible(locator: any, what: string, name: string): Promise<void> {
  const wait = uiWait;
  try {
    await locator.first().waitFor({ state: 'visible', timeout: wait });
  } catch {
    uiWait = 5_000;
    await shot(`FAILED-${name}`);
    assert.fail(`${what} did not appear within ${wait / 1000} s (screenshot: test-output/e2e/screenshots/FAILED-${name}.png)`);
  }
}

describe('UI smoke (code-server + headless chromium)', () => {
  before(async () => {
    fs.rmSync(SHOTS, { recursive: true, force: true });
    fs.mkdirSync(SHOTS, { recursive: true });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-ui-'));
    const workspace = path.join(scratch, 'clan');
    fs.cpSync(path.join(__dirname, 'fixtures', 'clan'), workspace, { recursive: true });
    server = await startCodeServer({
      userDataDir: path.join(scratch, 'user-data'),
      extensionsDir: path.join(scratch, 'extensions'),
      stateDir: path.join(scratch, 'code-server'),
    });
    // 1600×1000: a laptop-sized window, where the graph beside an editor has to stay readable.
    browser = await launchBrowser({ profileDir: path.join(scratch, 'chromium'), viewport: { width: 1600, height: 1000 } });
    page = browser.page;
    await page.goto(workbenchUrl(server.url, server.port, { folder: workspace, extensionDevelopmentPath: extensionUnderTest() }));
  });

  after(async () => {
    await browser?.context.close().catch(() => undefined);
    await server?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('shows the workbench with the fixture clan in the Explorer', async () => {
    await expectVisible(page.locator('.monaco-workbench'), 'the VS Code workbench', 'workbench');
    await expectVisible(page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'lib' }), 'the folder "lib" in the Explorer', 'explorer');
    await shot('01-workbench');
  });

  it('opens a file with a mistake from the Explorer and shows the squiggle', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^lib$/ }).first().click();
    const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: MATRIX });
    await expectVisible(file, `${MATRIX} in the Explorer`, 'explorer-file');
    await file.first().click();
    await expectVisible(page.locator('.editor-instance .view-lines', { hasText: 'opneai' }), `the editor with ${MATRIX}`, 'editor');
    await expectVisible(
      page.locator('.editor-instance .squiggly-error'),
      'a red squiggle (.squiggly-error) under "opneai": the language server published no diagnostics?',
      'squiggle',
    );
    await shot('02-squiggle');
  });

  it('shows the diagnostic message when hovering the squiggle', async () => {
    // the squiggle is drawn under the text, which takes the mouse: hover the word itself
    await page.locator('.editor-instance .view-lines span', { hasText: /^"opneai"$/ }).first().hover();
    await expectVisible(page.locator('.monaco-hover', { hasText: 'Unknown secret key' }), 'the hover with "Unknown secret key"', 'hover');
    await shot('03-hover');
    await page.keyboard.press('Escape');
  });

  it('offers the quick fix on the diagnostic (Ctrl+.)', async () => {
    await page.locator('.editor-instance .view-lines span', { hasText: /^"opneai"$/ }).first().click();
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await expectVisible(menu, 'the quick-fix menu', 'quick-fix');
    await expectVisible(menu.locator('.monaco-list-row', { hasText: 'openai' }), 'the quick fix "openai" in the menu', 'quick-fix-entry');
    await shot('10-quick-fix');
    await page.keyboard.press('Escape');
  });

  it('lists every seeded mistake in the Problems panel', async () => {
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await expectVisible(panel, 'the Problems panel', 'problems');
    for (const text of ["Unknown secret key 'opneai'", "No generator named 'wireguard-kye'", 'importApply']) {
      await expectVisible(panel.locator('.monaco-list-row', { hasText: text }), `the Problems entry "${text}"`, 'problems-entry');
    }
    await shot('04-problems');
  });

  it("a diagnostic's code link shows the code's section of the docs, rendered and scrolled to it", async () => {
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: "Unknown secret key 'opneai'" });
    const link = row.locator('a.monaco-link', { hasText: 'unknown-registry-key' });
    await expectVisible(link, 'the link of the code unknown-registry-key in the Problems panel', 'code-link');
    await link.first().click();
    // the Markdown preview's frame, with the heading of the code at the top once it has scrolled there
    const headingTop = `(() => { const h = document.getElementById('unknown-registry-key'); return h && h.tagName === 'H3' ? h.getBoundingClientRect().top : null; })()`;
    const atTop = (t: number | null) => t !== null && t >= -2 && t < 120;
    const waitForHeading = async (ms: number) => {
      const deadline = Date.now() + ms;
      let top: number | null = null;
      while (Date.now() < deadline) {
        top = null;
        for (const frame of page.frames()) {
          const t = await frame.evaluate(headingTop).catch(() => null);
          if (typeof t === 'number') top = t;
        }
        if (atTop(top)) break;
        await page.waitForTimeout(200);
      }
      return top;
    };
    let top = await waitForHeading(uiWait / 2);
    if (!atTop(top) && top !== null) {
      // VS Code's preview scrolls to the fragment once its first layout is done; once in a few runs
      // (1 of 4 CI runs, on a quiet machine) it scrolled before the tables took their height and
      // stopped short. A user clicks again: so does the test, once, and says so
      console.log(`    the preview stopped ${Math.round(top)}px short of the heading; the link clicked again`);
      await link.first().click();
      top = await waitForHeading(uiWait / 2);
    }
    await shot('04b-code-docs');
    assert.ok(top !== null, 'no rendered docs with the heading of unknown-registry-key');
    assert.ok(top >= -2 && top < 120, `the heading of unknown-registry-key is ${top}px down the preview, not at its top`);
    await closeTab('diagnostics.md');
  });

  // The fixture's 3 seeded mistakes give 4 errors: the misspelt dependency also makes the script's
  // `$in/wireguard-key` read an undeclared input (unknown-input), exactly what clan would hit.
  // The item shows the server's state; the counts are in its tooltip (VS Code's own entry shows
  // errors and warnings). The fixture's 3 seeded mistakes give 4 errors: the misspelt dependency
  // also makes the script's `$in/wireguard-key` read an undeclared input (unknown-input).
  it('shows the Clan Vars status bar item: ready, with the error count in its tooltip', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'Clan Vars' });
    await expectVisible(item, 'the "Clan Vars" status bar item', 'statusbar');
    await page.waitForFunction(
      () => Array.from(document.querySelectorAll('.statusbar-item')).some((e) => /Clan Vars: ready;.*\b4 errors\b/.test(e.getAttribute('aria-label') ?? e.querySelector('[aria-label]')?.getAttribute('aria-label') ?? '')),
      undefined,
      { timeout: uiWait },
    ).catch(async () => {
      await shot('FAILED-statusbar-count');
      assert.fail(`the status bar item does not say it is ready with 4 errors; it reads "${await item.first().textContent()}"`);
    });
    assert.doesNotMatch((await item.first().textContent()) ?? '', /\d/, 'no counts in the item itself');
    await item.first().screenshot({ path: path.join(SHOTS, '05-statusbar.png') });
    await item.first().hover();
    // its tooltip, shown and faded in, for the screenshot
    const tooltip = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Clan Vars: ready' });
    await expectVisible(tooltip, "the status bar item's tooltip", 'statusbar-tooltip');
    await animationsEnded(tooltip);
    await page.screenshot({ path: path.join(SHOTS, '11-statusbar-full.png') });
  });

  it('shows the generator summary when hovering a generator', async () => {
    await quickOpen('wireguard.nix');
    await expectVisible(page.locator('.editor-instance .view-lines', { hasText: 'wireguard-key' }), 'the editor with wireguard.nix', 'generator-editor');
    // the declaration's name: hover the middle of the word wherever the tokenizer split it
    const box = await page.evaluate(() => {
      for (const span of Array.from(document.querySelectorAll('.editor-instance .view-line span span'))) {
        const t = span.textContent ?? '';
        const i = t.indexOf('wireguard-key');
        if (i < 0) continue;
        const r = span.getBoundingClientRect();
        return { x: r.left + (r.width * (i + 6)) / t.length, y: r.top + r.height / 2 };
      }
      return null;
    });
    assert.ok(box, 'the text "wireguard-key" is not on screen');
    await page.mouse.move(box.x, box.y);
    const hover = page.locator('.monaco-hover', { hasText: 'wireguard-key' });
    await expectVisible(hover, 'the hover of the generator "wireguard-key"', 'hover-generator');
    await animationsEnded(hover); // the hover fades in
    await shot('09-hover-generator');
    await page.keyboard.press('Escape');
    await page.mouse.move(5, 500);
  });

  it('opens the DAG view beside an editor, and again once closed', async () => {
    await page.locator('.tabs-container .tab', { hasText: MATRIX }).first().click();
    await expectVisible(page.locator('.editor-instance .view-lines', { hasText: 'opneai' }), `the editor with ${MATRIX}`, 'dag-editor');
    // typing with the graph closed, to compare with it open (below)
    typingClosed = [await timedTyping(), await timedTyping(), await timedTyping()];
    const pkg = JSON.parse(fs.readFileSync(path.join(extensionUnderTest(), 'package.json'), 'utf8'));
    const command = (pkg.contributes?.commands ?? []).find((c: { command: string }) => /graph|dag/i.test(c.command));
    assert.ok(command, 'package.json contributes no graph command');
    /** Runs the graph command and waits for the graph drawn: how long it took, and its steps. */
    const openGraph = async (): Promise<string> => {
      // timed from the command's Enter in the palette
      const opened = await runCommand(`${command.category ?? 'Clan Vars'}: ${command.title}`);
      await expectVisible(page.locator('.webview, iframe.webview'), 'the DAG webview', 'dag');
      // The graph itself: an SVG inside the webview's frames that names the fixture's generators.
      const frame = await graphFrame();
      const took = Date.now() - opened;
      if (!frame) {
        await shot('FAILED-dag-empty');
        assert.fail('the DAG webview opened but shows no graph with the generator "wireguard-peers"');
      }
      return `${took} ms (polled every 200 ms)${await firstOpenSteps(frame, opened)}`;
    };
    console.log(`    the graph's first open, from the command to its nodes drawn: ${await openGraph()}`);
    await expectVisible(page.locator('.editor-group-container .editor-instance .view-lines', { hasText: 'opneai' }), `${MATRIX} still shown beside the graph`, 'dag-beside');
    // the graph's error nodes are those of the Problems panel: the generator with the misspelt
    // dependency is red, and every error a red node lists is an entry of the panel
    const graph = await graphFrame();
    assert.ok(graph, 'no graph webview frame');
    // (a node's tooltip: its name, then its problems; a generator's with their severity)
    const titles = (selector: string) => graph.evaluate(`Array.from(document.querySelectorAll('${selector}')).map((g) => (g.querySelector('title')?.textContent ?? '').split('\\n'))`) as Promise<string[][]>;
    const red = await titles('g.node.node--error');
    const missing = await titles('g.node.node--unknown');
    assert.deepEqual(red.map((lines) => lines[0]).sort(), ['wireguard-peers'], 'the red generators');
    assert.deepEqual(missing.map((lines) => lines[0]).sort(), ['wireguard-kye'], 'the missing generators');
    const rows = (await page.locator('.markers-panel .monaco-list-row').allTextContents()).map((t: string) => t.replace(/\s+/g, ' '));
    const errors = [...red.flatMap((lines) => lines.filter((l) => l.startsWith('error: ')).map((l) => l.slice('error: '.length))), ...missing.flatMap((lines) => lines.slice(1))].map((l) => l.replace(/\s+/g, ' '));
    assert.ok(errors.length >= 2, `the red and missing nodes list ${errors.length} errors: ${errors.join(' | ')}`);
    for (const e of errors) assert.ok(rows.some((r: string) => r.includes(e.slice(0, 80))), `the graph's error "${e}" is not in the Problems panel:\n${rows.join('\n')}`);
    await shot('06-dag');
    // closed and opened again (VS Code's webview machinery now warm)
    await closeTab('Dependency Graph');
    await page.locator('.tabs-container .tab', { hasText: MATRIX }).first().click();
    console.log(`    the graph opened again: ${await openGraph()}`);
  });

  it('selects a node on click: the graph stays and shows its details', async () => {
    const frame = await graphFrame();
    assert.ok(frame, 'no graph webview frame with "wireguard-peers"');
    // the page counts the messages it posts to the extension (window.clanVarsPosted, webview/src/main.ts)
    const opens = () => frame.evaluate(() => (window as unknown as { clanVarsPosted: { open: number } }).clanVarsPosted.open) as Promise<number>;
    const before = await opens();
    await frame.locator('g.node', { hasText: 'wireguard-peers' }).first().click();
    await frame.locator('.details-name', { hasText: 'wireguard-peers' }).waitFor({ state: 'visible', timeout: uiWait }).catch(async () => {
      await shot('FAILED-dag-details');
      assert.fail('clicking the node "wireguard-peers" shows no details for it');
    });
    // the click's handler shows the details and would have posted an 'open' in the same turn: the count is final
    assert.equal(await opens(), before, "a click on a node asked the extension to open the source");
    assert.ok(await frame.locator('g.node').first().isVisible(), 'the graph is gone after a click on a node');
    assert.equal(await page.locator('.editor-group-container .editor-instance .view-lines', { hasText: 'wireguard-peers = {' }).count(), 0, 'a click opened the source');
    await shot('12-dag-selected');
  });

  it('typing beside the open graph: an edit that changes nothing it shows does not redraw it, one that does redraws it; the typing time with it open and closed', async () => {
    const frame = await graphFrame();
    assert.ok(frame, 'no graph webview frame');
    // each graph the extension posts to the webview is one redraw; a refresh that finds the graph
    // shown posts 'unchanged' instead: both counted in the webview
    await frame.evaluate(`(() => { window.clanVarsPosts = { graph: 0, unchanged: 0 }; window.addEventListener('message', (e) => { const t = e.data && e.data.type; if (t in window.clanVarsPosts) window.clanVarsPosts[t]++; }); })()`);
    const posts = () => frame.evaluate('window.clanVarsPosts') as Promise<{ graph: number; unchanged: number }>;
    const resetPosts = () => frame.evaluate('window.clanVarsPosts = { graph: 0, unchanged: 0 }');
    const untilPosted = async (what: string, done: (p: { graph: number; unchanged: number }) => boolean) => {
      const deadline = Date.now() + uiWait;
      while (!done(await posts()) && Date.now() < deadline) await page.waitForTimeout(100);
      assert.ok(done(await posts()), `${what}: nothing arrived in the webview within ${uiWait} ms (${JSON.stringify(await posts())})`);
    };
    const typingOpen = [await timedTyping(), await timedTyping(), await timedTyping()];
    // the refresh after the last keystroke (400 ms later) and its request: an answer arrives
    await resetPosts();
    await untilPosted('the refresh after typing a comment', (p) => p.graph + p.unchanged > 0);
    assert.equal((await posts()).graph, 0, 'a comment typed in the matrix redrew the graph');
    // a real change: the misspelt matrix key fixed gives bo a generator; the graph is drawn anew
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+h');
    await page.keyboard.type('opneai');
    await page.keyboard.press('Tab');
    await page.keyboard.type('openai');
    await page.keyboard.press('Control+Alt+Enter');
    await page.keyboard.press('Escape');
    await untilPosted('the graph after the matrix changed what it shows', (p) => p.graph > 0);
    await page.keyboard.press('Control+z');
    await expectVisible(page.locator('.editor-instance .view-lines', { hasText: 'opneai' }), 'the misspelt key back after undo', 'typing-undo');
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[1];
    console.log(`    typing ${TYPED.length} characters in the matrix: ${median(typingClosed)} ms with the graph closed [${typingClosed.join(', ')}], ${median(typingOpen)} ms with it open [${typingOpen.join(', ')}]`);
  });

  it('the graph in four themes at 1600x1000 and 1280x800: toolbar and legend whole, a screenshot of each', async () => {
    const frame = await graphFrame();
    assert.ok(frame, 'no graph webview frame');
    const pick = (label: string) => pickTheme(page, label, expectVisible, frame);
    try {
      for (const [label, , name] of THEMES) {
        await pick(label);
        for (const [width, height] of [[1600, 1000], [1280, 800]] as const) {
          await page.setViewportSize({ width, height });
          await expectLaidOut(frame, `in ${label} at ${width}x${height}`, `dag-${name}-${width}x${height}`);
          const figures = await checkGraph(frame, `${label} at ${width}x${height}`, { textContrast: width === 1600 });
          assert.ok(figures.strokes.error, `no error node drawn in ${label}`);
          if (width === 1600) console.log(`    ${label}: node borders normal ${figures.strokes.normal}, error ${figures.strokes.error}, warning ${figures.strokes.warning ?? '(none drawn)'}; error mark ${figures.marks.error} on the fill ${figures.marks.fill} ${figures.errorMarkVsFill.toFixed(2)}:1`);
          await shot(`17-dag-${name}-${width}x${height}`);
        }
      }
    } finally {
      // back to the size and theme the next steps expect
      await page.setViewportSize({ width: 1600, height: 1000 });
      await pick('Light Modern').catch(() => undefined);
      await untilLaidOut(page, frame, uiWait);
    }
  });

  it('exports the graph through a save dialog, and says where it went', async () => {
    const frame = await graphFrame();
    assert.ok(frame, 'no graph webview frame');
    await frame.locator('select[aria-label=Export]').selectOption('svg:file');
    // the save dialog (code-server's own, in the quick input): nothing is written before it is answered
    await expectVisible(page.locator('.quick-input-widget input'), 'the save dialog of Export', 'export-dialog');
    const target = path.join(scratch, 'clan', 'vars-dependencies.svg');
    assert.equal(fs.existsSync(target), false, 'the graph was written before the dialog was answered');
    await shot('19-export-dialog');
    await page.keyboard.press('Enter');
    await expectVisible(page.locator('.notifications-toasts .notification-toast', { hasText: 'exported as SVG image to vars-dependencies.svg' }), 'the notification that the graph was exported', 'export-done');
    assert.match(fs.readFileSync(target, 'utf8'), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    await shot('20-export-done');
    await page.keyboard.press('Escape');
  });

  it('opens the source beside the graph on double-click', async () => {
    const frame = await graphFrame();
    await frame.locator('g.node', { hasText: 'wireguard-peers' }).first().dblclick();
    await expectVisible(page.locator('.editor-instance .view-lines', { hasText: 'wireguard-peers' }), 'the declaration of wireguard-peers in an editor', 'dag-open');
    assert.ok(await frame.locator('g.node').first().isVisible(), 'the graph is gone after opening the source');
    await shot('13-dag-open-beside');
  });

  // The graph as the only editor group (the reported case): a double-click must not replace it.
  it('in one editor group: wide layout; Own group moves it beside; opening a source keeps the graph', async () => {
    const groups = () => page.locator('.editor-group-container').count();
    await page.locator('.tabs-container .tab', { hasText: 'Dependency Graph' }).first().click();
    await runCommand('View: Move Editor into First Group');
    await page.waitForFunction(() => document.querySelectorAll('.editor-group-container').length === 1, undefined, { timeout: uiWait }).catch(async () => {
      await shot('FAILED-dag-one-group');
      assert.fail('the graph did not move into the first (only) editor group');
    });
    let frame = await graphFrame();
    assert.ok(frame, 'no graph after moving it into the first group');
    // the layout for the new shape drawn first: it would move the nodes from under the clicks
    await expectLaidOut(frame, 'in the only editor group', 'dag-one-group-layout');
    // Fit keeps text readable, so part of the graph may be out of view: find the node by search
    // (Enter selects and reveals the match), then click it.
    const selectBySearch = async () => {
      await frame.locator('input[type=search]').fill('wireguard-key');
      await frame.locator('input[type=search]').press('Enter');
      await expectVisible(frame.locator('g.node.node--selected[data-id="g:wireguard-key"]'), 'wireguard-key selected by its search', 'dag-search');
    };
    await selectBySearch();
    await frame.locator('g.node[data-id="g:wireguard-key"]').click();
    await frame.locator('.details-name', { hasText: 'wireguard-key' }).waitFor({ state: 'visible', timeout: uiWait });
    await shot('14-dag-one-group');

    await frame.locator('.toolbar button', { hasText: 'Own group' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.editor-group-container').length === 2, undefined, { timeout: uiWait }).catch(async () => {
      await shot('FAILED-dag-own-group');
      assert.fail('"Own group" did not move the graph into a group of its own');
    });
    frame = await graphFrame();
    assert.ok(frame, 'no graph after "Own group"');
    await shot('15-dag-own-group');

    // back into one group with the sources, then open one: it goes beside, the graph stays
    await page.locator('.tabs-container .tab', { hasText: 'Dependency Graph' }).first().click();
    await runCommand('View: Move Editor into First Group');
    await page.waitForFunction(() => document.querySelectorAll('.editor-group-container').length === 1, undefined, { timeout: uiWait });
    frame = await graphFrame();
    await expectLaidOut(frame, 'back in the only editor group', 'dag-one-group-again');
    await selectBySearch();
    await frame.locator('g.node[data-id="g:wireguard-key"]').dblclick();
    await page.waitForFunction(() => document.querySelectorAll('.editor-group-container').length === 2, undefined, { timeout: uiWait }).catch(async () => {
      await shot('FAILED-dag-open-one-group');
      assert.fail('opening a declaration from the graph in the only group did not open it beside');
    });
    await expectVisible(page.locator('.editor-instance .view-lines', { hasText: 'wireguard-key' }), 'wireguard.nix beside the graph', 'dag-open-one-group');
    frame = await graphFrame();
    assert.ok(frame && (await frame.locator('g.node').first().isVisible()), 'the graph was replaced by the source');
    assert.equal(await groups(), 2);
    await expectLaidOut(frame, 'beside the source', 'dag-one-group-narrower');
    assert.ok(await frame.locator('g.node[data-id="g:wireguard-key"]').isVisible(), 'the selected generator is out of view after the view got narrower');
    await shot('16-dag-one-group-open');
  });
});
