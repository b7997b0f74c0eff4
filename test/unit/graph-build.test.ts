// Graph building: nodes, machine membership, shared marks, files, on-disk state, cycles and unknown
// dependencies with the rules' messages, and filters.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { filterGraph } from '../../server/src/ide/graph/filter';
import { generatorNix, graphOf } from '../helpers/graphClan';
import { EXAMPLE_CLAN, removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));
const tree = (files: Record<string, string>) => {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  return root;
};

test('the example clan: machines from paths and the matrix, shared, files, an unknown dependency', async () => {
  const g = await graphOf(EXAMPLE_CLAN);
  const node = (name: string) => g.nodes.find((n) => n.name === name)!;
  assert.deepEqual(node('borgbackup').machines, ['zoe']);
  assert.deepEqual(node('gmail-app-password').machines, ['emily', 'lea']);
  assert.equal(node('gmail-app-password').origin, 'registry');
  assert.equal(node('openssh-ca').shared, true);
  assert.deepEqual(node('openssh').files, [
    { name: 'ssh.id_ed25519', secret: true, deploy: true },
    { name: 'ssh.id_ed25519.pub', secret: false, deploy: true },
  ]);
  assert.equal(node('openssh-ca').files[0].deploy, false);
  assert.deepEqual(g.machines, ['emily', 'lea', 'zoe']);
  const unknown = node('open-ssh');
  assert.equal(unknown.kind, 'unknown');
  assert.match(unknown.problems![0], /No generator named 'open-ssh'.*Did you mean 'openssh'\?/);
  const edge = g.edges.find((e) => e.to === unknown.id)!;
  assert.equal(edge.from, 'g:borgbackup');
  assert.equal(edge.unknown, true);
  assert.match(edge.message!, /No generator named 'open-ssh'/);
  assert.deepEqual(
    g.edges.filter((e) => !e.unknown).map((e) => `${e.from} -> ${e.to}`),
    ['g:openssh-cert -> g:openssh', 'g:openssh-cert -> g:openssh-ca'],
  );
});

test('a cycle marks exactly its edges, with the rule message', async () => {
  const g = await graphOf(
    tree({ 'modules/a.nix': generatorNix({ a: { deps: ['b'] }, b: { deps: ['c'] }, c: { deps: ['a'] }, d: { deps: ['a'] }, e: { deps: ['e'] } }) }),
  );
  const cyc = g.edges.filter((e) => e.cycle).map((e) => e.id);
  assert.deepEqual(cyc, ['g:a->g:b', 'g:b->g:c', 'g:c->g:a', 'g:e->g:e']);
  const ab = g.edges.find((e) => e.id === 'g:a->g:b')!;
  assert.match(ab.message!, /Dependency cycle: a → b → c → a/);
  assert.equal(g.edges.find((e) => e.id === 'g:d->g:a')!.cycle, false);
});

test('on-disk state: generated, partial, missing per machine and for shared generators', async () => {
  const root = tree({
    'machines/m1/gens.nix': generatorNix({ full: { files: { k: true, 'k.pub': false } }, half: { files: { a: true, b: true } }, none: { files: { x: true } } }),
    'modules/shared.nix': generatorNix({ ca: { share: true, files: { key: true } } }),
    'vars/per-machine/m1/full/k/secret': '{}',
    'vars/per-machine/m1/full/k.pub/value': 'pub',
    'vars/per-machine/m1/half/a/secret': '{}',
    'vars/shared/ca/key/secret': '{}',
  });
  const g = await graphOf(root);
  const state = Object.fromEntries(g.nodes.map((n) => [n.name, n.state]));
  assert.deepEqual(state, { full: 'generated', half: 'partial', none: 'missing', ca: 'generated' });
});

test('no vars on disk: no state at all', async () => {
  const g = await graphOf(tree({ 'machines/m1/gens.nix': generatorNix({ a: { files: { k: true } } }) }));
  assert.equal(g.nodes[0].state, undefined);
});

test('filters: one machine with its dependencies; one generator with its neighbourhood', async () => {
  const g = await graphOf(
    tree({
      'machines/m1/a.nix': generatorNix({ a: { deps: ['lib'] } }),
      'machines/m2/b.nix': generatorNix({ b: { deps: ['lib'] }, c: {} }),
      'modules/lib.nix': generatorNix({ lib: { deps: ['base'] }, base: {}, other: {} }),
    }),
  );
  const names = (x: typeof g) => x.nodes.map((n) => n.name).sort();
  assert.deepEqual(names(filterGraph(g, { machine: 'm1' })), ['a', 'base', 'lib']);
  assert.deepEqual(names(filterGraph(g, { focus: 'lib' })), ['a', 'b', 'base', 'lib']);
  assert.deepEqual(names(filterGraph(g, { focus: 'g:a' })), ['a', 'base', 'lib']);
  assert.deepEqual(names(filterGraph(g, { focus: 'nope' })), []);
  assert.deepEqual(names(filterGraph(g, {})), names(g));
  assert.equal(filterGraph(g, { machine: 'm2' }).edges.length, 2);
});

test('hostile and computed names do not break building', async () => {
  const g = await graphOf(tree({ 'modules/x.nix': generatorNix({ '<img src=x onerror=alert(1)>': { deps: ['"quoted"\\'] } }) }));
  assert.ok(g.nodes.some((n) => n.name === '<img src=x onerror=alert(1)>'));
  assert.ok(g.nodes.some((n) => n.kind === 'unknown' && n.name === '"quoted"\\'));
});

test('a dependency on one of the computed names is drawn to their node, resolved, as the rules accept it (issue 55)', async () => {
  const root = tree({
    'machines/web/configuration.nix': '{ imports = [ ../../modules/mail.nix ../../modules/nextcloud.nix ]; }',
    'modules/mail.nix': '{ lib, config, ... }: { clan.core.vars.generators = lib.mapAttrs\' (user: _: lib.nameValuePair "${user}-mail" { files.password = { }; script = "pw > $out/password"; }) config.mail.users; }\n',
    'modules/nextcloud.nix': '{ clan.core.vars.generators.nextcloud = { dependencies = [ "nextcloud-mail" "nope" ]; files.x = { }; script = "cat $in/nextcloud-mail/password > $out/x"; }; }\n',
  });
  const g = await graphOf(root);
  const edges = g.edges.filter((e) => e.from === 'g:nextcloud');
  const computed = g.nodes.find((n) => n.name.includes('*'));
  assert.ok(computed, `a node for the computed names: ${g.nodes.map((n) => n.name).join(', ')}`);
  assert.deepEqual(
    edges.map((e) => `${e.to} ${e.unknown}`),
    [`${computed.id} false`, 'u:nope true'],
  );
  assert.match(edges[0].message!, /^nextcloud-mail: one of the generators named /);
});
