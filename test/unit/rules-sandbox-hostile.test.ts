// sandbox-hostile, from what a clan user sees (the mutants that survived the rule's tests): clan runs
// a generator's script in a sandbox with an empty root, no network (bubblewrap on Linux) and no
// /dev/fd (sandbox-exec on macOS). The findings' exact messages, ranges and severity; `git` is a
// network command only with a network subcommand. Also the runtimeInputs / dependencies fixes
// (scriptEdits.addToList) and invalid-prompt-type after edits (the rules' declared inputs).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import type { Problem } from '../../server/src/base/types';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { NixParser } from '../../server/src/syntax/nixParser';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

async function findings(files: Record<string, string>, code: string): Promise<Problem[]> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const { problems } = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return problems.filter((p) => p.code === code).sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** A module with generator `g` writing `x`, running `script` (each line indented as written). */
function gen(script: string, extra = ''): string {
  return `{ pkgs, ... }:
{
  clan.core.vars.generators.g = {
    files.x = { };${extra}
    script = ''
${script}
    '';
  };
}
`;
}

/** `line:start-end severity: message`, 0-based lines and characters. */
const shown = (ps: Problem[]) => ps.map((p) => `${p.range.start.line}:${p.range.start.character}-${p.range.end.line}:${p.range.end.character} ${p.severity}: ${p.message}`);

test('sandbox-hostile: process substitution, a network tool, $HOME and a file under /etc: warnings with their exact messages and ranges', async () => {
  const ps = await findings({
    'm.nix': gen(`      diff <(echo a) x > $out/x || true
      curl https://example.com >> $out/x
      cat $HOME/.token >> $out/x
      cat /etc/ssl/cert.pem >> $out/x`, '\n    runtimeInputs = [ pkgs.curl pkgs.diffutils ];'),
  }, 'sandbox-hostile');
  assert.deepEqual(shown(ps), [
    "6:11-6:13 warning: Process substitution fails in clan's macOS sandbox (sandbox-exec denies /dev/fd), so generator 'g' cannot run there. Write to a temporary file or use a pipe instead.",
    "7:6-7:10 warning: 'curl' needs the network, but clan runs generators in a sandbox without network access (bubblewrap on Linux). Fetch the data at build time (a fixed-output derivation) or ask for it with a prompt.",
    '8:10-8:15 warning: The generator sandbox has an empty root: $HOME points to a directory that does not exist there. Pass the data in with a prompt or a dependency.',
    "9:10-9:27 warning: /etc/ssl/cert.pem does not exist in clan's generator sandbox (its root is empty; only /etc/passwd, /etc/group and /etc/hosts are created). Pass the data in with a prompt or a dependency.",
  ]);
});

test('sandbox-hostile: git is a network command only with a network subcommand right after it (after spaces or tabs)', async () => {
  const ps = await findings({
    'm.nix': gen(`      git clone https://example.com/r r
      git  fetch
      git\tls-remote origin
      git init r
      git --version >> $out/x
      git;  clone
      echo  pull fetch clone >> $out/x
      echo git clone >> $out/x`, '\n    runtimeInputs = [ pkgs.git ];'),
  }, 'sandbox-hostile');
  assert.deepEqual(shown(ps).map((s) => s.replace(/ needs the network.*/, '')), ["6:6-6:9 warning: 'git'", "7:6-7:9 warning: 'git'", "8:6-8:9 warning: 'git'"]);
});

/** The editor's analysis of a clan: the findings of `code` after the scan and after each edit of m.nix. */
async function afterEdits(files: Record<string, string>, code: string, edits: string[]): Promise<string[][]> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const messages = () => [...index.allProblems().values()].flat().filter((p) => p.code === code).map((p) => `${p.range.start.line} ${p.message}`);
  const out = [messages()];
  for (const text of edits) {
    index.updateFromText(`${root}/m.nix`, text);
    out.push(messages());
  }
  return out;
}

test('sandbox-hostile in the editor: a network tool typed into a script is found, and found no more once removed', async () => {
  const quiet = gen('      echo hi > $out/x');
  const loud = gen('      curl https://example.com > $out/x', '\n    runtimeInputs = [ pkgs.curl ];');
  const seen = await afterEdits({ 'm.nix': quiet }, 'sandbox-hostile', [loud, quiet]);
  assert.deepEqual(seen.map((s) => s.map((m) => m.replace(/ needs the network.*/, ''))), [[], ["6 'curl'"], []]);
});

const PROMPT_TYPE = `"A definition for option ... is not of type \`one of "hidden", "line", "multiline", "multiline-hidden"'".`;

test('invalid-prompt-type: the other old spellings (secret, string, hidden-multiline) are replaced by what clan calls them, safely', async () => {
  const ps = await findings({ 'm.nix': gen('      echo hi > $out/x', '\n    prompts.a.type = "secret";\n    prompts.b.type = "string";\n    prompts.c.type = "hidden-multiline";') }, 'invalid-prompt-type');
  assert.deepEqual(shown(ps), [
    `4:21-4:29 error: The type of prompts.a of generator 'g' cannot be "secret": evaluation fails with ${PROMPT_TYPE} Did you mean "hidden"?`,
    `5:21-5:29 error: The type of prompts.b of generator 'g' cannot be "string": evaluation fails with ${PROMPT_TYPE} Did you mean "line"?`,
    `6:21-6:39 error: The type of prompts.c of generator 'g' cannot be "hidden-multiline": evaluation fails with ${PROMPT_TYPE} Did you mean "multiline-hidden"?`,
  ]);
  assert.deepEqual(ps.map((p) => p.fixes?.map((f) => [f.title, f.edits[0].newText, f.safe])), [
    [['Change to "hidden"', '"hidden"', true]],
    [['Change to "line"', '"line"', true]],
    [['Change to "multiline-hidden"', '"multiline-hidden"', true]],
  ]);
});

