// Waits for conditions of the real workbench instead of fixed times (issue 53), shared by the UI
// smoke test and the UI test on the real clans: the graph's page laid out for its size, the focus
// out of a webview, an element's animations ended.

/**
 * Waits until the graph's page in `frame` is laid out for the size the workbench gives it: the
 * workbench fills the window, the page's size is that of the webview's element in the workbench
 * (VS Code nests the page's iframe in one of its own), and the page's data-settled
 * (webview/src/main.ts) names that size. The page's own size alone is not enough: right after a
 * resize of the window it still has its old size, and says it is settled at it. Resolves to null
 * once settled, or, after `timeout` ms, to what was seen last.
 */
export async function untilLaidOut(page: any, frame: any, timeout: number): Promise<string | null> {
  let outer = frame;
  while (outer.parentFrame() && outer.parentFrame() !== page.mainFrame()) outer = outer.parentFrame();
  const deadline = Date.now() + timeout;
  let seen = '';
  for (;;) {
    const viewport = page.viewportSize();
    const workbench = await page.evaluate(() => {
      const r = document.querySelector('.monaco-workbench')?.getBoundingClientRect();
      return r ? { width: r.width, height: r.height } : null;
    });
    const element = await (await outer.frameElement()).boundingBox();
    const inner = await frame
      .evaluate(() => ({ width: innerWidth, height: innerHeight, settled: document.documentElement.dataset.settled ?? null }))
      .catch(() => null);
    const sized = (a: { width: number; height: number } | null, b: { width: number; height: number } | null) => !!a && !!b && Math.abs(a.width - b.width) < 1 && Math.abs(a.height - b.height) < 1;
    if (sized(workbench, viewport) && sized(inner, element) && inner.settled === `${inner.width}x${inner.height}`) return null;
    const size = (a: { width: number; height: number } | null) => (a ? `${a.width}x${a.height}` : 'none');
    seen = `the window is ${size(viewport)}, the workbench ${size(workbench)}, the webview's element ${size(element)}, the graph's page ${size(inner)} and says it is settled at ${inner?.settled ?? 'no size'}`;
    if (Date.now() > deadline) return seen;
    await page.waitForTimeout(50);
  }
}

/**
 * Moves the focus back to the workbench, by a click on the side bar's title (the active editor
 * group stays what it was), and waits until it has left every webview: keys pressed while a
 * webview has the focus may not reach the workbench. Resolves to whether it did within `timeout`
 * ms (the click moves it at once: a longer wait would not help).
 */
export async function focusWorkbench(page: any, timeout = 5_000): Promise<boolean> {
  await page.locator('.part.sidebar .composite.title').first().click();
  return page
    .waitForFunction(() => !document.activeElement?.closest('.webview, iframe'), undefined, { timeout })
    .then(() => true)
    .catch(() => false);
}

/** Waits until the CSS animations of `locator`'s first element and its descendants have ended (a hover fades in). */
export async function animationsEnded(locator: any): Promise<void> {
  // an animation cancelled (the element went away) rejects: the screenshot after it shows what is there
  await locator.first().evaluate((e: Element) => Promise.all(e.getAnimations({ subtree: true }).map((a) => a.finished))).catch(() => undefined);
}

/**
 * Expands the tree row `row` until `child` shows: its twistie is clicked while the row says it is
 * collapsed (aria-expanded), and clicked again when the child has not shown a moment later. A
 * click can be lost in the real workbench: the row may move under it (a pane above folding) or be
 * drawn anew (the view refreshed by the server); a test that clicked once failed so in CI with the
 * view's data all there. True once `child` is visible, false when `timeout` ms passed first.
 */
export async function expandRow(row: any, child: any, timeout: number): Promise<boolean> {
  const deadline = Date.now() + timeout;
  const left = (cap = Infinity) => Math.max(1, Math.min(cap, deadline - Date.now()));
  while (Date.now() < deadline) {
    const expanded = await row
      .first()
      .getAttribute('aria-expanded', { timeout: left(5_000) })
      .catch(() => null);
    if (expanded !== 'true') await row.first().locator('.monaco-tl-twistie').click({ timeout: left(5_000) }).catch(() => undefined);
    if (await child.first().waitFor({ state: 'visible', timeout: left(3_000) }).then(
      () => true,
      () => false,
    )) return true;
  }
  return false;
}
