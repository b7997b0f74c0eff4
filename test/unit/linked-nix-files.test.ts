// A .nix file reached through a link inside the clan (a link to a file, or a file under a linked
// folder) is indexed under the path the scan found it at. The editor's watcher reports a change of
// the file under its real path: the session must then read every path that reaches it again, and
// index nothing a fresh scan would not (a folder the scan walked under a link is not walked again
// under its real path), so that it says what a fresh analysis says.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

let parser: NixParser;
const roots: string[] = [];
before(async () => {
  parser = await NixParser.load();
});
after(() => roots.forEach(removeTree));

const FLAKE = '{ inputs.clan-core.url = "github:clan-lol/clan-core"; outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "t"; }; }\n';
const machine = (imports: string[]) => `{ ... }: { imports = [ ${imports.join(' ')} ]; }\n`;
const module = (name: string, dep?: string) =>
  `{ ... }: { clan.core.vars.generators.${name} = { ${dep ? `dependencies = [ "${dep}" ]; ` : ''}files.key = { }; script = "touch $out/key"; }; }\n`;

/** Each indexed file's generators, every finding and what each machine has: what a fresh analysis must say too. */
function answers(index: WorkspaceAnalysis, root: string): string[] {
  const rel = (f: string) => path.relative(root, f);
  const files = [...index.facts].map(([f, facts]) => `${rel(f)}: ${facts.generators.map((g) => g.name.name).join(' ')}`).sort();
  const problems = [...index.allProblems().values()].flat().map((p) => `${rel(p.file)}:${p.range.start.line} ${p.code} ${p.message.replaceAll(root, '<root>')}`).sort();
  const machines = index.clanRoots().flatMap(({ root: r }) =>
    [...index.clan(r).machineModel().machines.values()].map((m) => `${m.name}: ${[...m.generators].map(([n, d]) => `${n}@${d.map((g) => rel(g.file)).join(',')}`).sort().join(' ')}`),
  );
  return [...files, ...problems, ...machines];
}

/** Whether `machine` has the generator declared in the file (`name@file`; a generator's declarations are joined with commas). */
function has(lines: string[], machine: string, generator: string): boolean {
  const [name, file] = generator.split('@');
  return lines.some((l) => l.startsWith(`${machine}: `) && l.split(' ').some((g) => g.startsWith(`${name}@`) && g.slice(name.length + 1).split(',').includes(file)));
}

async function fresh(root: string): Promise<string[]> {
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, parser);
  await index.scan();
  return answers(index, root);
}

async function session(files: Record<string, string>, links: [string, string][]): Promise<{ root: string; index: WorkspaceAnalysis }> {
  const root = writeTree(files);
  roots.push(root);
  for (const [link, to] of links) {
    fs.mkdirSync(path.dirname(path.join(root, link)), { recursive: true });
    fs.symlinkSync(to, path.join(root, link));
  }
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, parser);
  await index.scan();
  index.allProblems();
  return { root, index };
}

/** Writes `text` to `rel` (deletes it when null) and reports it as the watcher does; then the session must agree with a fresh analysis. */
async function change(root: string, index: WorkspaceAnalysis, rel: string, text: string | null, why: string): Promise<void> {
  const file = path.join(root, rel);
  if (text === null) fs.rmSync(file, { recursive: true });
  else fs.writeFileSync(file, text);
  await index.watchedFileChanged(file, text === null);
  assert.deepEqual(answers(index, root), await fresh(root), why);
}

test('a file linked to another: an edit of the target, reported under its real path, reaches the link; the target deleted, the dangling link goes', async () => {
  const { root, index } = await session(
    { 'flake.nix': FLAKE, 'machines/m1/configuration.nix': machine(['../../modules/d.nix']), 'common/a.nix': module('one') },
    [['modules/d.nix', '../common/a.nix']],
  );
  assert.ok(has(answers(index, root), 'm1', 'one@modules/d.nix'), 'the machine has the generator through the link');
  await change(root, index, 'common/a.nix', module('two'), 'the link follows its target');
  assert.ok(has(answers(index, root), 'm1', 'two@modules/d.nix'));
  await change(root, index, 'common/a.nix', null, 'the dangling link is not indexed');
  assert.ok(!answers(index, root).some((l) => l.startsWith('modules/d.nix')));
  await change(root, index, 'common/a.nix', module('three'), 'the target made again: the link leads to it again');
  assert.ok(has(answers(index, root), 'm1', 'three@modules/d.nix'));
  fs.rmSync(path.join(root, 'modules/d.nix'));
  await index.watchedFileChanged(path.join(root, 'modules/d.nix'), true);
  assert.deepEqual(answers(index, root), await fresh(root), 'the link deleted');
  assert.ok(!answers(index, root).some((l) => l.startsWith('modules/d.nix')));
});

