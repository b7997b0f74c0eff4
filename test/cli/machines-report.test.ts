// `clan-vars-lint --machines text|json` as a user runs it: per machine, the import chain of each
// generator, and after each reason a machine is open, what would make it known. `unknowns` stays
// an array of strings (others read it); the hints are a parallel array.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const BIN = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const roots: string[] = [];
after(() => roots.forEach(removeTree));

function clan() {
  const store = writeTree({ keep: '' }); // an empty Nix store: the locked input is not on this machine
  const root = writeTree({
    'flake.nix': '{ }\n',
    'flake.lock': JSON.stringify({ version: 7, root: 'root', nodes: { root: { inputs: { mystery: 'mystery', srvos: 'srvos' } }, srvos: { locked: { type: 'github', owner: 'nix-community', repo: 'srvos', rev: '2077eec5063fce46b8c9e0754c4753542bb4f5f9', narHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' }, original: {} }, mystery: { locked: { type: 'github', owner: 'someone', repo: 'mystery', rev: '0'.repeat(40), narHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' }, original: {} } } }),
    'machines/a/configuration.nix': '{ inputs, lib, ... }: { imports = [ ../../modules/web inputs.mystery.nixosModules.default (lib.mkModule 1) ]; clan.core.settings.state-version.enable = true; }\n',
    'modules/web/default.nix': '{ imports = [ ./tls.nix ]; }\n',
    'modules/web/tls.nix': '{ clan.core.vars.generators.tls = { files.cert = { }; script = "echo > $out/cert"; }; }\n',
  });
  roots.push(store, root);
  return { root, env: { ...process.env, NIX_STORE_DIR: store } };
}

function lint(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--machines json: chains per generator, unknowns as strings, a hint for each', () => {
  const { root, env } = clan();
  const r = lint(['--machines', 'json', '--no-cache', root], env);
  assert.equal(r.code, 0, r.stderr);
  const [a] = (JSON.parse(r.stdout) as { machines: { name: string; chains: Record<string, string[]>; unknowns: string[]; hints: { kind: string; text: string }[] }[] }[])[0].machines;
  assert.deepEqual(a.chains, {
    // clan-core's own generator, turned on by the machine (clan-core is not read here; on only by default, a module not read could turn it off)
    'state-version': ["clan-core's clanCore module (every NixOS machine has it; clan.core.settings.state-version.enable)", 'clan-core:nixosModules/clanCore/state-version/default.nix'],
    tls: ['machines/a/configuration.nix', 'modules/web/default.nix', 'modules/web/tls.nix'],
  });
  assert.deepEqual(a.unknowns, ["a module of flake input 'mystery' (inputs.mystery.nixosModules.default), not on this machine", 'a module not known statically (lib.mkModule 1)']);
  assert.deepEqual(a.hints.map((h) => h.kind), ['fetch', 'none']);
  assert.match(a.hints[0].text, /clan-vars-lint --fetch-inputs/);
  const { inputs } = (JSON.parse(r.stdout) as { inputs: { name: string; read: string; what?: string }[] }[])[0];
  assert.deepEqual(inputs.map((i) => `${i.name} ${i.read}`), ['mystery missing', 'srvos shipped']);
  assert.match(inputs[1].what!, /^no clan vars generators in github:nix-community\/srvos at 2077eec5063f, the locked revision/);
});

test('--machines text: the chain after each generator, what to do after each reason', () => {
  const { root, env } = clan();
  const r = lint(['--machines', 'text', '--no-cache', root], env);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines.slice(lines.indexOf('  generator declarations with no machine: 0') + 1), ['  flake inputs known from the summary shipped with Clan Vars (not on this machine):', lines.find((l) => l.startsWith('    srvos: no clan vars generators in github:nix-community/srvos')), '  flake inputs neither on this machine nor known: mystery', '']);
  assert.deepEqual(lines.slice(1, lines.indexOf('  generator declarations with no machine: 0')), [
    '  a (nixos; from machines-dir): 3 modules, 2 generators',
    '    generators:',
    "      state-version  <- clan-core's clanCore module (every NixOS machine has it; clan.core.settings.state-version.enable) > clan-core:nixosModules/clanCore/state-version/default.nix",
    '      tls            <- machines/a/configuration.nix > modules/web/default.nix > modules/web/tls.nix',
    "    may have more generators: a module of flake input 'mystery' (inputs.mystery.nixosModules.default), not on this machine",
    '      -> fetch the flake inputs: clan-vars-lint --fetch-inputs, or the command "Clan Vars: Fetch Flake Inputs"',
    '    may have more generators: a module not known statically (lib.mkModule 1)',
    '      -> nothing to fetch or set: known only when Nix evaluates it',
    '    vars (sops): state-version missing, tls missing',
  ]);
  assert.match(lines[0], /: 1 machine; secrets in sops \(the default\)$/);
});

test('--machines: a computed name declared by two modules of a machine is listed and counted once', () => {
  const root = writeTree({
    'flake.nix': '{ }\n',
    'machines/a/configuration.nix': '{ imports = [ ../../modules/one.nix ../../modules/two.nix ]; }\n',
    'modules/one.nix': '{ config, ... }: { clan.core.vars.generators."wireguard-network-${config.x}" = { files.k = { }; }; }\n',
    'modules/two.nix': '{ config, ... }: { clan.core.vars.generators."wireguard-network-${config.x}" = { files.k = { }; }; }\n',
  });
  roots.push(root);
  const json = lint(['--machines', 'json', '--no-cache', root], process.env);
  assert.deepEqual((JSON.parse(json.stdout) as { machines: { computedNames: string[] }[] }[])[0].machines[0].computedNames, ['wireguard-network-*']);
  const text = lint(['--machines', '--no-cache', root], process.env).stdout;
  assert.match(text, /generators? \+ 1 computed names?\n/);
  assert.match(text, /^ {4}computed names: wireguard-network-\*$/m);
});

test('--machines text: a generator whose presence is not known (an option set from a value not known statically) is one it may have, not a computed name', () => {
  const root = writeTree({
    'flake.nix': '{ }\n',
    'machines/a/configuration.nix': '{ config, ... }: {\n  clan.core.settings.machine-id.enable = config.x;\n  clan.core.vars.generators."wireguard-network-${config.x}" = { files.k = { }; };\n}\n',
  });
  roots.push(root);
  const json = lint(['--machines', 'json', '--no-cache', root], process.env);
  assert.deepEqual((JSON.parse(json.stdout) as { machines: { computedNames: string[] }[] }[])[0].machines[0].computedNames.sort(), ['machine-id', 'wireguard-network-*']);
  const lines = lint(['--machines', '--no-cache', root], process.env).stdout.split('\n');
  assert.match(lines[1], /: 1 module, 1 generator \+ 1 it may have \+ 1 computed name$/);
  assert.deepEqual(lines.filter((l) => /^ {4}(generators it may have|computed names):/.test(l)), ['    generators it may have: machine-id', '    computed names: wireguard-network-*']);
});
