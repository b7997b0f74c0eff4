// What the generator rules conclude from a generator over all its declarations (rules/generatorFacts.ts):
// which computed names could be the same generator (two name patterns meet only where both their
// starts and their ends agree), on which machines, with which scripts; and the files a generator
// has (persisted prompts count, computed or unread names leave them unknown).
import { runRuleCases } from '../helpers/ruleCases';

/** A module with one generator written as `clan.core.vars.generators.<name> = { <body> };`, `name` as written (quoted, interpolated). */
const gen = (name: string, body: string, args = 'name') => `{ ${args}, pkgs, ... }:\n{\n  clan.core.vars.generators.${name} = {\n${body}\n  };\n}\n`;
/** A generator whose script reads prompt `prompt` (its `$prompts/` mention on line 6). */
const reader = (name: string, prompt: string) => gen(name, `    files.key = { };\n    script = ''\n      cat $prompts/${prompt} > $out/key\n    '';`);
/** A generator (no script) declaring prompt `prompt`. */
const declarer = (name: string, prompt: string) => gen(name, `    prompts.${prompt} = { };`);

/** A reader of `pattern` (file r.nix) and a declarer of `other` (file d.nix): whether the declaration is merged into the reader. */
const meet = (pattern: string, other: string, merged: boolean, why: string) => ({
  name: `unknown-prompt: "${pattern}" and "${other}" ${merged ? 'can' : 'cannot'} be one generator (${why})`,
  files: { 'r.nix': reader(`"${pattern}"`, 'psk'), 'd.nix': declarer(`"${other}"`, 'psk') },
  expect: merged ? [] : ['r.nix:6 unknown-prompt'],
  only: ['unknown-prompt'],
});

const FLAKE = `{
  outputs = { clan-core, ... }: {
    clan = clan-core.lib.clan {
      machines.a.imports = [ ./a.nix ];
      machines.b.imports = [ ./b.nix ];
    };
  };
}
`;
const imports = (...files: string[]) => `{ ... }:\n{\n  imports = [ ${files.map((f) => `./${f}`).join(' ')} ];\n}\n`;

runRuleCases('generator facts', [
  meet('web-${name}', 'wifi-${name}', false, 'their starts differ after the first letter'),
  meet('${name}', 'wg-${name}', true, 'anything is also wg-anything'),
  meet('wg-${name}', '${name}', true, 'wg-anything is also anything'),
  meet('wg-home-${name}', 'wg-${name}', true, 'the start of one begins with the start of the other'),
  meet('wg-${name}', 'wg-home-${name}', true, 'the start of one begins with the start of the other, the other way round'),
  meet('${name}-a', '${name}-b', false, 'their ends differ'),
  meet('${name}-key', '${name}', true, 'an end and no end'),
  meet('${name}-home-key', '${name}-key', true, 'the end of one ends with the end of the other'),
  meet('${name}-key', '${name}-home-key', true, 'the end of one ends with the end of the other, the other way round'),
  {
    name: 'unknown-prompt: a generator with a script in one of its declarations (not in the other) takes no prompt from a computed name with a script of its own',
    files: {
      'tok.nix': reader('tok', 'seed'),
      'tok-more.nix': gen('tok', `    files.extra = { };`),
      'any.nix': gen('"${name}"', `    prompts.seed = { };\n    files.x = { };\n    script = ''\n      cat $prompts/seed > $out/x\n    '';`),
    },
    expect: ['tok.nix:6 unknown-prompt'],
    only: ['unknown-prompt'],
  },
  {
    name: 'unknown-prompt: the prompts a generator is said to declare are listed in clan order, a computed name of an earlier file first',
    files: {
      'a-any.nix': declarer('"${name}"', 'alpha'),
      'z-tok.nix': gen('tok', `    prompts.beta = { };\n    files.key = { };\n    script = ''\n      cat $prompts/nope > $out/key\n    '';`),
    },
    expect: ['z-tok.nix:7 unknown-prompt'],
    only: ['unknown-prompt'],
    messages: [/declares no prompt 'nope'.*Declared prompts: alpha, beta\.$/],
  },
  {
    name: 'unknown-prompt: a generator no machine imports may be merged with a computed name of a machine',
    files: { 'flake.nix': FLAKE, 'a.nix': imports('more.nix'), 'b.nix': imports(), 'orphan.nix': reader('t', 'pw'), 'more.nix': declarer('"${name}"', 'pw') },
    expect: [],
    only: ['unknown-prompt'],
  },
  {
    name: 'unknown-prompt: a computed name no machine imports may be merged into a generator of a machine',
    files: { 'flake.nix': FLAKE, 'a.nix': imports('t.nix'), 'b.nix': imports(), 't.nix': reader('t', 'pw'), 'orphan.nix': declarer('"${name}"', 'pw') },
    expect: [],
    only: ['unknown-prompt'],
  },
  {
    name: 'unknown-prompt: a generator of two machines is merged with a computed name of one of them',
    files: { 'flake.nix': FLAKE, 'a.nix': imports('t.nix', 'more.nix'), 'b.nix': imports('t.nix'), 't.nix': reader('t', 'pw'), 'more.nix': declarer('"${name}"', 'pw') },
    expect: [],
    only: ['unknown-prompt'],
  },
]);

