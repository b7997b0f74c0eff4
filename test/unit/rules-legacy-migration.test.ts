// The quick fixes of the legacy migration (rules/legacyMigration.ts), from what a clan user sees: the
// fix of facts-leftover and sops-nix-secret rewrites the declaration and the readers on the machines
// of the declaring module (or in modules no machine imports), and its preview counts them; a
// per-machine sops-nix secret of a secret fact names the fact's one generator (a facts service, a
// service read from clan-core, a generator moved from clan facts) or is a plain secret; the facts
// script rewrite and the migrateFact removal of removed-option and missing-output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Problem } from '../../server/src/base/types';
import { relativeFindings } from '../helpers/ruleRuns';


/** A flake with these machines, each importing its modules. */
const flake = (machines: Record<string, string[]>) =>
  `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { ${Object.entries(machines).map(([m, mods]) => `machines.${m}.imports = [ ${mods.map((x) => `./${x}`).join(' ')} ];`).join(' ')} }; }; }\n`;

const findings = relativeFindings;

const STORED =
  " The stored value is not moved here: the migration script (Clan Vars: Write Migration Script, or clan-vars-lint --migration-script) carries it over, written before or after this rewrite, since the generator's '# moved from' comment keeps where the value is.";
const edited = (p: Problem) => p.fixes?.[0]?.edits.map((e) => `${e.file}:${e.range.start.line}`);

test('sops-nix-secret fix: the readers on the machines of the declaring module and in modules no machine imports are rewritten, not those of other machines or of other secrets; the preview counts them', async () => {
  const found = await findings('sops-nix-secret', {
    'flake.nix': flake({ a: ['a.nix', 'r.nix'], b: ['b.nix'] }),
    'a.nix':
      '{ config, ... }:\n{\n  sops.secrets.token = { };\n  sops.secrets.lone = { };\n  sops.secrets.one = { };\n  sops.secrets.two = { };\n' +
      '  x.token = config.sops.secrets.token.path;\n  x.one = config.sops.secrets.one.path;\n  x.two1 = config.sops.secrets.two.path;\n  x.two2 = config.sops.secrets.two.path;\n}\n',
    // on machine a too
    'r.nix': '{ config, ... }:\n{\n  y.token = config.sops.secrets.token.path;\n  y.other = config.sops.secrets.other.path;\n}\n',
    // only on machine b: its own secret of that name
    'b.nix': '{ config, ... }:\n{\n  z.token = config.sops.secrets.token.path;\n}\n',
    // imported by no machine (a default of an option, a flake's nixosModule): may be on machine a
    'c.nix': '{ config, ... }:\n{\n  w.token = config.sops.secrets.token.path;\n  w.fact = config.clan.core.facts.services.token.secret.token.path;\n}\n',
  });
  const byName = Object.fromEntries(found.map((p) => [p.message.split("'")[1], p]));
  assert.deepEqual(Object.keys(byName).sort(), ['lone', 'one', 'token', 'two']);
  assert.deepEqual(edited(byName.token), ['a.nix:2', 'a.nix:6', 'c.nix:2', 'r.nix:2']);
  assert.deepEqual(byName.token.fixes?.map((f) => [f.title, f.safe, f.preview]), [["Move sops-nix secret 'token' to a vars generator", false, `Rewrites the declaration and 3 readers in 3 files.${STORED}`]]);
  assert.deepEqual(byName.token.fixes?.[0].edits.slice(1).map((e) => e.newText), Array(3).fill('config.clan.core.vars.generators.token.files.value.path'));
  assert.deepEqual(edited(byName.lone), ['a.nix:3']);
  assert.equal(byName.lone.fixes?.[0].preview, `Rewrites the declaration.${STORED}`);
  assert.deepEqual(edited(byName.one), ['a.nix:4', 'a.nix:7']);
  assert.equal(byName.one.fixes?.[0].preview, `Rewrites the declaration and 1 reader.${STORED}`);
  assert.deepEqual(edited(byName.two), ['a.nix:5', 'a.nix:8', 'a.nix:9']);
  assert.equal(byName.two.fixes?.[0].preview, `Rewrites the declaration and 2 readers.${STORED}`);
});

