// Ranks the flake inputs that keep clan machines open: runs the checker (bin/clan-vars-lint.js
// --machines json, built by `npm run build`) on each clan folder given, with no Nix store
// (NIX_STORE_DIR=/nonexistent), and counts, per input identity (the key of the shipped knowledge,
// knownInputs.ts inputKey), the machines one of whose reasons for being open names that input
// ("a module of flake input 'srvos' (...)", "clan service 'x' from clan-core (...)").
// Run: node --import tsx scripts/open-inputs.ts [--save DIR | --from DIR] CLAN...
//   --save DIR  also writes each clan's report to DIR/<folder>.json
//   --from DIR  reads the reports from DIR instead of running the checker (a run saved earlier)
// Prints a markdown table: input, machines it keeps open, clans, and the machines for which it is
// the only kind of reason (knowing that input alone would close them).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFlakeLock } from '../server/src/base/flakeLock';
import { inputKey } from '../server/src/model/inputs/lockIdentity';

const repoRoot = path.resolve(__dirname, '..');

interface MachineReport {
  name: string;
  unknowns: string[];
}

/** The root inputs of a clan's lock: local name -> identity (or `<name> (no identity)`). */
function inputIdentities(clan: string): Map<string, string> {
  const out = new Map<string, string>();
  const file = path.join(clan, 'flake.lock');
  const lock = fs.existsSync(file) ? parseFlakeLock(fs.readFileSync(file, 'utf8')) : null;
  for (const [name, ref] of lock?.rootInputs() ?? []) {
    const node = lock!.node(ref);
    out.set(name, (node?.locked && inputKey(node.locked)) ?? `${name} (no identity)`);
  }
  return out;
}

/** The input a reason names, by its local name; null: the reason is not about an input. */
export function inputOfReason(reason: string): string | null {
  const m = /^a module of flake input '([^']+)'/.exec(reason) ?? /^clan service '[^']*' from ([^ ]+) \(/.exec(reason);
  return m && m[1] !== 'self' ? m[1] : null;
}

function report(clan: string, save: string | null, from: string | null): MachineReport[] {
  const name = path.basename(clan);
  let text: string;
  if (from) text = fs.readFileSync(path.join(from, `${name}.json`), 'utf8');
  else {
    text = execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'clan-vars-lint.js'), '--no-cache', '--machines', 'json', clan], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, NIX_STORE_DIR: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    if (save) fs.writeFileSync(path.join(save, `${name}.json`), text);
  }
  return (JSON.parse(text) as { machines: MachineReport[] }[]).flatMap((r) => r.machines);
}

function main(): void {
  const args = process.argv.slice(2);
  const opt = (flag: string) => {
    const i = args.indexOf(flag);
    if (i < 0) return null;
    const v = args[i + 1];
    args.splice(i, 2);
    return v ? path.resolve(v) : null;
  };
  const save = opt('--save');
  const from = opt('--from');
  if (save) fs.mkdirSync(save, { recursive: true });
  const rows = new Map<string, { machines: number; clans: Set<string>; only: number }>();
  let machines = 0;
  let open = 0;
  let openByInputsOnly = 0;
  for (const clan of args.map((a) => path.resolve(a))) {
    const ids = inputIdentities(clan);
    for (const m of report(clan, save, from)) {
      machines++;
      if (m.unknowns.length) open++;
      const named = new Set<string>();
      let other = false;
      for (const r of m.unknowns) {
        const input = inputOfReason(r);
        if (input) named.add(ids.get(input) ?? `${input} (not a root input)`);
        else other = true;
      }
      if (named.size && !other) openByInputsOnly++;
      for (const id of named) {
        const row = rows.get(id) ?? rows.set(id, { machines: 0, clans: new Set(), only: 0 }).get(id)!;
        row.machines++;
        row.clans.add(path.basename(clan));
        if (!other && named.size === 1) row.only++;
      }
    }
  }
  const out = [`${machines} machines, ${open} open, ${openByInputsOnly} open only because of flake inputs`, '', '| input | machines kept open | clans | machines it alone keeps open |', '|---|---|---|---|'];
  for (const [id, r] of [...rows].sort((a, b) => b[1].machines - a[1].machines || a[0].localeCompare(b[0]))) out.push(`| ${id} | ${r.machines} | ${r.clans.size} | ${r.only} |`);
  process.stdout.write(out.join('\n') + '\n');
}

if (require.main === module) main();