/** A generator depending on `dep` whose script reads each of `files` of it, one a line (the first on line 7). */
const inputReader = (dep: string, ...files: string[]) =>
  gen('r', `    dependencies = [ "${dep}" ];\n    files.out = { };\n    script = ''\n${files.map((f) => `      cat $in/${dep}/${f} >> $out/out`).join('\n')}\n    '';`);

/** A module where `n` is a name only evaluation knows ("pw"), with `body`. */
const evaluatedNames = (body: string) => `{ lib, ... }:\nlet\n  n = lib.toLower "PW";\nin\n{\n${body}\n}\n`;

runRuleCases('generator files', [
  {
    name: 'unknown-input: a prompt with persist = true declares a file of its name, one without does not',
    files: { 'dep.nix': gen('dep', `    prompts.pw = { };\n    prompts.tok.persist = true;\n    files.k = { };`), 'r.nix': inputReader('dep', 'pw', 'tok', 'k') },
    expect: ['r.nix:7 unknown-input'],
    only: ['unknown-input'],
    messages: [/^Generator 'dep' declares no file 'pw', so \$in\/dep\/pw does not exist when the script runs\./],
  },
  {
    name: 'unknown-input: a persist flag that is no literal leaves the files unknown',
    files: { 'dep.nix': gen('dep', `    prompts.pw.persist = cfg.persist;\n    files.k = { };`, 'cfg'), 'r.nix': inputReader('dep', 'other') },
    expect: [],
    only: ['unknown-input'],
  },
  {
    name: 'unknown-input: a computed name under another option than files and prompts leaves the files known',
    files: { 'dep.nix': gen('dep', `    files.k = { };\n    validation."\${name}" = 1;`), 'r.nix': inputReader('dep', 'other') },
    expect: ['r.nix:7 unknown-input'],
    only: ['unknown-input'],
  },
  {
    name: 'unknown-input: a generator only evaluation names, with prompts, may persist any of them',
    files: { 'dep.nix': evaluatedNames(`  clan.core.vars.generators."\${n}-x" = { prompts.pw = { }; files.k = { }; };`), 'r.nix': inputReader('pw-x', 'pw') },
    expect: [],
    only: ['unknown-input'],
  },
  {
    name: 'unknown-input: settings of a file whose name only evaluation knows leave the files unknown',
    files: { 'dep.nix': evaluatedNames(`  clan.core.vars.generators.dep = { files.k = { }; files."\${n}".secret = false; };`), 'r.nix': inputReader('dep', 'other') },
    expect: [],
    only: ['unknown-input'],
  },
  {
    name: 'unknown-input: settings of a prompt whose name only evaluation knows leave the files unknown',
    files: { 'dep.nix': evaluatedNames(`  clan.core.vars.generators.dep = { files.k = { }; prompts."\${n}".type = "hidden"; };`), 'r.nix': inputReader('dep', 'other') },
    expect: [],
    only: ['unknown-input'],
  },
  {
    name: 'unknown-input: the same with every name known: the file read is not declared',
    files: { 'dep.nix': evaluatedNames(`  clan.core.vars.generators.dep = { files.k = { }; files.pw.secret = false; prompts.pw.type = "hidden"; };`), 'r.nix': inputReader('dep', 'other') },
    expect: ['r.nix:7 unknown-input'],
    only: ['unknown-input'],
  },
]);

runRuleCases('generator files of a name', [
  {
    name: 'unknown-var-read: a module no machine we read imports reads a generator no module declares besides a file typo of a declared one: the typo is still reported',
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': `{ inputs, ... }: {\n  imports = [ inputs.x.nixosModules.y ];\n}\n`,
      'modules/signing.nix': `{ config, ... }: {\n  clan.core.vars.generators.ssh-host = { files.key = { }; script = "touch $out/key"; };\n  environment.etc.a.source = config.clan.core.vars.generators.nowhere.files.key.path;\n  environment.etc.b.source = config.clan.core.vars.generators.ssh-host.files.kye.path;\n}\n`,
    },
    only: ['unknown-var-read'],
    expect: ['modules/signing.nix:4 unknown-var-read'],
    messages: [/^No module we can read declares a file 'kye' of generator 'ssh-host', and no machine we read imports this module\. Did you mean 'key'\?/],
  },
]);
