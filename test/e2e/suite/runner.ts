// A tiny test runner for the extension host: scenarios run one after another, each with a
// timeout. There is no skip: every feature exists, so a scenario that cannot run fails.

export type ScenarioFn = () => Promise<void> | void;

interface Scenario {
  area: string;
  name: string;
  fn: ScenarioFn;
  timeoutMs: number;
}

const scenarios: Scenario[] = [];
let currentArea = 'general';

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
}

/** Runs every declared scenario (those whose "area: name" matches `filter`, if given). */
export async function runAll(filter?: RegExp): Promise<Summary> {
  const summary: Summary = { passed: 0, failed: 0 };
  const failures: string[] = [];
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
      summary.failed++;
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      failures.push(`${title}\n      ${message.split('\n').join('\n      ')}`);
      console.log(`    ✘ FAILED ${s.name} (${Date.now() - started} ms)`);
    }
  }
  if (failures.length) console.log(`\n  Failures:\n${failures.map((f, i) => `  ${i + 1}) ${f}`).join('\n')}`);
  console.log(`\n  ${summary.passed} passed, ${summary.failed} failed`);
  return summary;
}
