// The documentation of every option a generator, a file and a prompt accept, in our own words.
// One table, read by hover (on an option key) and completion (option names, enum values).
import { CLAN_SECRET_STORES } from './secretBackends';

export type OptionScope = 'generator' | 'file' | 'prompt' | 'display' | 'settings';

export interface OptionDoc {
  name: string;
  scope: OptionScope;
  type: string;
  default: string;
  /** Allowed values of an enum option, in the order they are offered. */
  values?: string[];
  /** What it does, in one or two short paragraphs (markdown). */
  doc: string;
  /** Set on options the user should not write (read-only or computed). */
  readOnly?: boolean;
}

export const NEEDED_FOR = ['services', 'users', 'activation', 'partitioning'];
export const PROMPT_TYPES = ['line', 'hidden', 'multiline', 'multiline-hidden'];
export const SECRET_STORES = [...CLAN_SECRET_STORES];

const o = (scope: OptionScope, name: string, type: string, def: string, doc: string, extra: Partial<OptionDoc> = {}): OptionDoc => ({
  name,
  scope,
  type,
  default: def,
  doc,
  ...extra,
});

export const OPTION_DOCS: OptionDoc[] = [
  // generator level
  o('generator', 'files', 'attribute set of files', '`{ }`', 'The files this generator must write into `$out`. Each one is declared with its own options (secret, deploy, owner, mode, ...). Generation fails when the script does not produce one of them; anything else it writes is dropped.'),
  o('generator', 'prompts', 'attribute set of prompts', '`{ }`', 'Values asked from the person running `clan vars generate`, before any script runs. The script reads each answer from `$prompts/<name>`.'),
  o('generator', 'dependencies', 'list of generator names', '`[ ]`', 'Generators that must run before this one. Every file of a dependency (secret or not) is handed to the script as `$in/<dependency>/<file>`; generators not listed here are invisible to the script.'),
  o('generator', 'runtimeInputs', 'list of packages', '`[ ]`', 'Packages put on `PATH` while the script runs. `PATH` holds these plus coreutils and nothing else, so tools such as `openssl`, `ssh-keygen`, `jq` or `sed` must be listed.'),
  o('generator', 'script', 'string or path', '`""`', 'Bash run with `set -euo pipefail` in a sandbox without network, inside a fresh temporary directory. It reads `$in/<dep>/<file>` and `$prompts/<name>` and must write every declared file to `$out/<file>`.'),
  o('generator', 'share', 'boolean', '`false`', 'When true the values are generated once and used by every machine that declares the generator (stored under `vars/shared/<name>`). Every such machine must declare it identically, and a shared generator may not depend on a per-machine one.'),
  o('generator', 'validation', 'null, bool, int, string, or an attribute set of those (at most two levels deep, no lists)', '`null`', 'Inputs that invalidate the generated values: clan stores the SHA-256 of `builtins.toJSON validation` in `vars/<dir>/.validation-hash` and regenerates when it changes. Changing `script`, `files` or `prompts` alone does not trigger regeneration.'),
  o('generator', 'name', 'string', 'the attribute name', 'The generator\'s name, as used in `dependencies` and `$in/<name>`. Set from the attribute name; do not set it.', { readOnly: true }),
  o('generator', 'migrateFact', 'removed', '—', 'Removed together with the facts system: the clan-core of 2026-05-29 and later rejects it, older ones ignore it. Migrate the old facts by hand and delete it.', { readOnly: true }),
  // files.<name>
  o('file', 'secret', 'boolean', '`true`', 'Whether the file is a secret. Secrets go to the secret store (sops, age, password-store) and are decrypted on the target; public files are committed in plain text under `vars/` and end up in the Nix store, readable through `.value`.'),
  o('file', 'deploy', 'boolean', '`true`', 'Whether the file is installed on the machine. Turn it off for files only other generators read (`$in/...`), such as a CA key: they are then encrypted for the admins only.'),
  o('file', 'owner', 'string', '`"root"`', 'User (name or id) owning the deployed file. Only meaningful for secrets; prefer systemd `LoadCredential=` for services running as another user. Must stay `root` with `neededFor = "users"`.'),
  o('file', 'group', 'string', '`"root"` (`"wheel"` on darwin)', 'Group (name or id) owning the deployed file. Only meaningful for secrets; must stay `root` with `neededFor = "users"`.'),
  o('file', 'mode', 'string of four octal digits (`^[0-7]{4}$`)', '`"0400"`', 'Permissions of the deployed file. Four digits: the old three-digit form (`"400"`) is rejected by current clan. Public files ignore it (they live in the Nix store).'),
  o('file', 'neededFor', 'one of "services", "users", "activation", "partitioning"', '`"services"`', 'When the secret must be on the machine: `services` (normal, `/run/secrets/...`), `users` (before users and groups are created, e.g. password hashes; owner and group must be root), `activation` (uploaded before `nixos-rebuild`), `partitioning` (only during install, for disko disk-encryption keys).', { values: NEEDED_FOR }),
  o('file', 'restartUnits', 'list of strings', '`[ ]`', 'systemd units restarted when the file changes after a deployment. Only the sops backend honours it, and it is an error on darwin machines.'),
  o('file', 'path', 'string (read-only)', 'set by the backend', 'Where the file is on the machine (secrets) or in the Nix store (public files). Read it as `config.clan.core.vars.generators.<g>.files.<f>.path`; never write the path yourself.', { readOnly: true }),
  o('file', 'value', 'string (read-only)', 'the file\'s content', 'The content of a public file, read at evaluation time. Fails for secrets and for files not generated yet (guard with `.exists` or `lib.mkDefault`).', { readOnly: true }),
  o('file', 'exists', 'boolean (read-only)', 'whether the file was generated', 'True when the public file is in `vars/`. Use it to guard `.value` and `.path`; it fails for secrets.', { readOnly: true }),
  o('file', 'flakePath', 'path or null (read-only)', 'set for public files', 'The file\'s location inside the clan repository (`vars/<dir>/<file>/value`). Set automatically.', { readOnly: true }),
  o('file', 'name', 'string (read-only)', 'the attribute name', 'The file\'s name, as written to `$out/<name>`.', { readOnly: true }),
  // prompts.<name>
  o('prompt', 'type', 'one of "line", "hidden", "multiline", "multiline-hidden"', '`"line"`', 'How the value is asked: `line` is one visible line, `hidden` is a password (asked twice), `multiline` ends with Ctrl-D, `multiline-hidden` is a hidden multi-line value.', { values: PROMPT_TYPES }),
  o('prompt', 'description', 'string', 'the prompt\'s name', 'The question shown when asking. When it equals the name, the CLI asks "Enter the value for <generator>/<prompt>".'),
  o('prompt', 'persist', 'boolean', '`false`', 'Store the answer as a file of the same name (a secret unless `files.<name>.secret = false`), copied from `$prompts/<name>` to `$out/<name>` before the script runs. Stored answers are offered again next time; unpersisted answers are lost after generation.'),
  o('prompt', 'display', 'attribute set', '`{ }`', 'How the graphical clan app presents the prompt (`group`, `label`, `required`, `helperText`). The CLI ignores it.'),
  o('prompt', 'name', 'string (read-only)', 'the attribute name', 'The prompt\'s name: the script reads `$prompts/<name>`.', { readOnly: true }),
  // prompts.<name>.display
  o('display', 'group', 'string or null', '`null`', 'Prompts with the same group are shown together in the clan app.'),
  o('display', 'label', 'string or null', '`null`', 'The label shown in the clan app instead of the prompt\'s name.'),
  o('display', 'required', 'boolean', '`true`', 'Whether the clan app insists on a value. The CLI accepts empty input either way.'),
  o('display', 'helperText', 'string or null', '`null`', 'Extra explanation shown next to the prompt in the clan app.'),
  // vars.settings
  o('settings', 'secretStore', `one of ${CLAN_SECRET_STORES.map((s) => `"${s}"`).join(', ')}`, '`"sops"`', 'Where secret files are kept: `sops` (encrypted in `vars/`, keys in `sops/`), `age` (`secrets/clan-vars/`), `password-store` (pass or passage, outside the repository) or a custom module. Set it at clan level (`clan.vars.settings`).', { values: SECRET_STORES }),
];

