// A tiny test runner for the extension host: scenarios run one after another, each with a
// timeout; a scenario may skip itself with a reason (a feature that is not built yet), which is
// printed and counted, never reported as a pass.

export type ScenarioFn = () => Promise<void> | void;

interface Scenario {
  area: string;
  name: string;
  fn: ScenarioFn;
  timeoutMs: number;
}

const scenarios: Scenario[] = [];
let currentArea = 'general';

/** Thrown by `skip()`; the runner reports the scenario as skipped with this reason. */
export class Skipped extends Error {}

/** Groups the scenarios declared inside `body` under a feature area name. */
export function area(name: string, body: () => void): void {
  const previous = currentArea;
  currentArea = name;
  try {
    body();
  } finally {
    currentArea = previous;
  }
}

export function scenario(name: string, fn: ScenarioFn, timeoutMs = 30_000): void {
  scenarios.push({ area: currentArea, name, fn, timeoutMs });
}

/** Ends the running scenario as skipped. Use only for features that do not exist yet. */
export function skip(reason: string): never {
  throw new Skipped(reason);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
}

/** Runs every declared scenario (those whose "area: name" matches `filter`, if given). */
export async function runAll(filter?: RegExp): Promise<Summary> {
  const summary: Summary = { passed: 0, failed: 0, skipped: 0 };
  const failures: string[] = [];
  const skips: string[] = [];
  let lastArea = '';
  for (const s of scenarios) {
    const title = `${s.area}: ${s.name}`;
    if (filter && !filter.test(title)) continue;
    if (s.area !== lastArea) console.log(`\n  ${s.area}`);
    lastArea = s.area;
    const started = Date.now();
    try {
      await withTimeout(Promise.resolve().then(s.fn), s.timeoutMs, title);
      summary.passed++;
      console.log(`    ✔ ${s.name} (${Date.now() - started} ms)`);
    } catch (e) {
      if (e instanceof Skipped) {
        summary.skipped++;
        skips.push(`${title} — ${e.message}`);
        console.log(`    - SKIPPED ${s.name}: ${e.message}`);
      } else {
        summary.failed++;
        const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
        failures.push(`${title}\n      ${message.split('\n').join('\n      ')}`);
        console.log(`    ✘ FAILED ${s.name} (${Date.now() - started} ms)`);
      }
    }
  }
  if (skips.length) console.log(`\n  Skipped (feature not built yet):\n${skips.map((s) => `    - ${s}`).join('\n')}`);
  if (failures.length) console.log(`\n  Failures:\n${failures.map((f, i) => `  ${i + 1}) ${f}`).join('\n')}`);
  console.log(`\n  ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  return summary;
}
