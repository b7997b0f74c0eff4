// The vars on disk of a clan whose vars/ and sops/ lead out of it (security issue 52, finding 4): a
// folder linked out holds nothing (the old scan listed the folder it pointed to, its names became
// machines), and a sops secret's user link leading out is a broken link whose key.json is not read.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { scanVarsOnDisk } from '../../server/src/model/varsOnDisk';
import { SECRET } from '../helpers/outsideReads';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const SOPS_SECRET = '{"data": "ENC[AES256_GCM,data:x,iv:x,tag:x,type:str]", "sops": {"age": [{"recipient": "age1x", "enc": "x"}]}}';

test('vars on disk: links out of the clan are not followed, and nothing read there is kept', () => {
  const base = writeTree({
    'clan/flake.nix': '{ }\n',
    'clan/vars/per-machine/m/gen/key/secret': SOPS_SECRET,
    'clan/sops/users/alice/key.json': '{"publickey": "age1alice", "type": "age"}',
    'outside/users/eve/key.json': `{"publickey": "age1${SECRET}", "type": "age"}`,
    [`outside/secrets/per-machine/${SECRET}machine/gen/key/key.age`]: 'x',
  });
  roots.push(base);
  const clan = path.join(base, 'clan');
  const secretDir = path.join(clan, 'vars/per-machine/m/gen/key');
  fs.mkdirSync(path.join(secretDir, 'users'));
  fs.symlinkSync('../../../../../../sops/users/alice', path.join(secretDir, 'users/alice'));
  fs.symlinkSync(path.join(base, 'outside/users/eve'), path.join(secretDir, 'users/eve'));
  fs.mkdirSync(path.join(clan, 'secrets'));
  fs.symlinkSync(path.join(base, 'outside/secrets'), path.join(clan, 'secrets/clan-vars'));
  const scan = scanVarsOnDisk(clan);
  assert.ok(!JSON.stringify([...scan.machines, ...scan.vars.map((v) => v.links)]).includes(SECRET), JSON.stringify(scan, null, 1));
  assert.deepEqual([...scan.machines], ['m']);
  assert.deepEqual(scan.vars.map((v) => `${v.ref.machine}/${v.ref.generator}/${v.ref.file} ${v.kind}`), ['m/gen/key sops']);
  const [alice, eve] = scan.vars[0].links;
  assert.deepEqual(alice.keys.map((k) => k.key.publickey), ['age1alice']);
  assert.deepEqual(eve.keys, []);
  assert.equal(eve.problem, `user eve: the link points to ${path.join(base, 'outside/users/eve')}, outside the clan`);
});
