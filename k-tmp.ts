import { knowledgeOf } from './server/src/model/inputs/knownInputs';
import { lockedInput } from './server/src/model/inputs/lockIdentity';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
const lines = fs.readFileSync(0, 'utf8').trim().split('\n');
const corpus = ['../shared/corpus', '/work/clans'];
const seen = new Map<string, string>();
for (const line of lines) {
  const [count, clan, name] = line.split(' ');
  const dir = corpus.map((c) => `${c}/${clan}`).find((d) => fs.existsSync(d + '/flake.lock'));
  if (!dir) { console.log(count, clan, name, 'NO-LOCK'); continue; }
  const l = JSON.parse(fs.readFileSync(dir + '/flake.lock', 'utf8'));
  let node: any = l.nodes[l.root].inputs[name];
  if (Array.isArray(node)) { // follows
    let cur = l.nodes[l.root];
    for (const step of node) { const ref = cur.inputs[step]; cur = l.nodes[Array.isArray(ref) ? ref[0] : ref]; }
    node = null; const n = cur;
    if (!n?.locked) { console.log(count, clan, name, 'FOLLOWS-UNRESOLVED'); continue; }
    report(count, clan, name, n.locked); continue;
  }
  const n = l.nodes[node];
  if (!n?.locked) { console.log(count, clan, name, 'NOT-LOCKED (path or private)'); continue; }
  report(count, clan, name, n.locked);
}
function report(count: string, clan: string, name: string, locked: any) {
  const li = lockedInput(name, locked);
  const k = knowledgeOf(li);
  let status = k ? `KNOWN(${k.kind})` : '';
  const m = /^github:(.*)$/.exec(li.key ?? '');
  if (!k) {
    if (!li.key) status = 'NO-IDENTITY';
    else if (!m) status = `NOT-GITHUB ${li.key}`;
    else {
      const md = fs.readdirSync('/work/.mirror').find((d) => d.toLowerCase() === m[1].replace('/', '+').toLowerCase());
      if (!md) status = `NO-MIRROR ${m[1]}`;
      else { try { execFileSync('git', ['--git-dir', `/work/.mirror/${md}/repo`, 'cat-file', '-t', li.rev ?? 'x'], { stdio: 'pipe' }); status = 'REV-IN-MIRROR'; } catch { status = 'MIRROR-OLDER ' + execFileSync('git', ['--git-dir', `/work/.mirror/${md}/repo`, 'log', '-1', '--format=%cs'], { encoding: 'utf8' }).trim(); } }
    }
  }
  const lm = locked.lastModified ? new Date(locked.lastModified * 1000).toISOString().slice(0, 10) : '';
  console.log(count, clan, name, li.key, (li.rev ?? '').slice(0, 12), lm, status);
}
