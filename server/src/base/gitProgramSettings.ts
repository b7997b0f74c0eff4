// The git settings that make git run a program: a repository's own configuration that sets one is
// refused by the fetch plan (gitRepoConfig.ts reads the configuration, fetchPlan.ts refuses).

/**
 * Settings that make git run a program (`*` is any subsection), and when the value does: aliases
 * are not here (git never runs an alias for the name of a built-in command, and nix runs only
 * built-ins), nor `core.fsmonitor` and `core.hooksPath`, which the child overrides (gitRepoConfig.ts,
 * GIT_OVERRIDES).
 */
const PROGRAM_SETTINGS: [pattern: string, runs?: (value: string) => boolean][] = [
  ['core.sshcommand'],
  ['core.pager'],
  ['pager.*'],
  ['core.editor'],
  ['sequence.editor'],
  ['core.askpass'],
  ['core.gitproxy'],
  ['core.alternaterefscommand'],
  ['credential.helper', (v) => v !== ''],
  ['credential.*.helper', (v) => v !== ''],
  ['filter.*.clean'],
  ['filter.*.smudge'],
  ['filter.*.process'],
  ['diff.external'],
  ['diff.*.textconv'],
  ['diff.*.command'],
  ['interactive.difffilter'],
  ['merge.*.driver'],
  ['difftool.*.cmd'],
  ['difftool.*.path'],
  ['mergetool.*.cmd'],
  ['mergetool.*.path'],
  ['gpg.program'],
  ['gpg.*.program'],
  ['gpg.ssh.defaultkeycommand'],
  ['protocol.allow', (v) => v.toLowerCase() !== 'never'],
  ['protocol.*.allow', (v) => v.toLowerCase() !== 'never'],
  ['remote.*.uploadpack'],
  ['remote.*.receivepack'],
  ['remote.*.vcs'],
  ['submodule.*.update', (v) => v.startsWith('!')],
  ['uploadpack.packobjectshook'],
  ['tar.*.command'],
  ['trailer.*.command'],
  ['trailer.*.cmd'],
  ['man.*.cmd'],
  ['man.*.path'],
  ['browser.*.cmd'],
  ['browser.*.path'],
  ['guitool.*.cmd'],
  ['instaweb.httpd'],
  ['imap.tunnel'],
  ['sendemail.sendmailcmd'],
  ['sendemail.*.sendmailcmd'],
  ['sendemail.smtpserver', (v) => v.startsWith('/')],
  ['sendemail.*.smtpserver', (v) => v.startsWith('/')],
  ['sendemail.tocmd'],
  ['sendemail.cccmd'],
  ['sendemail.headercmd'],
  ['lfs.customtransfer.*.path'],
  ['lfs.extension.*.clean'],
  ['lfs.extension.*.smudge'],
];

const MATCHERS = PROGRAM_SETTINGS.map(([pattern, runs]) => ({
  re: new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.]/g, '\\.')).join('.+')}$`, 's'),
  runs: runs ?? (() => true),
}));

/** Whether a setting (its name as `git config --list` prints it: section and key in lower case) makes git run a program. */
export function runsProgram(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  return MATCHERS.some((m) => m.re.test(lower) && m.runs(value));
}
