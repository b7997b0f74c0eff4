// Words for the states of generators and files, for the vars view. Plain node: no vscode import.
// Names and what was read from disk are escaped for where they are shown (base/printable.ts): the
// generator's tooltip is Markdown, the file's plain text.
import type { FileStatus, GeneratorStatus, MachineSource, SecretBackend } from '../../../server/src/lsp/protocol';
import { markdownCode as code, markdownText, printable } from '../../../server/src/base/printable';
import { attrName } from '../../../server/src/syntax/syntax';

const GENERATOR_WORDS: Record<GeneratorStatus['state'], string> = {
  generated: 'generated',
  partial: 'partly generated',
  missing: 'missing',
  outdated: 'validation outdated',
  'recipients-outdated': 'recipients out of date',
  orphaned: 'orphaned',
  unknown: 'state unknown',
};

/** The worst of a generator's problems and how many: `2 errors`, `1 warning`; empty when it has none. */
export function problemsSummary(g: GeneratorStatus): { severity: 'error' | 'warning'; text: string } | null {
  const list = g.problems ?? [];
  if (!list.length) return null;
  const errors = list.filter((p) => p.severity === 'error').length;
  const severity = errors ? 'error' : 'warning';
  const n = errors || list.length;
  return { severity, text: `${n} ${severity}${n === 1 ? '' : 's'}${errors && list.length > errors ? ` (+${list.length - errors} warning${list.length - errors === 1 ? '' : 's'})` : ''}` };
}

export function describeGenerator(g: GeneratorStatus, backend: SecretBackend): { short: string; long: string } {
  const lines = [`**${markdownText(g.name)}** ${g.machine ? `on machine ${code(g.machine)}` : '(shared or machine unknown)'}: ${GENERATOR_WORDS[g.state]}`, ''];
  // what the checker finds in its declarations comes first: the view never calls a generator fine that the Problems panel reports
  const summary = problemsSummary(g);
  if (summary) lines.push(`**${summary.text}** in its declarations:`, ...g.problems!.map((p) => `- ${p.severity}: ${markdownText(p.message)}`), '');
  if (g.state === 'orphaned') {
    const whose = g.machine ? `Machine ${code(g.machine)} has no generator ${code(g.name)}` : `No shared generator ${code(g.name)} is declared`;
    lines.push(`${whose} any more (renamed or removed): clan no longer uses or regenerates these vars. Move them to the generator's new name, or delete them once nothing needs them.`);
    lines.push('', `Secret backend: ${backend}.`);
    return { short: 'orphaned: no generator writes these vars', long: lines.join('\n') };
  }
  if (g.why === 'stored') lines.push('Only its vars are stored for this machine: none of the modules we can read gives it this generator, but some of its modules cannot be read, so it may have it.', '');
  const v = g.validation;
  if (v.kind === 'match') lines.push(`Validation hash matches (${code(`${v.expected?.slice(0, 12)}…`)}).`);
  else if (v.kind === 'outdated') lines.push(`Validation hash outdated${v.reason ? ` (${markdownText(v.reason)})` : ''}: stored ${code(v.stored ?? 'none')}, expected ${code(v.expected ?? 'none')}. The next \`clan vars generate\` runs it again.`);
  else if (v.kind === 'unknown') lines.push(`Validation hash: ${v.reason ? markdownText(v.reason) : 'cannot be known without evaluation'}.`);
  else if (v.kind === 'absent') lines.push('Validation hash: not stored yet.');
  if (g.filesFromDisk && g.files.length) lines.push('', 'The declared files are not known statically; the files listed are those on disk.');
  if (g.dependents.length) lines.push('', `Regenerating it also re-runs: ${g.dependents.map(code).join(', ')}.`);
  if (!g.declarations.length) lines.push('', 'Not declared in this workspace (found on disk only).');
  lines.push('', `Secret backend: ${backend}.`);
  // a generator a migration fix created, whose value has not been carried over yet
  const waiting = g.movedFrom && g.files.some((f) => f.state === 'missing');
  if (waiting) lines.push('', `Moved from ${g.movedFrom}: its value is not in clan vars yet. Carry it over with the migration script (Clan Vars: Write Migration Script, or \`clan-vars-lint --migration-script\`) before generating or deploying.`);
  const short = waiting ? `moved from ${g.movedFrom}, no value yet` : GENERATOR_WORDS[g.state];
  // the state first, then the count of problems (the row's icon already shows their severity): the
  // sidebar cuts the end of a long description, and cut there the state is still read whole
  return { short: summary ? `${short} · ${summary.text}` : short, long: lines.join('\n') };
}

