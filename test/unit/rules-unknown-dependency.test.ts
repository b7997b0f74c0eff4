// unknown-dependency, from what clan does (issue 53: the mutants that survived the rule's tests):
// `clan vars generate` stops with "Generator 'g' depends on 'd', but 'd' was not found". The finding
// names where the name is declared instead (another machine's per-machine generator: no "did you
// mean", the fix is to declare it there or share it), offers the closest name as an unsafe quick fix
// that writes it as a Nix string, and on a machine some of whose modules were not read says that
// clan stops unless one of those declares it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import type { Problem } from '../../server/src/base/types';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

async function findings(files: Record<string, string>): Promise<Problem[]> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const { problems } = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return problems.filter((p) => p.code === 'unknown-dependency');
}

test('a typo: an error with the closest name, offered as an unsafe quick fix writing it as a Nix string at the dependency', async () => {
  const [p, ...rest] = await findings({
    'machines/a/configuration.nix': '{\n  clan.core.vars.generators.wireguard-key = { files.k = { }; script = "echo > $out/k"; };\n  clan.core.vars.generators.peers = { dependencies = [ "wireguard-kye" ]; files.p = { }; script = "echo > $out/p"; };\n}\n',
  });
  assert.deepEqual(rest, []);
  assert.equal(p.severity, 'error');
  assert.equal(p.message, "No generator named 'wireguard-kye' is declared for machine 'a', nor as a shared generator. Did you mean 'wireguard-key'?");
  assert.equal(p.explanation, `clan vars generate stops with "Generator 'peers' depends on 'wireguard-kye', but 'wireguard-kye' was not found".`);
  assert.equal(p.fixes?.length, 1);
  const [fix] = p.fixes!;
  assert.equal(fix.title, "Change to 'wireguard-key'");
  assert.equal(fix.safe, false);
  assert.deepEqual(fix.edits, [{ file: p.file, range: p.range, newText: '"wireguard-key"' }]);
  assert.deepEqual(p.range, { start: { line: 2, character: 55 }, end: { line: 2, character: 70 } });
});

test("another machine's per-machine generator: where it is declared, no did-you-mean and no fix", async () => {
  const [p, ...rest] = await findings({
    'machines/a/configuration.nix': '{ imports = [ ../../modules/peers.nix ]; }\n',
    'machines/b/configuration.nix': '{ clan.core.vars.generators.wireguard-key = { files.k = { }; script = "echo > $out/k"; }; }\n',
    'modules/peers.nix': '{ clan.core.vars.generators.peers = { dependencies = [ "wireguard-key" ]; files.p = { }; script = "echo > $out/p"; }; }\n',
  });
  assert.deepEqual(rest, []);
  assert.equal(p.severity, 'error');
  assert.equal(p.message, "'wireguard-key' is a per-machine generator of 'b', not of machine 'a': declare it there too, or make it shared (share = true).");
  assert.deepEqual(p.fixes, []);
});

test('on a machine with a module that could not be read: a warning, and clan stops unless that module declares the name', async () => {
  const [p, ...rest] = await findings({
    'machines/a/configuration.nix': '{ inputs, ... }: {\n  imports = [ inputs.mystery.nixosModules.default ];\n  clan.core.vars.generators.wireguard-key = { files.k = { }; script = "echo > $out/k"; };\n  clan.core.vars.generators.peers = { dependencies = [ "wireguard-kye" ]; files.p = { }; script = "echo > $out/p"; };\n}\n',
  });
  assert.deepEqual(rest, []);
  assert.equal(p.severity, 'warning');
  assert.match(p.message, /^No module we can read declares a generator 'wireguard-kye' for machine 'a'\. Did you mean 'wireguard-key'\? /);
  assert.equal(p.explanation, `clan vars generate stops with "Generator 'peers' depends on 'wireguard-kye', but 'wireguard-kye' was not found", unless a module we could not read declares it.`);
  assert.equal(p.fixes?.[0]?.edits[0]?.newText, '"wireguard-key"');
});