test('invalid-prompt-type in the editor: a wrong type typed in is found, and found no more once corrected', async () => {
  const typed = (t: string) => gen('      echo hi > $out/x', `\n    prompts.a.type = "${t}";`);
  const seen = await afterEdits({ 'm.nix': typed('hidden') }, 'invalid-prompt-type', [typed('hiden'), typed('line')]);
  assert.deepEqual(seen.map((s) => s.map((m) => m.replace(/: evaluation fails.*/, ''))), [[], [`4 The type of prompts.a of generator 'g' cannot be "hiden"`], []]);
});

/** A module with generator `g`: `bindings` (Nix) and a script running `script`. */
function module(bindings: string, script: string, top = ''): string {
  return `{ pkgs, ... }:\n${top}{\n  clan.core.vars.generators.g = {\n    files.x = { };\n${bindings}\n    script = "${script}";\n  };\n  clan.core.vars.generators.other = { files.x = { }; script = "touch $out/x"; };\n}\n`;
}

const fixes = (ps: Problem[]) => ps.map((p) => p.fixes?.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ range: e.range, newText: e.newText })) })));

test('the runtimeInputs fix adds to the list, also to one bound in a let; no fix where the value is no list (a `with` over parentheses)', async () => {
  const direct = await findings({ 'm.nix': module('    runtimeInputs = [ pkgs.openssh ];', 'openssl rand -hex 4 > $out/x') }, 'missing-runtime-input');
  assert.deepEqual(fixes(direct), [[{ title: 'Add pkgs.openssl to runtimeInputs', edits: [{ range: { start: { line: 4, character: 35 }, end: { line: 4, character: 35 } }, newText: 'pkgs.openssl ' }] }]]);
  // the list is `inputs`, bound two lines up: the element goes there
  const named = await findings({ 'm.nix': module('    runtimeInputs = inputs;', 'openssl rand -hex 4 > $out/x', 'let\n  inputs = [ pkgs.openssh ];\nin\n') }, 'missing-runtime-input');
  assert.deepEqual(named.map((p) => p.message), ["'openssl' is not on the script's PATH: add pkgs.openssl to runtimeInputs."]);
  assert.deepEqual(fixes(named), [[{ title: 'Add pkgs.openssl to runtimeInputs', edits: [{ range: { start: { line: 2, character: 26 }, end: { line: 2, character: 26 } }, newText: 'pkgs.openssl ' }] }]]);
  // an insertion before the value's last character would land after the `)`
  for (const value of ['with pkgs; ([ openssh ])', '[ pkgs.openssh ] ++ ([ pkgs.jq ])']) {
    const other = await findings({ 'm.nix': module(`    runtimeInputs = ${value};`, 'openssl rand -hex 4 > $out/x') }, 'missing-runtime-input');
    assert.deepEqual(other.map((p) => p.message.replace(/ add .*/, '')), ["'openssl' is not on the script's PATH:"], value);
    assert.deepEqual(fixes(other), [[]], value);
  }
});

test('the dependencies fix adds to a long list too (its text is shortened for display, not its range)', async () => {
  const long = Array.from({ length: 20 }, () => `"other"`).join(' ') + ' "a-rather-long-generator-name-to-pass-two-hundred-characters"';
  assert.ok(long.length > 200);
  const ps = await findings({ 'm.nix': module(`    dependencies = [ ${long} ];`, 'cat $in/third/x > $out/x'), 't.nix': '{ clan.core.vars.generators.third = { files.x = { }; script = "touch $out/x"; }; }\n' }, 'unknown-input');
  assert.deepEqual(ps.map((p) => p.message), ["The script reads $in/third, but 'third' is not a dependency of 'g': add it to dependencies."]);
  const end = `    dependencies = [ ${long} `.length;
  assert.deepEqual(fixes(ps), [[{ title: 'Add "third" to dependencies', edits: [{ range: { start: { line: 4, character: end }, end: { line: 4, character: end } }, newText: '"third" ' }] }]]);
});

test("invalid-prompt-type in the editor: a type the registry pipeline computes is found when the matrix brings its generator onto a machine, and no more when it takes it off", async () => {
  const registry = `{ pkgs ? null }: {\n${['k0', 'k1'].map((k) => `  ${k} = { generator = "reg-${k}"; files.value = { }; script = "cat $prompts/value > $out/value"; prompts.value = { type = "${k === 'k0' ? 'password' : 'line'}"; }; };`).join('\n')}\n}\n`;
  const matrix = (keys: string) => `{ m0 = [ ${keys} ]; }\n`;
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': registry,
    'lib/machine-env-matrix.nix': matrix('"k1"'),
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script prompts; }; }) keys)\n',
    'machines/m0/configuration.nix': `{ pkgs, ... }:\nlet gens = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\nin {\n  clan.core.vars.generators = gens;\n}\n`,
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const messages = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'invalid-prompt-type').map((p) => p.message.replace(/: evaluation fails.*/, ''));
  const seen = [messages()];
  for (const keys of ['"k0" "k1"', '"k1"']) {
    index.updateFromText(`${root}/lib/machine-env-matrix.nix`, matrix(keys));
    seen.push(messages());
  }
  assert.deepEqual(seen, [[], [`The type of prompts.value of generator 'reg-k0' cannot be "password"`], []]);
});
