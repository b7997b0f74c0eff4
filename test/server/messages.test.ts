// The editor's diagnostics are short (the Problems panel shows one line): what is wrong and what to
// do, with any did-you-mean; the explanation (clan's own error text) is left to the code's docs link
// and to the checker's output.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { TestClient } from '../helpers/lspClient';
import { removeTree, writeTree } from '../helpers/tempClan';
import { analyze } from '../helpers/analyze';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const FILES: Record<string, string> = {
  'flake.nix': '{ }',
  'lib/secret-registry.nix': `{ pkgs ? null }:\n{\n  deepseek = { generator = "deepseek-api-key"; };\n}\n`,
  'lib/machine-env-matrix.nix': `{ lea = [ "deepsek" ]; }\n`,
  'lib/vars-generators.nix': `{ keys, pkgs ? null }: { }\n`,
  'machines/lea/default.nix': `{ lib, ... }:
{
  imports = [ (lib.modules.importApply ../../lib/vars-generators.nix { keys = [ "deepseek" ]; }) ];
  clan.core.vars.generators.a = { dependencies = [ "b" "open-ssh" ]; files.x = { }; script = "cat $in/c/x > $out/x"; };
  clan.core.vars.generators.b = { dependencies = [ "a" ]; files.x = { }; script = "touch $out/x"; };
  clan.core.vars.generators.openssh = { files.x = { }; script = "touch $out/x"; };
}
`,
};

test('diagnostics in the editor are one short line; the checker prints the explanation after it', async () => {
  const root = writeTree(FILES);
  roots.push(root);
  const c = await TestClient.start(root);
  try {
    await c.waitReady();
    await c.waitEvaluated();
    const file = (rel: string) => `${root}/${rel}`;
    const matrix = await c.waitForDiagnostics(file('lib/machine-env-matrix.nix'), (d) => d.some((x) => x.code === 'unknown-registry-key'));
    const machine = await c.waitForDiagnostics(file('machines/lea/default.nix'), (d) => ['import-apply-generators', 'unknown-dependency', 'dependency-cycle', 'unknown-input'].every((code) => d.some((x) => x.code === code)));
    const shown = [...matrix, ...machine]
      .filter((d) => ['unknown-registry-key', 'import-apply-generators', 'unknown-dependency', 'dependency-cycle', 'unknown-input'].includes(String(d.code)))
      .map((d) => ({ code: d.code, message: typeof d.message === 'string' ? d.message : d.message.value }));
    for (const d of shown) {
      assert.ok(d.message.length <= 170, `${d.code}: ${d.message.length} characters: ${d.message}`);
      assert.doesNotMatch(d.message, /stops with|throws|graphlib|clanInternals|so the read fails/, `${d.code}: the explanation stays out: ${d.message}`);
    }
    assert.match(shown.find((d) => d.code === 'unknown-registry-key')!.message, /Did you mean 'deepseek'\?$/);
    assert.match(shown.find((d) => d.code === 'unknown-dependency')!.message, /Did you mean 'openssh'\?$/);
    // the checker's text keeps the explanation
    const found = (await analyze(root)).found;
    assert.match(found.find((f) => f.code === 'unknown-dependency')!.message, /Did you mean 'openssh'\? clan vars generate stops with "Generator 'a' depends on 'open-ssh', but 'open-ssh' was not found"\.$/);
  } finally {
    await c.stop();
  }
});
