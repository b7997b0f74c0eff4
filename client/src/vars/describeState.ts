// Words for the states of generators and files, for the vars view. Plain node: no vscode import.
import type { FileStatus, GeneratorStatus, SecretBackend } from '../../../server/src/protocol';

const GENERATOR_WORDS: Record<GeneratorStatus['state'], string> = {
  generated: 'generated',
  partial: 'partly generated',
  missing: 'missing',
  outdated: 'validation outdated',
  'recipients-outdated': 'recipients out of date',
  unknown: 'state unknown',
};

export function describeGenerator(g: GeneratorStatus, backend: SecretBackend): { short: string; long: string } {
  const lines = [`**${g.name}** ${g.machine ? `on machine \`${g.machine}\`` : '(shared or machine unknown)'}: ${GENERATOR_WORDS[g.state]}`, ''];
  const v = g.validation;
  if (v.kind === 'match') lines.push(`Validation hash matches (\`${v.expected?.slice(0, 12)}…\`).`);
  else if (v.kind === 'outdated') lines.push(`Validation hash outdated${v.reason ? ` (${v.reason})` : ''}: stored \`${v.stored ?? 'none'}\`, expected \`${v.expected ?? 'none'}\`. The next \`clan vars generate\` runs it again.`);
  else if (v.kind === 'unknown') lines.push(`Validation hash: ${v.reason ?? 'cannot be known without evaluation'}.`);
  else if (v.kind === 'absent') lines.push('Validation hash: not stored yet.');
  if (g.filesFromDisk && g.files.length) lines.push('', 'The declared files are not known statically; the files listed are those on disk.');
  if (g.dependents.length) lines.push('', `Regenerating it also re-runs: ${g.dependents.map((d) => `\`${d}\``).join(', ')}.`);
  if (!g.declarations.length) lines.push('', 'Not declared in this workspace (found on disk only).');
  lines.push('', `Secret backend: ${backend}.`);
  return { short: GENERATOR_WORDS[g.state], long: lines.join('\n') };
}

export function describeFile(f: FileStatus): { short: string; long: string } {
  const kind = f.kind === 'public' ? 'public' : f.kind ? `secret (${f.kind})` : f.secret === null ? 'secret or public' : 'secret';
  const state = f.state === 'recipients-outdated' ? 'recipients out of date' : f.state;
  return { short: `${kind}, ${state}`, long: [`${f.name}: ${kind}, ${state}`, f.path ? `${f.state === 'missing' ? 'expected at' : 'at'} ${f.path}` : '', f.detail ?? ''].filter(Boolean).join('\n') };
}

/** The Nix expression of a var's path, as a module would write it. */
export function nixPathExpression(generator: string, file: string): string {
  const attr = (s: string) => (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(s) ? s : JSON.stringify(s));
  return `config.clan.core.vars.generators.${attr(generator)}.files.${attr(file)}.path`;
}
