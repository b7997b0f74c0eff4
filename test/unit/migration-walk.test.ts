// Issue 60's promise, checked over every test clan (test/helpers/migrationClans.ts): each value
// stored for a facts service or sops-nix secret is moved by the migration script, or named in it as
// a step by hand, exactly once, whether the script is written before or after the rewrite. Then the
// whole move on the clan with every class: the rewrite, the script run against the stand-in `clan`
// and `sops` (clan-core's CLI syntax), in both orders.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { clanOfFolder, migrationScriptOfFolder } from '../../server/src/cli/folder';
import { migrationReport } from '../../server/src/ide/migrationReport';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { invocations } from '../helpers/fakeClan';
import { CLASS_CLANS, EVERY_CLASS, fakeSecret, type Stored, treeOf } from '../helpers/migrationClans';
import { getVar, MIGRATION_CODES, rewrite, runScript, stepLines, writeFakeClan } from '../helpers/migrationFlow';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** The step lines of a script that take up stored value `s`: a read of its file, or a step by hand naming it. */
function stepsFor(lines: string[], s: Stored): string[] {
  const secret = /^sops\/secrets\/([^/]+)\/secret$/.exec(s.file)?.[1];
  return lines.filter((l) => {
    if (!['move', 'move_if_stored', 'by_hand'].some((w) => l.startsWith(`${w} ${s.machine} `))) return false;
    if (l.startsWith('by_hand')) return secret ? l.includes(`clan secret ${secret}:`) : l.includes(s.file);
    return l.includes(` ./${s.file} `);
  });
}

const scriptLines = async (root: string) => stepLines(await migrationScriptOfFolder(root, DEFAULT_SETTINGS, () => {}));

test('the walk: every stored value of every facts service and sops-nix secret of each test clan is moved, or named by hand, exactly once, before and after the rewrite', async () => {
  const wrong: string[] = [];
  let walked = 0;
  for (const c of [...CLASS_CLANS, EVERY_CLASS]) {
    // the machine's own age key sits beside the facts as a clan secret: it is not one
    const root = writeTree({ ...treeOf(c), 'sops/secrets/alpha-age.key/secret': fakeSecret('AGE-SECRET-KEY-1') });
    roots.push(root);
    for (const when of ['before the rewrite', 'after the rewrite']) {
      if (when === 'after the rewrite') await rewrite(root);
      const lines = await scriptLines(root);
      for (const s of c.stored) {
        walked++;
        const taken = stepsFor(lines, s);
        const expected = s.varId ? `move ${s.machine} ${s.varId} ` : `by_hand ${s.machine} `;
        if (taken.length !== 1 || !taken[0].startsWith(expected)) wrong.push(`${c.name}, ${when}: ${s.of}: ${s.machine} ${s.file}: ${taken.length} steps${taken.length ? `:\n    ${taken.join('\n    ')}` : ''}`);
      }
      for (const l of lines.filter((x) => x.includes('age.key'))) wrong.push(`${c.name}, ${when}: the machine's key taken for a fact: ${l}`);
    }
  }
  assert.equal(walked, 2 * [...CLASS_CLANS, EVERY_CLASS].reduce((n, c) => n + c.stored.length, 0));
  assert.deepEqual(wrong, [], `${wrong.length} of ${walked}`);
});

type Order = 'script, then rewrite' | 'rewrite, then script';

test('the whole move on a clan with every class: written before or after the rewrite, the script sets each value once and names the rest by hand, with the same steps', async () => {
  const runs = new Map<Order, { steps: string[]; root: string }>();
  for (const order of ['script, then rewrite', 'rewrite, then script'] as Order[]) {
    const root = writeTree(treeOf(EVERY_CLASS));
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-classes-'));
    roots.push(root, scratch);
    const script = path.join(scratch, 'migrate-to-vars.sh');
    const write = async () => fs.writeFileSync(script, await migrationScriptOfFolder(root, DEFAULT_SETTINGS, () => {}));
    if (order === 'script, then rewrite') await write();
    assert.ok((await rewrite(root)) > 0);
    if (order === 'rewrite, then script') await write();
    // of the old systems, only what cannot be rewritten is left: the services named by a function
    const left = (await analyzeFolder(root, DEFAULT_SETTINGS, () => {})).problems.filter((p) => MIGRATION_CODES.has(p.code));
    assert.deepEqual(left.map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.code}`), ['modules/iwd.nix:9 facts-leftover'], order);
    const beta = fs.readFileSync(path.join(root, 'machines/beta/configuration.nix'), 'utf8');
    assert.match(beta, /files\.user-password-hash = \{ neededFor = "users"; \};/, order);
    assert.match(fs.readFileSync(path.join(root, 'modules/root-password.nix'), 'utf8'), /files\.password-hash = \{ neededFor = "users"; \};/, order);
    assert.match(fs.readFileSync(path.join(root, 'modules/wifi.nix'), 'utf8'), /export prompt_value="\$\(cat "\$prompts"\/prompt_value\)"/, order);
    await writeFakeClan(root, Object.keys(EVERY_CLASS.nix));
    const logs = { clan: path.join(scratch, 'clan.log'), sops: path.join(scratch, 'sops.log') };
    const run = runScript(root, script, logs);
    assert.equal(run.status, 1, `${order}: the steps by hand fail the run\n${run.out}`);
    const sets = invocations(logs.clan).filter((i) => i.argv[1] === 'set').map((i) => i.argv.slice(2).join(' '));
    const moved = EVERY_CLASS.stored.filter((s) => s.varId);
    assert.deepEqual(sets.sort(), moved.map((s) => `-- ${s.machine} ${s.varId}`).sort(), `${order}: each value set once\n${run.out}`);
    for (const s of moved) assert.deepEqual(getVar(root, s.machine, s.varId!), { status: 0, value: s.value }, `${order}: ${s.machine} ${s.varId}`);
    for (const s of EVERY_CLASS.stored.filter((x) => !x.varId)) {
      const named = s.file.startsWith('sops/') ? `clan secret ${s.file.split('/')[2]}` : s.file;
      assert.ok(run.out.split('\n').some((l) => l.startsWith(`by hand: ${s.machine} `) && l.includes(`${named}: `)), `${order}: ${s.file} named by hand\n${run.out}`);
    }
    runs.set(order, { steps: stepLines(fs.readFileSync(script, 'utf8')), root });
  }
  const [a, b] = [...runs.values()];
  assert.deepEqual(b.steps, a.steps, 'the same steps whichever the order');
  // the report names what is left to the user, with the reason
  const report = migrationReport(await clanOfFolder(a.root, DEFAULT_SETTINGS, () => {}));
  assert.match(report, /\| `iwd\.home` \| \| by hand: clan secret alpha-iwd\.home\\: no facts service the migration reads declares it/);
  assert.match(report, /\| `ssh\.id_ed25519\.pub` \| \| by hand: public fact machines\/alpha\/facts\/ssh\.id\\_ed25519\.pub\\: /);
});
