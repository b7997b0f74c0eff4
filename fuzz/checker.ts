// npm run fuzz:checker [-- --quick]
// The checker (dist/cli.js) on hostile directories: the tree of fuzz/hostile.ts with a 50 MB file
// of real Nix (also with --max-file-size raised past the parser's limit), and files rewritten,
// truncated, deleted and recreated while the checker reads them. It must exit 0 or 1 (never crash
// or report an internal error) within its time limit and still find the known mistake.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeHostileTree } from './hostile';
import { Rng, randomSeed } from './rng';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');

function runChecker(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const p = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/** Rewrites, truncates, deletes and recreates files until stopped. */
function churn(dir: string, rng: Rng): () => void {
  const files = Array.from({ length: 20 }, (_, i) => path.join(dir, 'churn', `f${i}.nix`));
  fs.mkdirSync(path.join(dir, 'churn'), { recursive: true });
  let running = true;
  const step = () => {
    if (!running) return;
    for (let i = 0; i < 20; i++) {
      const f = rng.pick(files);
      try {
        const kind = rng.int(0, 3);
        if (kind === 0) fs.rmSync(f, { force: true });
        else if (kind === 1) fs.writeFileSync(f, `{ clan.core.vars.generators.c${rng.int(0, 9)}.dependencies = [ "c${rng.int(0, 9)}" ]; }\n`.repeat(rng.int(1, 2000)));
        else if (kind === 2) fs.truncateSync(f, rng.int(0, 50));
        else fs.writeFileSync(f, Buffer.from([0xff, 0x00, 0x7b]));
      } catch {
        /* a race with ourselves is fine */
      }
    }
    setImmediate(step);
  };
  step();
  return () => {
    running = false;
  };
}

async function main(): Promise<number> {
  const quick = process.argv.includes('--quick');
  const seedArg = process.argv.indexOf('--seed');
  const seed = seedArg > 0 ? Number(process.argv[seedArg + 1]) >>> 0 : randomSeed();
  const rng = new Rng(seed);
  console.log(`fuzz:checker: seed ${seed}${quick ? ' (quick)' : ''}`);
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-checker-fuzz-')));
  const failures: string[] = [];
  try {
    writeHostileTree(root, { heavy: !quick });
    const cases: { name: string; args: string[]; churn: boolean }[] = [
      { name: 'hostile tree', args: [root], churn: false },
      { name: 'hostile tree, files changing while read', args: [root], churn: true },
      { name: 'hostile tree, --max-file-size past the parser limit', args: ['--max-file-size', '100000000', root], churn: false },
    ];
    for (const c of quick ? cases.slice(0, 2) : cases) {
      for (let i = 0; i < (c.churn ? (quick ? 3 : 10) : 1); i++) {
        const stop = c.churn ? churn(root, rng) : () => {};
        const r = await runChecker(['--format', 'json', ...c.args], 120_000);
        stop();
        const problems: string[] = [];
        if (r.code !== 0 && r.code !== 1) problems.push(`exit status ${r.code}`);
        if (/internal error|uncaught|RangeError|TypeError/.test(r.stderr)) problems.push(`stderr: ${r.stderr.slice(0, 2000)}`);
        if (!r.stdout.includes('"code": "unknown-dependency"')) problems.push('the known mistake (machines/mistake.nix) was not reported');
        console.log(`${c.name}${c.churn ? ` #${i + 1}` : ''}: exit ${r.code} in ${r.ms} ms${problems.length ? ' FAILED' : ''}`);
        failures.push(...problems.map((p) => `${c.name}: ${p}`));
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  if (failures.length) console.log(`\nFAILED (seed ${seed}):\n- ${failures.join('\n- ')}`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e);
    process.exitCode = 2;
  },
);