test('a folder linked from a place the scan walks first: a file of it is indexed under the link only, and an edit reported under its real path updates that', async () => {
  const { root, index } = await session(
    { 'flake.nix': FLAKE, 'machines/m1/configuration.nix': machine(['../../shared/a.nix']), 'modules/common/a.nix': module('one') },
    [['shared', 'modules/common']],
  );
  assert.deepEqual(answers(index, root), await fresh(root));
  assert.ok(has(answers(index, root), 'm1', 'one@shared/a.nix'));
  await change(root, index, 'modules/common/a.nix', module('two', 'missing'), 'the edit reaches the linked path, and the real path is not indexed beside it');
  assert.ok(has(answers(index, root), 'm1', 'two@shared/a.nix'));
  await change(root, index, 'modules/common/b.nix', module('three'), 'a file made in the linked folder is indexed under the link');
  assert.ok(answers(index, root).some((l) => l.startsWith('shared/b.nix: three')));
  fs.rmSync(path.join(root, 'shared'));
  await index.watchedFileChanged(path.join(root, 'shared'), true);
  assert.deepEqual(answers(index, root), await fresh(root), 'the link deleted: the folder is walked under its real path');
  assert.ok(answers(index, root).some((l) => l.startsWith('modules/common/b.nix: three')));
});

test('a link made after the scan: indexed, and followed when its target changes', async () => {
  const { root, index } = await session({ 'flake.nix': FLAKE, 'machines/m1/configuration.nix': machine(['../../modules/e.nix']), 'common/a.nix': module('one') }, []);
  fs.mkdirSync(path.join(root, 'modules'));
  fs.symlinkSync('../common/a.nix', path.join(root, 'modules/e.nix'));
  await index.watchedFileChanged(path.join(root, 'modules/e.nix'), false);
  assert.deepEqual(answers(index, root), await fresh(root));
  assert.ok(has(answers(index, root), 'm1', 'one@modules/e.nix'));
  await change(root, index, 'common/a.nix', module('two'), 'the new link follows its target');
});

test('a linked folder made after the scan: its files are indexed under the link', async () => {
  // `base` comes before `common` in the scan's order: a fresh scan walks the folder under the link
  const { root, index } = await session({ 'flake.nix': FLAKE, 'machines/m1/configuration.nix': machine(['../../base/a.nix']), 'common/a.nix': module('one') }, []);
  fs.symlinkSync('common', path.join(root, 'base'));
  await index.watchedFileChanged(path.join(root, 'base'), false);
  assert.ok(has(await fresh(root), 'm1', 'one@base/a.nix'));
  assert.deepEqual(answers(index, root), await fresh(root));
  await change(root, index, 'common/a.nix', module('two'), 'an edit in the folder reaches its files under the link');
  // the link led to another folder
  fs.mkdirSync(path.join(root, 'other'));
  fs.writeFileSync(path.join(root, 'other/a.nix'), module('four'));
  await index.watchedFileChanged(path.join(root, 'other/a.nix'), false);
  fs.rmSync(path.join(root, 'base'));
  fs.symlinkSync('other', path.join(root, 'base'));
  await index.watchedFileChanged(path.join(root, 'base'), false);
  assert.deepEqual(answers(index, root), await fresh(root), 'the link led elsewhere');
  assert.ok(has(answers(index, root), 'm1', 'four@base/a.nix'));
});

test('changes reported at once: links made, a target edited, a linked file deleted', async () => {
  const { root, index } = await session(
    { 'flake.nix': FLAKE, 'machines/m1/configuration.nix': machine(['../../modules/d.nix', '../../modules/e.nix', '../../base/a.nix']), 'common/a.nix': module('one'), 'common/b.nix': module('two') },
    [['modules/d.nix', '../common/b.nix']],
  );
  fs.symlinkSync('../common/a.nix', path.join(root, 'modules/e.nix'));
  fs.symlinkSync('common', path.join(root, 'base'));
  fs.writeFileSync(path.join(root, 'common/a.nix'), module('three'));
  fs.rmSync(path.join(root, 'common/b.nix'));
  const walked = await index.watchedFilesChanged(
    ['modules/e.nix', 'base', 'common/a.nix', 'common/b.nix'].map((f) => ({ file: path.join(root, f), deleted: f === 'common/b.nix' })),
  );
  assert.ok(walked, 'links changed: the open documents are to be indexed again');
  assert.deepEqual(answers(index, root), await fresh(root));
  assert.ok(has(answers(index, root), 'm1', 'three@modules/e.nix') && has(answers(index, root), 'm1', 'three@base/a.nix'));
  assert.ok(!answers(index, root).some((l) => l.startsWith('modules/d.nix') || l.startsWith('common/')), 'the dangling link and the folder walked under the link are not indexed');
  assert.equal(await index.watchedFileChanged(path.join(root, 'common/a.nix'), false), false, 'an edit below where a link leads lists nothing again');
});

