// Where the time to the first diagnostics goes in the real workbench (issue 57, item 9), from what the
// workbench and the extension already show or log, nothing timed added to the product: the page's
// own clock from its navigation (performance.timeOrigin), the Clan Vars status item's states and
// VS Code's problems count in the status bar, read every 20 ms from the page's start; the extension
// host's log (it started, it activated the extension) and the Clan Vars log (the scan's "indexed"
// line), whose lines carry their times. Figures are printed, never asserted.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * For page.addInitScript: from the page's start, window.__clanVarsTimeline records the ms after the
 * navigation began when the Clan Vars status item first said each state (starting, indexing, ready)
 * and when VS Code's problems count in the status bar first showed a problem; it stops once both
 * the ready state and a problem were seen, or after three minutes. The top frame only.
 */
export const TIMELINE_SCRIPT = `(() => {
  if (window !== window.top) return; // the workbench's page, not its webviews' frames
  const t = (window.__clanVarsTimeline = { origin: performance.timeOrigin, states: {}, problems: null });
  const timer = setInterval(() => {
    const now = Math.round(performance.now());
    for (const e of document.querySelectorAll('.statusbar-item')) {
      const label = e.getAttribute('aria-label') || e.querySelector('[aria-label]')?.getAttribute('aria-label') || '';
      const m = /^Clan Vars: (starting|indexing|ready|evaluating)/.exec(label);
      if (m && t.states[m[1]] === undefined) t.states[m[1]] = now;
    }
    const problems = document.getElementById('status.problems');
    if (t.problems === null && problems && /[1-9]/.test(problems.textContent || '')) t.problems = now;
    if ((t.states.ready !== undefined && t.problems !== null) || now > 180000) clearInterval(timer);
  }, 20);
})()`;

interface PageTimeline {
  origin: number;
  states: Partial<Record<'starting' | 'indexing' | 'ready' | 'evaluating', number>>;
  problems: number | null;
}

/** The epoch ms of a log line's "YYYY-MM-DD HH:MM:SS.mmm" (local time), or null. */
function lineTime(line: string): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})/.exec(line);
  return m ? new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]).getTime() : null;
}

/** Every file named `name` under `dir`. */
function filesNamed(dir: string, name: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f) === name).map((f) => path.join(dir, f));
}

/** The first line after `since` (epoch ms) matching `re` in the logs named `name` under `dir`: its time and text. */
function firstLogLine(dir: string, name: string, re: RegExp, since: number): { at: number; line: string } | null {
  let best: { at: number; line: string } | null = null;
  for (const file of filesNamed(dir, name)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const at = lineTime(line);
      if (at !== null && at >= since && re.test(line) && (!best || at < best.at)) best = { at, line };
    }
  }
  return best;
}

/**
 * Waits (up to `timeoutMs`) until the page has seen the status item ready and a problem counted, then
 * returns the steps from the page's navigation, as "<step> <s>", and the scan's own line; null when
 * the page has no timeline (the init script did not run).
 */
export async function firstDiagnosticsSteps(page: any, logsDir: string, timeoutMs: number): Promise<string | null> {
  await page.waitForFunction(() => {
    const t = (window as unknown as { __clanVarsTimeline?: PageTimeline }).__clanVarsTimeline;
    return !t || (t.states.ready !== undefined && t.problems !== null);
  }, undefined, { timeout: timeoutMs }).catch(() => undefined);
  const t = (await page.evaluate(() => (window as unknown as { __clanVarsTimeline?: PageTimeline }).__clanVarsTimeline ?? null)) as PageTimeline | null;
  if (!t) return null;
  const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? '?' : `${(ms / 1000).toFixed(2)} s`);
  const since = t.origin - 1000;
  const host = firstLogLine(logsDir, 'remoteexthost.log', /Extension host with pid \d+ started/, since);
  const activated = firstLogLine(logsDir, 'remoteexthost.log', /_doActivateExtension clan-vars\.clan-vars\b/, since);
  const indexed = firstLogLine(logsDir, 'Clan Vars.log', /\bindexed \d+ \.nix files\b/, since);
  const fromLog = (x: { at: number } | null) => (x ? x.at - t.origin : null);
  const steps: [string, number | null | undefined][] = [
    ['the extension host started', fromLog(host)],
    ['Clan Vars activated', fromLog(activated)],
    ['its status item said starting', t.states.starting],
    ['indexing', t.states.indexing],
    ['the scan logged its index', fromLog(indexed)],
    ['ready', t.states.ready],
    ['the first problem counted in the status bar', t.problems],
  ];
  const scan = indexed ? /indexed .*$/.exec(indexed.line)?.[0] : undefined;
  return `${steps.map(([what, ms]) => `${what} ${s(ms)}`).join(', ')}${scan ? ` (${scan})` : ''}`;
}
