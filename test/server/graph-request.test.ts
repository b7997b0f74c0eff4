// clanVars/dependencyGraph and clanVars/generatorAt, driven over stdio as the extension does.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { DependencyGraphResult, GeneratorAtResult } from '../../server/src/lsp/protocol';
import { TestClient, uri } from '../helpers/lspClient';
import { generatorNix } from '../helpers/graphClan';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

test('server: the graph of the clan, filtered and laid out; live after an edit; generatorAt', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'machines/m1/a.nix': generatorNix({ a: { deps: ['b'] }, b: { deps: ['a'] } }),
    'machines/m2/c.nix': generatorNix({ c: { deps: ['gone'] } }),
  });
  roots.push(root);
  const c = await TestClient.start(root);
  clients.push(c);
  const result = await c.conn.sendRequest<DependencyGraphResult>('clanVars/dependencyGraph', { uri: uri(path.join(root, 'machines/m1/a.nix')) });
  assert.equal(result.graph.root, root);
  assert.deepEqual(result.roots, [{ root, generators: 3 }]);
  assert.deepEqual(result.graph.nodes.map((n) => n.id), ['g:a', 'g:b', 'g:c', 'u:gone']);
  assert.deepEqual(result.graph.edges.filter((e) => e.cycle).map((e) => e.id), ['g:a->g:b', 'g:b->g:a']);
  assert.match(result.graph.edges.find((e) => e.unknown)!.message!, /No generator named 'gone'/);
  assert.equal(result.layout.nodes.length, 4);
  assert.equal(result.total, 3);

  const m1 = await c.conn.sendRequest<DependencyGraphResult>('clanVars/dependencyGraph', { filter: { machine: 'm1' } });
  assert.deepEqual(m1.graph.nodes.map((n) => n.name), ['a', 'b']);

  const file = path.join(root, 'machines/m2/c.nix');
  const text = generatorNix({ c: { deps: ['gone'] } });
  c.open(file, text);
  const line = text.split('\n').findIndex((l) => l.includes('"gone"'));
  c.change(file, { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, '    "c" = { script = "true"; };\n    "d" = { dependencies = [ "c" ]; };\n');
  const after = await c.conn.sendRequest<DependencyGraphResult>('clanVars/dependencyGraph', { root });
  assert.deepEqual(after.graph.nodes.map((n) => n.id), ['g:a', 'g:b', 'g:c', 'g:d']);

  const at = await c.conn.sendRequest<GeneratorAtResult>('clanVars/generatorAt', { uri: uri(file), line: line + 1 });
  assert.deepEqual(at, { name: 'd', root });
  const none = await c.conn.sendRequest<GeneratorAtResult>('clanVars/generatorAt', { uri: 'not a uri', line: 'x' });
  assert.deepEqual(none, { name: null, root: null });
});

test("server: a generator with an error in the Problems panel is drawn in error, its details list it; one with none is not", async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'machines/m/gens.nix': `{
  clan.core.vars.generators.shiori = {
    files.env = { };
    script = ''
      echo x > $secrets/env
    '';
  };
  clan.core.vars.generators.fine = {
    files.k = { };
    script = "echo x > $out/k";
  };
}
`,
  });
  roots.push(root);
  const c = await TestClient.start(root);
  clients.push(c);
  const result = await c.conn.sendRequest<DependencyGraphResult>('clanVars/dependencyGraph', { root });
  const node = (name: string) => result.graph.nodes.find((n) => n.name === name)!;
  assert.equal(node('shiori').severity, 'error');
  assert.ok(node('shiori').problems?.some((p) => /^error: The script of generator 'shiori' writes to \$secrets/.test(p)), JSON.stringify(node('shiori').problems));
  assert.equal(node('fine').severity, undefined);
  assert.equal(node('fine').problems, undefined);
});

test('server: while a file has a syntax error, the graph keeps its generators from the error on as they last parsed', async () => {
  const good = [
    '{ ... }: {',
    '  clan.core.vars.generators.one = { files.key = { }; script = "touch $out/key"; };',
    '  clan.core.vars.generators.two = {',
    '    dependencies = [ "one" ];',
    '    files.key = { };',
    '    script = "cat $in/one/key > $out/key";',
    '  };',
    '  clan.core.vars.generators.three = {',
    '    dependencies = [ "one" "two" ];',
    '    files.key = { };',
    '    script = "cat $in/one/key $in/two/key > $out/key";',
    '  };',
    '}',
    '',
  ].join('\n');
  const root = writeTree({ 'flake.nix': '{ }', 'machines/m1/configuration.nix': good });
  roots.push(root);
  const c = await TestClient.startInProcess(root, { testHooks: true });
  clients.push(c);
  const file = path.join(root, 'machines/m1/configuration.nix');
  c.open(file, good);
  const shape = async () => {
    // the server's own word that it has done what it was sent: on a loaded machine a parse that ran
    // out of its time is put off (the document's back-off), and a request meanwhile gets the facts of
    // before the edit, as typing in a slow document should
    await c.conn.sendRequest('clanVars/test/idle');
    const { graph } = await c.conn.sendRequest<DependencyGraphResult>('clanVars/dependencyGraph', { root });
    return { nodes: graph.nodes.map((n) => `${n.id}${n.stale ? ` stale@${n.stale.line}` : ''}`), edges: graph.edges.map((e) => e.id), machines: graph.nodes.map((n) => n.machines.join(',')) };
  };
  const edges = ['g:three->g:one', 'g:three->g:two', 'g:two->g:one'];
  assert.deepEqual(await shape(), { nodes: ['g:one', 'g:three', 'g:two'], edges, machines: ['m1', 'm1', 'm1'] });

  // a quote opened in two's dependencies swallows the rest of the file: two and three as they were
  c.change(file, { start: { line: 3, character: 25 }, end: { line: 3, character: 26 } }, "");
  assert.deepEqual(await shape(), { nodes: ['g:one', 'g:three stale@3', 'g:two stale@3'], edges, machines: ['m1', 'm1', 'm1'] });

  // typed on: a half-written dependency in three leaves one and two as they are now
  c.change(file, { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, '    dependencies = [ "one" ];\n');
  c.change(file, { start: { line: 8, character: 31 }, end: { line: 8, character: 32 } }, "");
  const typed = await shape();
  assert.deepEqual(typed.nodes, ['g:one', 'g:three stale@8', 'g:two']);
  assert.deepEqual(typed.edges, edges);

  // fixed: the graph of the text again, nothing stale
  c.change(file, { start: { line: 0, character: 0 }, end: { line: 14, character: 0 } }, good.replace('"one" "two"', '"two"'));
  assert.deepEqual(await shape(), { nodes: ['g:one', 'g:three', 'g:two'], edges: ['g:three->g:two', 'g:two->g:one'], machines: ['m1', 'm1', 'm1'] });
});