test('a link that leads nowhere at the scan: its target made later is found under the link; the folder holding a target deleted takes the link with it', async () => {
  const { root, index } = await session({ 'flake.nix': FLAKE, 'machines/m1/configuration.nix': machine(['../../modules/d.nix']) }, [['modules/d.nix', '../common/a.nix']]);
  assert.ok(!answers(index, root).some((l) => l.startsWith('modules/d.nix')));
  fs.mkdirSync(path.join(root, 'common'));
  assert.equal(await index.watchedFileChanged(path.join(root, 'common'), false), true, 'a folder made where a link would lead: the folder is listed again');
  fs.writeFileSync(path.join(root, 'common/a.nix'), module('one'));
  assert.equal(await index.watchedFileChanged(path.join(root, 'common/a.nix'), false), true);
  assert.deepEqual(answers(index, root), await fresh(root));
  assert.ok(has(answers(index, root), 'm1', 'one@modules/d.nix'));
  // an edit of a file no link reaches, and a file deleted: nothing to list again
  fs.writeFileSync(path.join(root, 'plain.nix'), '{ }\n');
  assert.equal(await index.watchedFileChanged(path.join(root, 'plain.nix'), false), false);
  fs.rmSync(path.join(root, 'plain.nix'));
  assert.equal(await index.watchedFileChanged(path.join(root, 'plain.nix'), true), false);
  await change(root, index, 'machines/m1/configuration.nix', machine(['../../modules/d.nix']), 'an edit of a file no link reaches');
  fs.rmSync(path.join(root, 'common'), { recursive: true });
  await index.watchedFileChanged(path.join(root, 'common'), true);
  assert.deepEqual(answers(index, root), await fresh(root), 'the folder holding the target deleted');
  assert.ok(!answers(index, root).some((l) => l.startsWith('modules/d.nix')));
});

test("the links `clan vars generate` makes in the vars list nothing again: the discovery does not walk the clan's generated vars", async () => {
  const { root, index } = await session({ 'flake.nix': FLAKE, 'machines/m1/configuration.nix': machine(['../../modules/a.nix']), 'modules/a.nix': module('one'), 'deep/er/est/b.nix': module('two'), 'sops/machines/m1/key.json': '{}' }, []);
  const secret = path.join(root, 'vars/per-machine/m1/one/key');
  fs.mkdirSync(path.join(secret, 'machines'), { recursive: true });
  fs.symlinkSync('../../../../../../sops/machines/m1', path.join(secret, 'machines/m1'));
  fs.writeFileSync(path.join(secret, 'secret'), '{}');
  assert.equal(await index.watchedFilesChanged(['machines/m1', 'secret'].map((f) => ({ file: path.join(secret, f), deleted: false }))), false);
  // a link elsewhere in the vars folder may change what is found (walked before the folder it leads to, which is deeper)
  fs.symlinkSync('../deep/er/est', path.join(root, 'vars/mods'));
  assert.equal(await index.watchedFileChanged(path.join(root, 'vars/mods'), false), true);
  assert.deepEqual(answers(index, root), await fresh(root));
  assert.ok(answers(index, root).some((l) => l.startsWith('vars/mods/b.nix')));
});

test('links made at once: each file they reach is read once, and no other', async () => {
  const { root, index } = await session(
    { 'flake.nix': FLAKE, 'machines/m1/configuration.nix': machine(['../../modules/e.nix', '../../base/b.nix']), 'common/a.nix': module('one'), 'other/b.nix': module('two'), 'plain.nix': '{ }\n' },
    [['old.nix', 'common/a.nix']],
  );
  const reads: string[] = [];
  const read = index.updateFromDisk.bind(index);
  index.updateFromDisk = (file: string) => {
    reads.push(path.relative(root, file));
    return read(file);
  };
  fs.mkdirSync(path.join(root, 'modules'));
  fs.symlinkSync('../common/a.nix', path.join(root, 'modules/e.nix'));
  fs.symlinkSync('other', path.join(root, 'base'));
  await index.watchedFilesChanged(['modules/e.nix', 'base'].map((f) => ({ file: path.join(root, f), deleted: false })));
  assert.deepEqual(reads.sort(), ['base/b.nix', 'modules/e.nix'], 'the new linked file and the file found under the new linked folder, once each');
  assert.deepEqual(answers(index, root), await fresh(root));
});
