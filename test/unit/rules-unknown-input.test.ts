// unknown-input, from what a clan user sees (the mutants that survived the rule's tests): clan puts
// under $in only the files of the generators listed in dependencies, so a read of another generator,
// or of a file the dependency does not declare, fails when the script runs. The findings' messages,
// severities, explanations and quick fixes; reads the script knows may be missing (an existence test
// first), folders above a declared file, and the certificate ssh-keygen writes next to a signed key
// are silent.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import type { Problem } from '../../server/src/base/types';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { NixParser } from '../../server/src/syntax/nixParser';
import { REGISTRY_PIPELINE, removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

async function findings(files: Record<string, string>, settings: Partial<AnalysisSettings> = {}): Promise<Problem[]> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const { problems } = await analyzeFolder(root, { ...DEFAULT_SETTINGS, ...settings }, () => {});
  return problems.filter((p) => p.code === 'unknown-input').sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** A module with generator `ca` (files `caFiles`) and `cert` depending on `deps`, running `script`. */
function clan(caFiles: string[], deps: string, script: string): string {
  return `{ pkgs, ... }:
{
  clan.core.vars.generators.ca = { ${caFiles.map((f) => `files."${f}" = { }; `).join('')}script = "touch $out/x"; };
  clan.core.vars.generators.cert = {
    dependencies = ${deps};
    files.crt = { };
    script = ''
${script}
    '';
  };
}
`;
}

/** The messages and lines (0-based) of the findings, for exact comparison. */
const shown = (ps: Problem[]) => ps.map((p) => `${p.range.start.line} ${p.severity}: ${p.message}`);

test('a file the dependency does not declare: an error with the closest file, or the files it has when none is close, or nothing more when it has none', async () => {
  const ps = await findings({
    'm.nix': clan(['ca.key', 'ca.pub', 'serial'], '[ "ca" "empty" ]', '      cat $in/ca/ca.kye $in/ca/zzzzzz $in/empty/x > $out/crt'),
    'e.nix': '{ clan.core.vars.generators.empty = { script = "true"; }; }\n',
  });
  assert.deepEqual(shown(ps), [
    "7 error: Generator 'ca' declares no file 'ca.kye', so $in/ca/ca.kye does not exist when the script runs. Did you mean 'ca.key'?",
    "7 error: Generator 'ca' declares no file 'zzzzzz', so $in/ca/zzzzzz does not exist when the script runs. Its files: ca.key, ca.pub, serial.",
    "7 error: Generator 'empty' declares no file 'x', so $in/empty/x does not exist when the script runs.",
  ]);
  assert.deepEqual(ps.map((p) => p.range), [
    { start: { line: 7, character: 10 }, end: { line: 7, character: 23 } },
    { start: { line: 7, character: 24 }, end: { line: 7, character: 37 } },
    { start: { line: 7, character: 38 }, end: { line: 7, character: 49 } },
  ]);
});

test('a read of the whole folder of a dependency, of a folder above its files, and of a file in a folder: silent', async () => {
  const ps = await findings({ 'm.nix': clan(['keys/a.key', 'keys/b.key', 'serial'], '[ "ca" ]', '      cp -r $in/ca $out/all\n      cp -r $in/ca/keys $out/keys\n      cat $in/ca/keys/a.key > $out/crt') });
  assert.deepEqual(shown(ps), []);
});

test('a generator not in dependencies: an error with a safe fix adding it to the list, and the explanation', async () => {
  const ps = await findings({ 'm.nix': clan(['key'], '[ "ca" ]', '      cat $in/ca/key $in/other/x > $out/crt'), 'o.nix': '{ clan.core.vars.generators.other = { files.x = { }; script = "touch $out/x"; }; }\n' });
  assert.deepEqual(shown(ps), ["7 error: The script reads $in/other, but 'other' is not a dependency of 'cert': add it to dependencies."]);
  const [p] = ps;
  assert.equal(p.explanation, 'clan puts only the files of declared dependencies under $in, so the read fails.');
  assert.deepEqual(p.fixes, [{ title: 'Add "other" to dependencies', safe: true, edits: [{ file: p.file, range: { start: { line: 4, character: 26 }, end: { line: 4, character: 26 } }, newText: '"other" ' }] }]);
});

test('a generator not in dependencies that no module declares: no safe fix, and the closest declared dependency only as a suggestion', async () => {
  const ps = await findings({
    'm.nix': clan(['key'], '[ "ca" "zzcert" ]', '      cat $in/ca/key $in/zzcerts/x $in/cb/x > $out/crt'),
  });
  assert.deepEqual(shown(ps), [
    "7 error: The script reads $in/zzcerts, but 'zzcerts' is not a dependency of 'cert': add it to dependencies. No generator 'zzcerts' is declared in this clan.",
    "7 error: The script reads $in/cb, but 'cb' is not a dependency of 'cert': add it to dependencies. No generator 'cb' is declared in this clan. Did you mean 'ca'?",
  ]);
  assert.deepEqual(ps.map((p) => p.fixes?.map((f) => [f.title, f.safe])), [[['Add "zzcerts" to dependencies', false]], [['Add "cb" to dependencies', false]]]);
});

test('the fix adds to the declaration that lists dependencies, where the generator is declared in several modules', async () => {
  const ps = await findings({
    'a.nix': '{ clan.core.vars.generators.cert = { files.crt = { }; script = "cat $in/ca/key $in/other/x > $out/crt"; }; }\n',
    'b.nix': '{\n  clan.core.vars.generators.cert.dependencies = [ "ca" ];\n  clan.core.vars.generators.cert.share = false;\n}\n',
    'c.nix': '{ clan.core.vars.generators.ca = { files.key = { }; script = "touch $out/key"; }; clan.core.vars.generators.other = { files.x = { }; script = "touch $out/x"; }; }\n',
  });
  assert.equal(ps.length, 1, JSON.stringify(ps));
  const edits = ps[0].fixes?.flatMap((f) => f.edits.map((e) => ({ file: e.file.replace(/.*\//, ''), range: e.range, newText: e.newText })));
  assert.deepEqual(edits, [{ file: 'b.nix', range: { start: { line: 1, character: 55 }, end: { line: 1, character: 55 } }, newText: '"other" ' }]);
});

test('the fix adds a dependencies list where no declaration has one', async () => {
  const ps = await findings({
    'a.nix': '{\n  clan.core.vars.generators.cert = {\n    files.crt = { };\n    script = "cat $in/other/x > $out/crt";\n  };\n}\n',
    'c.nix': '{ clan.core.vars.generators.other = { files.x = { }; script = "touch $out/x"; }; }\n',
  });
  assert.equal(ps.length, 1, JSON.stringify(ps));
  const edits = ps[0].fixes?.flatMap((f) => f.edits.map((e) => ({ file: e.file.replace(/.*\//, ''), newText: e.newText })));
  assert.equal(edits?.length, 1);
  assert.equal(edits![0].file, 'a.nix');
  assert.match(edits![0].newText, /dependencies = \[ "other" \];/);
});

test("the fix adds a dependencies list to the generator's own set where its script is bound outside it", async () => {
  const ps = await findings({
    'a.nix': '{\n  clan.core.vars.generators.cert.script = "cat $in/other/x > $out/crt";\n}\n',
    'b.nix': '{\n  clan.core.vars.generators.cert = {\n    files.crt = { };\n  };\n}\n',
    'c.nix': '{ clan.core.vars.generators.other = { files.x = { }; script = "touch $out/x"; }; }\n',
  });
  assert.equal(ps.length, 1, JSON.stringify(ps));
  const edits = ps[0].fixes?.flatMap((f) => f.edits.map((e) => ({ file: e.file.replace(/.*\//, ''), newText: e.newText })));
  assert.equal(edits?.length, 1, JSON.stringify(ps[0].fixes));
  assert.equal(edits![0].file, 'b.nix');
  assert.match(edits![0].newText, /dependencies = \[ "other" \];/);
});

test('a path the script tests for existence first, however the test is spaced, is silent; one tested elsewhere on the line is not', async () => {
  const ps = await findings({
    'm.nix': clan(['key'], '[ "ca" ]', [
      '      if [  -f "$in/ca/a" ]; then cat "$in/ca/a"; fi',
      '      if [ !  -e "$in/ca/b" ]; then true; fi',
      '      if [ ! -s "$in/ca/c" ]; then true; fi',
      '      if test -f  $in/ca/d; then cat $in/ca/d; fi',
      '      [ -f /etc/x ] && cat $in/ca/eeeeee > $out/crt',
    ].join('\n')),
  });
  assert.deepEqual(shown(ps), ["11 error: Generator 'ca' declares no file 'eeeeee', so $in/ca/eeeeee does not exist when the script runs. Its files: key."]);
});

test("the certificate ssh-keygen writes next to a signed key is read without a finding; without ssh-keygen, or without the key's .pub, it is missing", async () => {
  const signs = await findings({ 'm.nix': clan(['id.pub', 'other'], '[ "ca" ]', '      ssh-keygen -s $in/ca/other -I x $in/ca/id.pub\n      ssh-keygen -L -f $in/ca/id-cert.pub > $out/crt') });
  assert.deepEqual(shown(signs), []);
  const copies = await findings({ 'm.nix': clan(['id.pub', 'other'], '[ "ca" ]', '      cat $in/ca/id-cert.pub $in/ca/zz-cert.pub > $out/crt') });
  assert.deepEqual(shown(copies), [
    "7 error: Generator 'ca' declares no file 'id-cert.pub', so $in/ca/id-cert.pub does not exist when the script runs. Its files: id.pub, other.",
    "7 error: Generator 'ca' declares no file 'zz-cert.pub', so $in/ca/zz-cert.pub does not exist when the script runs. Its files: id.pub, other.",
  ]);
  const unsigned = await findings({ 'm.nix': clan(['id.pub', 'other'], '[ "ca" ]', '      ssh-keygen -s $in/ca/other -I x $in/ca/id.pub\n      ssh-keygen -L -f $in/ca/zz-cert.pub -f $in/ca/id_cert.pub > $out/crt') });
  assert.deepEqual(shown(unsigned), [
    "8 error: Generator 'ca' declares no file 'zz-cert.pub', so $in/ca/zz-cert.pub does not exist when the script runs. Its files: id.pub, other.",
    "8 error: Generator 'ca' declares no file 'id_cert.pub', so $in/ca/id_cert.pub does not exist when the script runs. Its files: id.pub, other.",
  ]);
});

test('dependencies computed in one of the declarations: a read of a far name is not reported', async () => {
  const ps = await findings({
    'a.nix': '{ extra, ... }: { clan.core.vars.generators.cert = { files.crt = { }; script = "cat $in/zzzzzz/x > $out/crt"; }; }\n',
    'b.nix': '{ extra, ... }: { clan.core.vars.generators.cert.dependencies = extra; }\n',
  });
  assert.deepEqual(shown(ps), []);
});

test('computed dependencies: a dependency computed is no name a read can be near (a quoted path may hold spaces)', async () => {
  const ps = await findings({
    'machines/a/configuration.nix': `{ extra, ... }: {
  clan.core.vars.generators.ssh-host = { files.key = { }; script = "touch $out/key"; };
  clan.core.vars.generators.web = { files.k = { }; dependencies = [ "ssh-host" extra ]; script = ''cat "$in/Stryker was hera/key" > $out/k''; };
}
`,
  });
  assert.deepEqual(shown(ps), []);
});

test('computed dependencies on a machine with every module read: a likely typo of a declared generator is an error', async () => {
  const ps = await findings({
    'machines/a/configuration.nix': `{ extra, ... }: {
  clan.core.vars.generators.ssh-host = { files.key = { }; script = "touch $out/key"; };
  clan.core.vars.generators.web = { files.k = { }; dependencies = [ "ssh-host" ] ++ extra; script = "cat $in/ssh-hots/key > $out/k"; };
}
`,
  });
  assert.deepEqual(shown(ps), ["2 error: The script reads $in/ssh-hots, but no module we can read declares a generator 'ssh-hots'. Did you mean 'ssh-host'?"]);
  assert.equal(ps[0].explanation, 'clan puts only the files of the generators in dependencies under $in, so the read fails.');
});

/**
 * A clan-core checkout whose service `sshd` gives its server role `openssh-ca` (shared or not, files
 * id_ed25519 and id_ed25519.pub), and a clan with machines a and b in that role: only a flake input's
 * module declares it, so what is read is checked per machine.
 */
function withService(share: boolean, machines: Record<string, string>): { files: Record<string, string>; clanCorePath: string } {
  const clanCore = writeTree({
    'clanServices/sshd/default.nix': `{ ... }: { _class = "clan.service"; manifest.name = "sshd"; roles.server.perInstance = { ... }: { nixosModule = { pkgs, ... }: { clan.core.vars.generators.openssh-ca = {${share ? ' share = true;' : ''} files.id_ed25519 = { }; files."id_ed25519.pub".secret = false; runtimeInputs = [ pkgs.openssh ]; script = "ssh-keygen -f $out/id_ed25519"; }; }; }; }\n`,
  });
  roots.push(clanCore);
  const files: Record<string, string> = {
    'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; module.input = "clan-core"; roles.server.tags.all = { }; }; }; }; }\n`,
  };
  for (const [m, text] of Object.entries(machines)) files[`machines/${m}/configuration.nix`] = text;
  return { files, clanCorePath: clanCore };
}
/** A machine (with a module of another flake, unread, when `isOpen`) whose generator cert reads `$in/openssh-ca/<file>`. */
const reader = (isOpen: boolean, file: string | null) => `{ inputs, pkgs, ... }: {\n  imports = [ ${isOpen ? 'inputs.x.nixosModules.y' : ''} ];\n${file === null ? '' : `  clan.core.vars.generators.cert = { files.crt = { }; dependencies = [ "openssh-ca" ]; script = "cat $in/openssh-ca/${file} > $out/crt"; };`}\n}\n`;

test("a flake input's shared generator on machines with every module read: an error naming the machine that lacks the file", async () => {
  const { files, clanCorePath } = withService(true, { a: reader(false, 'id_ed25519.key'), b: reader(false, null) });
  const ps = await findings(files, { clanCorePath });
  assert.deepEqual(shown(ps), ["2 error: Generator 'openssh-ca' of machine 'a' declares no file 'id_ed25519.key', so $in/openssh-ca/id_ed25519.key does not exist when the script runs. Did you mean 'id_ed25519.pub'?"]);
  assert.equal(ps[0].explanation, 'clan puts only the files the dependency declares under $in, so the read fails.');
});

test("a flake input's shared generator lacking a far file on a machine with every module read: an error on the open machine, with the generator's files", async () => {
  const { files, clanCorePath } = withService(true, { a: reader(true, 'zzzzzzzz'), b: reader(false, null) });
  const ps = await findings(files, { clanCorePath });
  assert.deepEqual(shown(ps), ["2 error: Shared generator 'openssh-ca' declares no file 'zzzzzzzz' on machine 'b', whose modules are all read, so $in/openssh-ca/zzzzzzzz does not exist when the script runs on machine 'a'. Its files: id_ed25519, id_ed25519.pub."]);
});

test("a flake input's per-machine generator on an open machine: a likely typo of a file is a warning naming what was not read; a far name is not reported", async () => {
  const { files, clanCorePath } = withService(false, { a: reader(true, 'id_ed2519.pub'), b: reader(false, null) });
  const ps = await findings(files, { clanCorePath });
  assert.deepEqual(shown(ps), ["2 warning: No module we can read declares a file 'id_ed2519.pub' of generator 'openssh-ca' for machine 'a'. Did you mean 'id_ed25519.pub'? Not read: a module of flake input 'x' (inputs.x.nixosModules.y)."]);
  assert.equal(ps[0].explanation, 'clan puts only the files the dependency declares under $in, so the read fails, unless a module we could not read declares the file.');
  const far = withService(false, { a: reader(true, 'zzzzzzzz'), b: reader(false, null) });
  assert.deepEqual(shown(await findings(far.files, { clanCorePath: far.clanCorePath })), []);
});

test('a generator the registry declares too: its registry entry may bring dependencies no module lists, so its reads are not checked', async () => {
  const files = {
    'lib/secret-registry.nix': '{ pkgs ? null }: {\n  x = { generator = "cert"; files.crt = { }; };\n}\n',
    'lib/machine-env-matrix.nix': '{\n  a = [ "x" ];\n}\n',
    'lib/vars-generators.nix': REGISTRY_PIPELINE,
    'machines/a/configuration.nix': '{\n  clan.core.vars.generators.cert = { files.crt = { }; script = "cat $in/other/x > $out/crt"; };\n  clan.core.vars.generators.other = { files.x = { }; script = "touch $out/x"; };\n}\n',
  };
  assert.deepEqual(shown(await findings(files)), []);
  // the same generator without the registry entry
  assert.deepEqual(shown(await findings({ ...files, 'lib/secret-registry.nix': '{ pkgs ? null }: {\n  x = { generator = "zz"; files.crt = { }; };\n}\n' })), [
    "1 error: The script reads $in/other, but 'other' is not a dependency of 'cert': add it to dependencies.",
  ]);
});

/** The unknown-input findings an editor shows after the edits so far. */
function inEditor(index: WorkspaceAnalysis): string[] {
  return [...index.allProblems().values()].flat().filter((p) => p.code === 'unknown-input').map((p) => `${path.basename(p.file)}:${p.range.start.line + 1} ${p.severity}: ${p.message}`);
}

test('in the editor (the registry read as written): an edit of the registry that gives the generator a registry declaration, or takes it away, changes the findings', async () => {
  const registry = (generator: string) => `{ pkgs ? null }: {\n  x = { generator = "${generator}"; files.crt = { }; };\n}\n`;
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': registry('zz'),
    'machines/a/configuration.nix': '{\n  clan.core.vars.generators.cert = { files.crt = { }; script = "cat $in/other/x > $out/crt"; };\n  clan.core.vars.generators.other = { files.x = { }; script = "touch $out/x"; };\n}\n',
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const error = "configuration.nix:2 error: The script reads $in/other, but 'other' is not a dependency of 'cert': add it to dependencies.";
  assert.deepEqual(inEditor(index), [error]);
  index.updateFromText(path.join(root, 'lib/secret-registry.nix'), registry('cert'));
  assert.deepEqual(inEditor(index), []);
  index.updateFromText(path.join(root, 'lib/secret-registry.nix'), registry('zz'));
  assert.deepEqual(inEditor(index), [error]);
});

test('in the editor: a machine that comes to import a module we cannot read (an edit of a file without generators) turns the error on its likely typo into a warning', async () => {
  const extra = (open: boolean) => (open ? '{ inputs, ... }: {\n  imports = [ inputs.x.nixosModules.y ];\n}\n' : '{ }\n');
  const root = writeTree({
    'flake.nix': '{ }',
    'machines/a/extra.nix': extra(false),
    'machines/a/configuration.nix': `{ extra, ... }: {
  imports = [ ./extra.nix ];
  clan.core.vars.generators.ssh-host = { files.key = { }; script = "touch $out/key"; };
  clan.core.vars.generators.web = { files.k = { }; dependencies = [ "ssh-host" ] ++ extra; script = "cat $in/ssh-hots/key > $out/k"; };
}
`,
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  assert.deepEqual(inEditor(index), ["configuration.nix:4 error: The script reads $in/ssh-hots, but no module we can read declares a generator 'ssh-hots'. Did you mean 'ssh-host'?"]);
  index.updateFromText(path.join(root, 'machines/a/extra.nix'), extra(true));
  assert.deepEqual(inEditor(index), ["configuration.nix:4 warning: The script reads $in/ssh-hots, but no module we can read declares a generator 'ssh-hots' for machine 'a'. Did you mean 'ssh-host'? Not read: a module of flake input 'x' (inputs.x.nixosModules.y)."]);
  index.updateFromText(path.join(root, 'machines/a/extra.nix'), extra(false));
  assert.deepEqual(inEditor(index), ["configuration.nix:4 error: The script reads $in/ssh-hots, but no module we can read declares a generator 'ssh-hots'. Did you mean 'ssh-host'?"]);
});