const HOST_SECRET = (fact: string, before = '') => `  sops.secrets."${before}\${config.networking.hostName}${fact}".neededForUsers = true;\n`;
const mod = (...lines: string[]) => `{ config, ... }:\n{\n${lines.join('')}}\n`;
const summary = (found: Problem[]) => found.map((p) => `${p.file}:${p.range.start.line} ${p.message}${p.fixes?.length ? ` [${p.fixes.map((f) => f.title).join('; ')}]` : ''}`);

const factHint = (line: string, secret: string, service: string, fact: string) =>
  `${line} sops-nix secret '${secret}' is the secret fact ${fact} of facts service ${service}: its settings belong on vars file ${service}/${fact}. The quick fix moves them there and rewrites its readers. [Move the settings of sops-nix secret '${secret}' to vars file ${service}/${fact}]`;
const plainHint = (line: string, secret: string) =>
  `${line} sops-nix secret '${secret}' could be a clan vars generator. The quick fix rewrites it and its readers; the migration script moves its value. [Move sops-nix secret '${secret}' to a vars generator]`;
const service = (name: string, body = 'secret.key = { }; generator.script = "touch $secrets/key";') => `  clan.core.facts.services.${name} = { ${body} };\n`;
const generator = (name: string, extra: string, file = 'key') => `  clan.core.vars.generators.${name} = {\n${extra}    files.${file} = { };\n    script = "touch $out/${file}";\n  };\n`;
const MOVED = '    # moved from clan facts: carry the values over before deploying (clan-vars-lint --migration-script)\n';
const BORG_KEY = 'clan.core.vars.generators.borg = {\n    # moved from clan facts: carry the values over before deploying (clan-vars-lint --migration-script)\n    files.key = { neededFor = "users"; };\n  };';

test("sops-nix-secret: the per-machine secret of a fact read from a clan-core service names that service; the fix moves its settings and rewrites the secret's readers to the fact's vars file", async () => {
  const found = await findings('sops-nix-secret', {
    'flake.nix': flake({ a: ['a.nix'] }),
    'a.nix': mod(HOST_SECRET('-key'), '  x = config.clan.core.facts.services.borg.secret.key.path;\n', '  y = config.sops.secrets."${config.networking.hostName}-key".path;\n'),
  });
  assert.deepEqual(summary(found), [factHint('a.nix:2', '<machine>-key', 'borg', 'key')]);
  assert.deepEqual(found[0].fixes?.map((f) => [f.safe, f.preview, f.edits.map((e) => [e.file, e.range.start.line, e.newText])]), [
    [false, `Rewrites the declaration and 1 reader.${STORED}`, [['a.nix', 2, BORG_KEY], ['a.nix', 4, 'config.clan.core.vars.generators.borg.files.key.path']]],
  ]);
});

