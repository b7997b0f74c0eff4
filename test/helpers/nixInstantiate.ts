// Runs nix-instantiate (Debian package nix-bin) to evaluate expressions the way Nix does, batched:
// one process for every expression expected to succeed, one process each for expected errors.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const NIX_ARGS = ['--eval', '--strict', '--json', '--readonly-mode', '-E'];

export function nixVersion(): string | null {
  try {
    return execFileSync('nix-instantiate', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

export type NixResult = { json: string } | { error: string };

type NixRun = { code: number; stdout: string; stderr: string };

/**
 * Nix's answers do not change while only our evaluator does: mutation testing (mutation/run.mjs)
 * sets $CLAN_VARS_NIX_CACHE to a folder for the run, and each expression is evaluated by Nix once.
 */
const CACHE = process.env.CLAN_VARS_NIX_CACHE;

async function runNix(expr: string, cwd: string): Promise<NixRun> {
  if (!CACHE) return runNixNow(expr, cwd);
  const file = path.join(CACHE, createHash('sha256').update(`${cwd}\0${expr}`).digest('hex') + '.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as NixRun;
  } catch {
    const r = await runNixNow(expr, cwd);
    fs.mkdirSync(CACHE, { recursive: true });
    fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(r));
    fs.renameSync(`${file}.${process.pid}`, file);
    return r;
  }
}

function runNixNow(expr: string, cwd: string): Promise<NixRun> {
  return new Promise((resolve) => {
    execFile('nix-instantiate', [...NIX_ARGS, expr], { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NIX_PATH: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The message of Nix's first error, without "error: " and the position/trace that follows. */
export function errorMessage(stderr: string): string {
  let s = stderr.replace(/^(warning:.*\n)*/, '');
  s = s.replace(/^error: /, '');
  for (const cut of ['\n\n       at ', "\n(use '--show-trace'", '\n       … ']) {
    const i = s.indexOf(cut);
    if (i !== -1) s = s.slice(0, i);
  }
  return s.replace(/\n$/, '');
}

/** Each expression's `builtins.toJSON` text, in one nix-instantiate process; null if the batch fails. */
export async function nixBatch(exprs: string[], cwd: string): Promise<string[] | null> {
  if (!exprs.length) return [];
  const list = `map builtins.toJSON [\n${exprs.map((e) => `(${e})`).join('\n')}\n]`;
  const r = await runNix(list, cwd);
  if (r.code !== 0) return null;
  return JSON.parse(r.stdout) as string[];
}

/** One expression in its own process: its JSON, or its error message. */
export async function nixOne(expr: string, cwd: string): Promise<NixResult> {
  const r = await runNix(`builtins.toJSON (${expr})`, cwd);
  if (r.code === 0) return { json: JSON.parse(r.stdout) as string };
  return { error: errorMessage(r.stderr) };
}

/** Runs `fn` over items with at most `n` at a time. */
export async function pool<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}