const byScope = new Map<OptionScope, Map<string, OptionDoc>>();
for (const d of OPTION_DOCS) {
  let m = byScope.get(d.scope);
  if (!m) byScope.set(d.scope, (m = new Map()));
  m.set(d.name, d);
}

/** The options allowed in one scope, in table order. */
export function optionsOf(scope: OptionScope): OptionDoc[] {
  return [...(byScope.get(scope)?.values() ?? [])];
}

/**
 * The documentation of an option given its path relative to a generator, e.g.
 * ["files", "key", "mode"], ["prompts", "pw", "display", "label"], ["share"].
 */
export function optionDocFor(path: string[]): OptionDoc | null {
  const [head, , third, fourth] = path;
  if (path.length === 1) return byScope.get('generator')?.get(head) ?? null;
  if (head === 'files' && path.length === 3) return byScope.get('file')?.get(third) ?? null;
  if (head === 'prompts' && path.length === 3) return byScope.get('prompt')?.get(third) ?? null;
  if (head === 'prompts' && path.length === 4 && third === 'display') return byScope.get('display')?.get(fourth) ?? null;
  return null;
}

export function settingsDoc(name: string): OptionDoc | null {
  return byScope.get('settings')?.get(name) ?? null;
}

/** What each value of an enum option means (clan-core's option docs and clan_lib's prompt code). */
const VALUE_DOCS: Record<string, Record<string, string>> = {
  neededFor: {
    services: 'The default: decrypted when the system activates, for services, under `/run/secrets/...`.',
    users: 'Decrypted before users and groups are created, under `/run/secrets-for-users/...`, so it can hold a password hash (`hashedPasswordFile`). Owner and group must be `root`.',
    activation: 'Uploaded in plain text by the clan CLI before `nixos-rebuild` or `nixos-install` runs, under the upload directory (`/var/lib/sops-nix/activation/...` with sops, `/etc/secret-vars/activation/...` with age or password-store): for what activation itself needs.',
    partitioning: 'Only during `clan machines install`, before `disko` runs, under `/run/partitioning-secrets/...`: disk-encryption keys. Not deployed to the running system.',
  },
  type: {
    line: 'The default: one line of text, shown as it is typed (Enter ends it).',
    hidden: 'One line, not shown while typed, asked twice to confirm: passwords and tokens.',
    multiline: 'Several lines, shown as typed; Ctrl-D ends the input.',
    'multiline-hidden': 'Several lines, not shown while typed (Ctrl-D ends), asked twice to confirm: keys and certificates pasted in.',
  },
};

/** The meaning of `value` for the enum option `name`, or null. */
export function valueDoc(name: string, value: string): string | null {
  return VALUE_DOCS[name]?.[value] ?? null;
}

/** Markdown for hover and completion documentation. */
export function optionMarkdown(d: OptionDoc, title = d.name): string {
  const lines = [`**${title}** — ${d.type}`, '', d.doc, '', `Default: ${d.default}`];
  if (d.values) lines.push('', `Allowed: ${d.values.map((v) => `\`"${v}"\``).join(', ')}`);
  if (d.readOnly) lines.push('', '_Set by clan: read it, do not set it._');
  return lines.join('\n');
}