test('sops-nix-secret: the secret fact of a per-machine secret has one generator on every machine of its module: a facts service, a read service, a generator moved from clan facts; else the secret is a plain one', async () => {
  const one = (files: Record<string, string>) => findings('sops-nix-secret', { 'flake.nix': flake({ a: ['a.nix'] }), ...files }).then(summary);
  const FACT = [factHint('a.nix:2', '<machine>-key', 'borg', 'key')];
  const PLAIN = [plainHint('a.nix:2', '<machine>-key')];
  // a generator moved from clan facts (its comment, or migrateFact still there) with the fact's file;
  // in the secret's own file (where the facts-leftover fix writes it) the fix would add a second
  // `clan.core.vars.generators.borg = { ... }` beside it, which Nix rejects ("attribute 'files'
  // already defined"): the hint stays, without a fix
  const FACT_NO_FIX = [factHint('a.nix:2', '<machine>-key', 'borg', 'key').replace(' The quick fix moves them there and rewrites its readers.', '').replace(/ \[[^\]]*\]$/, '')];
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), generator('borg', MOVED)) }), FACT_NO_FIX);
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), generator('borg', '    migrateFact = "borg";\n')) }), FACT_NO_FIX);
  const inB = (files: Record<string, string>) => findings('sops-nix-secret', { 'flake.nix': flake({ a: ['a.nix', 'b.nix'] }), ...files }).then(summary);
  assert.deepEqual(await inB({ 'a.nix': mod(HOST_SECRET('-key')), 'b.nix': mod(generator('borg', MOVED)) }), FACT, 'the moved generator in another module of the machine: the fix');
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), generator('borg', '    migrateFact = "borg";\n', 'other')) }), PLAIN, 'a moved generator without the file');
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), generator('borg', '    files.key.migrateFact = "borg";\n')) }), PLAIN, 'migrateFact of a file is no migrateFact of the generator');
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), generator('borg', MOVED + '    files.pub = { };\n')) }), FACT_NO_FIX, 'a moved generator with more files');
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), generator('borg', '    migrateFact.name = "borg";\n')) }), PLAIN, 'an option under migrateFact is no migrateFact');
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), service('borg'), generator('"${config.x}"', MOVED)) }), FACT, 'a generator of a computed name is no owner');
  // a vars generator of its own with that file name is no fact's generator; nor is it a second owner
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), generator('borg', '')) }), PLAIN);
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), service('borg'), generator('keys', '')) }), FACT);
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), service('borg'), generator('keys', MOVED, 'other')) }), FACT);
  // a service named by a computed name, a public fact, a public read: no owner
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), service('${config.x}')) }), PLAIN);
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), service('borg', 'public.key = { }; generator.script = "touch $facts/key";'), '  x = config.clan.core.facts.services.ssh.public.key.value;\n') }), PLAIN);
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), service('borg', 'secret.other = { }; public.key = { }; generator.script = "touch $secrets/other $facts/key";')) }), PLAIN);
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), '  x = config.clan.core.facts.services.borg.secret.other.path;\n') }), PLAIN);
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), service('borg', 'generator.script = "true";'), service('other')) }), [factHint('a.nix:2', '<machine>-key', 'other', 'key')], 'a service with no facts is no owner');
  // two services with that secret fact: no one owner
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), service('borg'), service('other')) }), PLAIN);
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), service('borg'), generator('other', MOVED)) }), PLAIN);
  assert.deepEqual(await one({ 'a.nix': mod(HOST_SECRET('-key'), service('borg'), '  x = config.clan.core.facts.services.other.secret.key.path;\n') }), PLAIN);
});

test("sops-nix-secret: only the machines of the secret's module count: a service or moved generator on another machine is not its owner; machines with different owners leave it plain", async () => {
  const found = await findings('sops-nix-secret', {
    'flake.nix': flake({ a: ['a.nix', 's.nix'], b: ['a.nix', 's.nix'], c: ['a.nix', 't.nix'], d: ['b.nix', 't.nix'], e: ['u.nix'], f: ['e.nix'] }),
    's.nix': mod(HOST_SECRET('-key')),
    't.nix': mod(HOST_SECRET('-key')),
    'u.nix': mod(HOST_SECRET('-key')),
    'a.nix': mod(service('borg')),
    'b.nix': mod(service('other')),
    'e.nix': mod(service('borg'), generator('gen', MOVED), '  x = config.clan.core.facts.services.read.secret.key.path;\n'),
  });
  assert.deepEqual(summary(found), [factHint('s.nix:2', '<machine>-key', 'borg', 'key'), plainHint('t.nix:2', '<machine>-key'), plainHint('u.nix:2', '<machine>-key')]);
});

test('sops-nix-secret: only a name of the form <machine>-<fact> is a secret fact (not <machine><fact>, nor <machine>- of a fact named "")', async () => {
  const found = await findings('sops-nix-secret', {
    'flake.nix': flake({ a: ['a.nix'] }),
    'a.nix': mod(HOST_SECRET('-k'), HOST_SECRET('key'), HOST_SECRET('-'), HOST_SECRET('-k', 'x'), service('borg', 'secret.k = { }; secret.key = { }; secret."-" = { }; secret."" = { }; secret.ey = { }; secret.x = { }; generator.script = "touch $secrets/k";')),
  });
  assert.deepEqual(summary(found), [factHint('a.nix:2', '<machine>-k', 'borg', 'k'), plainHint('a.nix:3', '<machine>key'), plainHint('a.nix:4', '<machine>-'), plainHint('a.nix:5', 'x<machine>-k')]);
});

