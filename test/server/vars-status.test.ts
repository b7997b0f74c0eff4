// The vars requests over stdio, as the extension sends them: the state of vars, a re-scan after
// clan wrote to disk (here the stand-in clan), and `clan vars check` output turned into problems.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execClan } from '../../client/src/vars/execClan';
import { CHECK_OUTPUT_REQUEST, RESCAN_VARS_REQUEST, VARS_STATUS_REQUEST } from '../../server/src/lsp/protocol';
import { FAKE_CLAN } from '../helpers/fakeClan';
import { TestClient } from '../helpers/lspClient';
import { removeTree, writeTree } from '../helpers/tempClan';

const DECL = `{
  clan.core.vars.generators.ssh = {
    files.key = { };
    files."key.pub".secret = false;
    validation = { v = 1; };
    script = "ssh-keygen";
  };
}
`;
const SPEC = { machines: { web: { ssh: { files: { key: {}, 'key.pub': { secret: false } }, validationHash: 'afbf9d0f3560b0fd7795e81c42a0a79ee6b6fc67e064f77826aee642cad28d91' } } } };

test('vars status, re-scan after a clan run, and check output over stdio', async () => {
  const root = writeTree({ 'flake.nix': '{ }', 'machines/web/configuration.nix': DECL, 'fake-clan.json': JSON.stringify(SPEC) });
  const client = await TestClient.start(root);
  try {
    await client.waitReady();
    const status = () => client.send(VARS_STATUS_REQUEST, { root });
    const before = await status();
    assert.equal(before.clans.length, 1);
    const web = before.clans[0].machines.find((m) => m.name === 'web')!;
    assert.deepEqual(web.sources, ['machines-dir']);
    assert.equal(web.generators[0].state, 'missing');
    assert.equal(web.generators[0].validation.kind, 'absent');

    const check = await execClan([FAKE_CLAN, 'vars', 'check'], root);
    assert.equal(check.exitCode, 1);
    const problems = await client.send(CHECK_OUTPUT_REQUEST, { root, output: check.stderr });
    assert.deepEqual(
      problems.problems.map((p) => `${p.file.slice(root.length + 1)}:${p.range.start.line} ${p.code}`),
      ['machines/web/configuration.nix:1 clan-vars-check', 'machines/web/configuration.nix:1 clan-vars-check', 'machines/web/configuration.nix:1 clan-vars-check'],
    );

    const gen = await execClan([FAKE_CLAN, 'vars', 'generate', 'web'], root);
    assert.equal(gen.exitCode, 0, gen.stderr);
    await client.send(RESCAN_VARS_REQUEST, { root });
    const after = await status();
    const g = after.clans[0].machines.find((m) => m.name === 'web')!.generators[0];
    assert.equal(g.state, 'generated', JSON.stringify(g.validation));
    assert.equal(g.validation.kind, 'match');
    assert.deepEqual(g.files.map((f) => `${f.name}:${f.state}`), ['key:generated', 'key.pub:generated']);
    assert.equal(g.validation.stored, SPEC.machines.web.ssh.validationHash);
    assert.equal(g.validation.expected, g.validation.stored, 'the stand-in stores the hash the editor computes for { v = 1; }');

    // a request for an unknown root and garbage params are answered, not crashed on
    const none = await client.send(VARS_STATUS_REQUEST, { root: '/nonexistent/clan' });
    assert.equal(none.clans.length, 1);
    // garbage from a client that does not follow the protocol's types
    const odd = await client.send(CHECK_OUTPUT_REQUEST, { root, output: 42 as unknown as string });
    assert.deepEqual(odd.problems, []);
  } finally {
    await client.stop();
    removeTree(root);
  }
});