/**
 * The stored values still to carry over to vars on each machine: the files not stored yet of the
 * generators a migration fix wrote (their `# moved from` comment), until `clan vars check` finds them.
 */
export function valuesToMove(clans: { machines: { name: string; generators: GeneratorStatus[] }[] }[]): { machine: string; count: number }[] {
  const out: { machine: string; count: number }[] = [];
  for (const c of clans) {
    for (const m of c.machines) {
      const count = m.generators.filter((g) => g.movedFrom).reduce((n, g) => n + g.files.filter((f) => f.state === 'missing').length, 0);
      if (count) out.push({ machine: m.name, count });
    }
  }
  return out;
}

export function describeFile(f: FileStatus): { short: string; long: string } {
  const kind = f.kind === 'public' ? 'public' : f.kind ? `secret (${f.kind})` : f.secret === null ? 'secret or public' : 'secret';
  const state = f.state === 'recipients-outdated' ? 'recipients out of date' : f.state === 'unknown' ? 'not known here' : f.state;
  // the state first, short enough for the sidebar's default width: the backend is the clan's (on its
  // node), secret is the default; the tooltip has it all
  const short = f.kind === 'public' ? `${state} · public` : f.secret === null ? `${state} · secret or public` : state;
  return { short, long: [`${printable(f.name)}: ${kind}, ${state}`, f.path ? `${f.state === 'missing' || f.state === 'unknown' ? 'expected at' : 'at'} ${printable(f.path)}` : '', printable(f.detail ?? '')].filter(Boolean).join('\n') };
}

/** Where a machine was found, in the clan's own terms (the model's MachineSource names are ours). */
function sourceWords(source: MachineSource, machine: string): string {
  switch (source) {
    case 'matrix':
      return 'the registry matrix';
    case 'machines-dir':
      return `its folder machines/${machine}/`;
    case 'inventory':
      return 'the inventory';
    case 'modules':
      return 'a clan.machines module';
    case 'vars':
      return `vars stored for it (vars/per-machine/${machine}/)`;
  }
}

export interface MachineFacts {
  name: string;
  sources: MachineSource[];
  generators: GeneratorStatus[];
  /** Flake inputs not on this machine whose modules it imports. */
  missingInputs?: string[];
  /** Facts services or sops-nix secrets still declared in its modules. */
  legacy?: number;
}

/**
 * A machine's row (the vars view, the machine pickers): `short` is what needs doing, most urgent
 * first, with no name in it (a row cut at the sidebar's edge never cuts a name in half, and the
 * name is the row's label); `long`, for the tooltip, has the names and where the machine was found.
 */
export function describeMachine(m: MachineFacts): { short: string; long: string } {
  const short: string[] = [];
  const long: string[] = [`Machine ${m.name}, found in ${m.sources.map((s) => sourceWords(s, m.name)).join(', ')}.`];
  const missing = m.missingInputs ?? [];
  if (missing.length) {
    short.push(`${missing.length} input${missing.length === 1 ? '' : 's'} not fetched`);
    long.push(`It imports modules of flake inputs not on this machine (${missing.map((n) => `'${n}'`).join(', ')}): their generators are unknown. Fetch the flake inputs to read them.`);
  }
  const total = m.generators.length;
  const bad = m.generators.filter((g) => g.state !== 'generated' && g.state !== 'orphaned').length;
  short.push(total ? (bad ? `${bad} of ${total} to generate` : `${total} generated`) : 'no generators known');
  const toMove = valuesToMove([{ machines: [{ name: m.name, generators: m.generators }] }])[0]?.count ?? 0;
  if (toMove) {
    short.push(`${toMove} value${toMove === 1 ? '' : 's'} to move`);
    long.push(`${toMove} stored value${toMove === 1 ? '' : 's'} of facts or sops-nix not in clan vars yet: carry ${toMove === 1 ? 'it' : 'them'} over with the migration script (Clan Vars: Write Migration Script).`);
  }
  const legacy = m.legacy ?? 0;
  if (legacy) {
    short.push(`${legacy} to migrate`);
    long.push(`${legacy} facts service${legacy === 1 ? '' : 's'} or sops-nix secret${legacy === 1 ? '' : 's'} still declared in its modules (hints in the editor: the Problems panel leaves hints out). Clan Vars: Show Migration Report lists them.`);
  }
  return { short: printable(short.join(' · ')), long: printable(long.join('\n')) };
}

/** The Nix expression of a var's path, as a module would write it. */
export function nixPathExpression(generator: string, file: string): string {
  return `config.clan.core.vars.generators.${attrName(generator)}.files.${attrName(file)}.path`;
}