const MARKER = 'moved from clan facts: carry the values over before deploying (clan-vars-lint --migration-script)';
const SCRIPT_PREVIEW = 'Rewrites the script for vars. Values the facts system stored are not moved here: the migration script carries them over, written before or after this rewrite.';
const range = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });
/** The fixes of `code` on a clan whose machine imports this module, with their edits. */
async function fixesOf(code: string, text: string) {
  const found = await findings(code, { 'flake.nix': flake({ a: ['a.nix'] }), 'a.nix': text });
  return found.map((p) => [p.range.start.line, p.fixes?.map((f) => [f.title, f.safe, f.preview, f.edits.map((e) => [e.file, e.range, e.newText])])]);
}

test("removed-option and missing-output: migrateFact and a facts script are rewritten in one fix, migrateFact's lines left as the moved-from comment", async () => {
  const text = "{ ... }:\n{\n  clan.core.vars.generators.borg = {\n    migrateFact = \"borg\";\n    files.key = { };\n    script = ''\n      touch $secrets/key\n    '';\n  };\n}\n";
  const script: unknown[] = ['a.nix', range(5, 13, 7, 6), "''\n      touch $out/key\n    ''"];
  const removal: unknown[] = ['a.nix', range(3, 0, 4, 0), `    # ${MARKER}\n`];
  const both = ['Rewrite for vars: $secrets and $facts become $out, migrateFact removed', false, SCRIPT_PREVIEW, [script, removal]];
  assert.deepEqual(await fixesOf('removed-option', text), [[3, [both, ['Remove migrateFact', false, undefined, [removal]]]]]);
  assert.deepEqual(await fixesOf('missing-output', text), [[6, [both]]]);
});

test('missing-output: a facts script in a plain string is rewritten for vars', async () => {
  const text = '{ ... }:\n{\n  clan.core.vars.generators.borg = {\n    files.key = { };\n    script = "touch $secrets/key";\n  };\n}\n';
  assert.deepEqual(await fixesOf('missing-output', text), [[4, [['Rewrite for vars: $secrets and $facts become $out', false, SCRIPT_PREVIEW, [['a.nix', range(4, 13, 4, 33), '"touch $out/key"']]]]]]);
});

test('missing-output: an option under migrateFact is no migrateFact: the script fix does not claim to remove it', async () => {
  const text = '{ ... }:\n{\n  clan.core.vars.generators.borg = {\n    migrateFact.name = "borg";\n    files.key = { };\n    script = "touch $secrets/key";\n  };\n}\n';
  assert.deepEqual(await fixesOf('missing-output', text), [[5, [['Rewrite for vars: $secrets and $facts become $out', false, SCRIPT_PREVIEW, [['a.nix', range(5, 13, 5, 33), '"touch $out/key"']]]]]]);
});

