// The option rules: enums, mode, validation, removed options, ownership of public and users files.
import { generatorModule as gen, runRuleCases } from '../helpers/ruleCases';

const OPTION_CODES = ['invalid-needed-for', 'invalid-prompt-type', 'invalid-mode', 'invalid-validation', 'invalid-option-type', 'removed-option', 'public-file-ownership', 'users-secret-owner'];

runRuleCases('option rules', [
  {
    name: 'invalid-needed-for and invalid-prompt-type: values outside the enum, with the closest one',
    files: {
      'm.nix': gen('g', `    files.a.neededFor = "user";
    files.b.neededFor = "activation";
    files.c.neededFor = "boot";
    prompts.p.type = "hiden";
    prompts.q.type = "multiline-hidden";
    prompts.r.type = lib.mkDefault "line";`),
    },
    expect: ['m.nix:4 invalid-needed-for', 'm.nix:6 invalid-needed-for', 'm.nix:7 invalid-prompt-type'],
    only: OPTION_CODES,
    messages: [/neededFor of files\.a .*"user".*Did you mean "users"\?/, /Did you mean "hidden"\?/],
  },
  {
    name: 'invalid-needed-for and invalid-prompt-type: a value named like a property of every object is no known old spelling',
    files: {
      'm.nix': gen('g', `    files.a.neededFor = "constructor";
    prompts.p.type = "toString";
    prompts.q.type = "__proto__";`),
    },
    expect: ['m.nix:4 invalid-needed-for', 'm.nix:5 invalid-prompt-type', 'm.nix:6 invalid-prompt-type'],
    only: OPTION_CODES,
    // the message ends with clan's error: no "Did you mean" of a function's source text
    messages: [/cannot be "constructor": .*'"\.$/, /cannot be "toString": .*'"\.$/, /cannot be "__proto__": .*'"\.$/],
  },
  {
    name: 'invalid-mode: the old three-digit form, a number, garbage; four digits are fine',
    files: {
      'm.nix': gen('g', `    files.a.mode = "400";
    files.b.mode = 0440;
    files.c.mode = "rw-r--r--";
    files.d.mode = "0600";
    files.e.mode = cfg.mode;`),
    },
    expect: ['m.nix:4 invalid-mode', 'm.nix:5 invalid-mode', 'm.nix:6 invalid-mode'],
    only: OPTION_CODES,
    messages: [/old three-digit form.*Write "0400"/, /Nix reads 0440 as decimal 440/],
  },
  {
    name: 'invalid-validation: lists, floats, null inside and nesting deeper than two levels',
    files: {
      'm.nix': gen('g', `    validation = {
      hosts = [ "a" "b" ];
      ratio = 1.5;
      gone = null;
      ok.inner = "x";
      deep.a.b = "y";
    };`),
      'n.nix': gen('h', `    validation.name = config.networking.hostName;\n    validation.domains = lib.genAttrs [ "zt" ] lib.id;`),
      'o.nix': gen('i', `    validation = null;`),
    },
    expect: ['m.nix:5 invalid-validation', 'm.nix:6 invalid-validation', 'm.nix:7 invalid-validation', 'm.nix:9 invalid-validation'],
    only: OPTION_CODES,
  },
  {
    name: 'invalid-validation: values that are lists whatever they evaluate to (++, map, lib.attrNames, lib.optionals, through let, with, if and inherit); values that may be anything, and functions that give attrsets or strings, are fine',
    files: {
      'm.nix': `{ config, lib, hosts, ... }:
let
  peers = lib.attrNames config.services.peers;
  names = [ "a" ];
in
{
  clan.core.vars.generators.g = {
    files.k = { };
    script = "touch $out/k";
    validation = {
      joined = [ "a" ] ++ hosts;
      mapped = map (h: h.name) hosts;
      keys = lib.attrNames config.networking.hosts;
      maybe = lib.optionals config.x.enable [ "b" ];
      bound = peers;
      within = with lib; [ "c" ];
      either = if config.x.enable then [ "a" ] else [ ];
      inherit names;
      given = hosts;
      set = lib.genAttrs [ "a" ] (x: x);
      text = lib.concatStringsSep "," hosts;
      own = let map = f: xs: "x"; in map toString hosts;
      pick = if config.x.enable then [ "a" ] else "none";
    };
  };
}
`,
    },
    expect: ['m.nix:11 invalid-validation', 'm.nix:12 invalid-validation', 'm.nix:13 invalid-validation', 'm.nix:14 invalid-validation', 'm.nix:3 invalid-validation', 'm.nix:16 invalid-validation', 'm.nix:17 invalid-validation', 'm.nix:4 invalid-validation'],
    only: ['invalid-validation'],
    messages: [/validation\.keys of generator 'g' is a list/],
  },
  {
    name: 'invalid-option-type: secret, deploy, persist and share take true or false; variables and wrapped booleans are fine',
    files: {
      'm.nix': gen('g', `    share = "yes";
    files.a.secret = "no";
    files.b.deploy = 0;
    prompts.p.persist = null;
    files.c.secret = "sometimes";
    files.d.secret = lib.mkDefault false;
    files.e.deploy = someFlag;
    prompts.q.persist = true;`),
    },
    expect: ['m.nix:4 invalid-option-type', 'm.nix:5 invalid-option-type', 'm.nix:6 invalid-option-type', 'm.nix:7 invalid-option-type', 'm.nix:8 invalid-option-type'],
    only: OPTION_CODES,
    messages: [/share of generator 'g' must be true or false, not "yes": did you mean true\?/, /files\.a\.secret .* not "no": did you mean false\?/, /not of type `boolean'/],
  },
  {
    name: 'removed-option: migrateFact, createFile, neededForUsers, sops.owner',
    files: {
      'm.nix': gen('g', `    migrateFact = "openssh";
    prompts.p.createFile = true;
    files.a.neededForUsers = true;
    files.b.sops.owner = "alice";
    prompts.q.persist = true;`),
    },
    expect: ['m.nix:4 removed-option', 'm.nix:5 removed-option', 'm.nix:6 removed-option', 'm.nix:7 removed-option'],
    severities: ['warning', 'error', 'error', 'warning'],
    only: OPTION_CODES,
    messages: [/from 2026-05-29 on, evaluation fails/, /renamed to persist/, /neededFor = "users"/, /renamed to files\.<name>\.owner/],
  },
  {
    name: 'removed-option: migrateFact with a clan-core pinned before its removal still evaluates (warning)',
    files: { 'flake.lock': JSON.stringify({ root: 'root', version: 7, nodes: { root: { inputs: { 'clan-core': 'clan-core' } }, 'clan-core': { locked: { type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: 'r', lastModified: 1780056185 } } } }), 'm.nix': gen('g', `    migrateFact = "openssh";`) },
    expect: ['m.nix:4 removed-option'],
    only: OPTION_CODES,
    messages: [/ignores it, but evaluation breaks when you update clan-core past 2026-05-29/],
    severities: ['warning'],
  },
  {
    name: 'removed-option: migrateFact with a clan-core pinned after its removal fails evaluation (error)',
    files: { 'flake.lock': JSON.stringify({ root: 'root', version: 7, nodes: { root: { inputs: { 'clan-core': 'clan-core' } }, 'clan-core': { locked: { type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: 'r', lastModified: 1785873814 } } } }), 'm.nix': gen('g', `    migrateFact = "openssh";`) },
    expect: ['m.nix:4 removed-option'],
    only: OPTION_CODES,
    // the instruction first, the option's name once (issue 57: at 1280 px the Problems panel cut the line before it)
    messages: [/^migrateFact of generator 'g': delete this line once the facts are moved to vars: it no longer exists in the clan-core this flake pins\.(?!.*migrateFact of).*Evaluation fails with/],
    severities: ['error'],
  },
  {
    name: 'public-file-ownership: owner, group or mode on a file that is not secret',
    files: {
      'm.nix': gen('g', `    files.pub = {
      secret = false;
      owner = "nginx";
      mode = "0444";
      group = "root";
    };
    files.priv = { owner = "nginx"; mode = "0440"; };`),
    },
    expect: ['m.nix:6 public-file-ownership', 'm.nix:7 public-file-ownership'],
    only: OPTION_CODES,
    messages: [/is public, so its .* cannot be set .*added to the nix store/],
  },
  {
    name: 'users-secret-owner: neededFor = "users" with a non-root owner or group',
    files: {
      'm.nix': gen('g', `    files.hash = { neededFor = "users"; owner = "alice"; group = "root"; };
    files.other = { neededFor = "services"; owner = "alice"; };`),
    },
    expect: ['m.nix:4 users-secret-owner'],
    only: OPTION_CODES,
  },
], { spellings: true });