test('removed-option: migrateFact alone (a script that is no string, or already for vars) is only removed: whole lines become the comment at its indentation, part of a line a block comment', async () => {
  const removeOnly = (edit: unknown[]) => [['Remove migrateFact', false, undefined, [edit]]];
  assert.deepEqual(
    await fixesOf('removed-option', '{ pkgs, ... }:\n{\n  clan.core.vars.generators.borg = {\n    migrateFact = "borg";\n    files.key = { };\n    script = pkgs.writeShellScript "x" "touch $secrets/key";\n  };\n}\n'),
    [[3, removeOnly(['a.nix', range(3, 0, 4, 0), `    # ${MARKER}\n`])]],
  );
  assert.deepEqual(
    await fixesOf('removed-option', '{ ... }:\n{\n  clan.core.vars.generators.borg = {\n      migrateFact = "borg";\n    files.key = { };\n    script = "touch $out/key";\n  };\n}\n'),
    [[3, removeOnly(['a.nix', range(3, 0, 4, 0), `      # ${MARKER}\n`])]],
  );
  assert.deepEqual(
    await fixesOf('removed-option', '{ ... }:\n{\n  clan.core.vars.generators.borg = { migrateFact = "borg"; files.key = { }; script = "touch $out/key"; };\n}\n'),
    [[2, removeOnly(['a.nix', range(2, 37, 2, 59), `/* ${MARKER} */ `])]],
  );
  // at the start of a line, with more on it: part of a line all the same
  assert.deepEqual(
    await fixesOf('removed-option', '{ ... }:\n{\n  clan.core.vars.generators.borg = {\nmigrateFact = "borg"; files.key = { };\n    script = "touch $out/key";\n  };\n}\n'),
    [[3, removeOnly(['a.nix', range(3, 0, 3, 22), `/* ${MARKER} */ `])]],
  );
});

test('facts-leftover fix: a service of a module no machine imports rewrites its readers everywhere; one on machine a those in modules sharing a machine with it; sops-nix secrets are no facts services', async () => {
  const svc = (n: string) => `  clan.core.facts.services.${n} = { secret.key = { }; generator.script = "touch $secrets/key"; };\n`;
  const rd = (n: string) => `  x.${n} = config.clan.core.facts.services.${n}.secret.key.path;\n`;
  const found = await findings('facts-leftover', {
    'flake.nix': flake({ a: ['a.nix', 'both.nix'], b: ['b.nix', 'both.nix'] }),
    'lib.nix': mod(svc('lone'), '  sops.secrets.sec = { };\n'),
    'a.nix': mod(svc('borg'), rd('lone'), rd('borg'), '  y = config.sops.secrets.borg.path;\n'),
    'both.nix': mod(rd('borg'), rd('lone')),
    'b.nix': mod(rd('borg'), rd('lone')),
  });
  const message = (n: string) => `clan.core.facts.services.${n} belongs to the removed facts system: move it to a vars generator (clan.core.vars.generators.${n}); the quick fix rewrites it and every reader of its files.`;
  const path_ = (n: string) => `config.clan.core.vars.generators.${n}.files.key.path`;
  assert.deepEqual(
    found.map((p) => [p.file, p.range.start.line, p.severity, p.message, p.fixes?.map((f) => [f.title, f.safe, f.preview, f.edits.map((e) => [e.file, e.range.start.line, e.newText.startsWith(`clan.core.vars.generators.${n(p)} = {\n`) ? 'generator' : e.newText])])]),
    [
      ['a.nix', 2, 'warning', message('borg'), [["Move facts service 'borg' to a vars generator", false, `Rewrites the declaration and 2 readers in 2 files.${STORED}`, [['a.nix', 2, 'generator'], ['a.nix', 4, path_('borg')], ['both.nix', 2, path_('borg')]]]]],
      ['lib.nix', 2, 'warning', message('lone'), [["Move facts service 'lone' to a vars generator", false, `Rewrites the declaration and 3 readers in 4 files.${STORED}`, [['lib.nix', 2, 'generator'], ['a.nix', 3, path_('lone')], ['b.nix', 3, path_('lone')], ['both.nix', 3, path_('lone')]]]]],
    ],
  );
});
const n = (p: Problem) => p.message.split(' ')[0].split('.').pop();

test("sops-nix-secret: a per-machine secret of no fact's generator is a plain one: its fix rewrites its readers to its own generator", async () => {
  const found = await findings('sops-nix-secret', {
    'flake.nix': flake({ a: ['a.nix'] }),
    'a.nix': mod(HOST_SECRET('-key'), '  y = config.sops.secrets."${config.networking.hostName}-key".path;\n'),
  });
  assert.deepEqual(summary(found), [plainHint('a.nix:2', '<machine>-key')]);
  assert.deepEqual(found[0].fixes?.[0].edits.slice(1).map((e) => [e.file, e.range.start.line, e.newText]), [['a.nix', 3, 'config.clan.core.vars.generators.key.files.value.path']]);
});
