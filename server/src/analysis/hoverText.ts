// Markdown for hovers: generator summaries, files, registry keys, script paths and options.
// Plain strings: the feature layer wraps them in LSP types.
import * as fs from 'node:fs';
import { optionDocFor, optionMarkdown, settingsDoc, valueDoc } from '../docs/options';
import type { Generator } from '../model/types';
import { generatorMayExist, relativeToClan, type ClanModel } from '../model/clanModel';
import { diskStates, stateLabel, summarize, type FileSummary, type GeneratorSummary } from './generatorSummary';
import type { SymbolAt } from './symbolAt';
import { attrName } from '../parse/syntax';
import { inClan, relDirOf, repoPathOf, secretBackendOf, targetPathOf } from './varPaths';
import { HINT_TEXT } from '../model/machinesReport';

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';
const list = (xs: string[]) => (xs.length ? xs.map(code).join(', ') : '—');

function fileLine(f: FileSummary): string {
  const parts = [f.secret ? 'secret' : 'public', f.deploy ? 'deployed' : 'not deployed'];
  if (f.secret && f.deploy) parts.push(`needed for ${f.neededFor}`);
  if (f.fromPrompt) parts.push('from a persisted prompt');
  return `- ${code(f.name)} — ${parts.join(', ')}`;
}

/** The `clan vars` command lines for a generator, for one machine (or a placeholder). */
export function commandLines(s: GeneratorSummary, m: string): string[] {
  const lines = [`clan vars generate ${m} --generator ${s.name}`, `clan vars generate ${m} --generator ${s.name} --regenerate`, `clan vars check ${m} --generator ${s.name}`];
  const first = s.files[0];
  if (first) lines.push(`clan vars get ${m} ${s.name}/${first.name}`);
  return lines;
}

export function generatorHover(clan: ClanModel, name: string): string {
  const s = summarize(clan, name);
  if (s.declarations.length === 0) {
    const maybe = generatorMayExist(clan, name);
    return `**generator ${code(name)}** — ${maybe ? 'not declared literally in this clan (it may come from a computed name)' : 'not declared anywhere in this clan'}`;
  }
  // the summary first: what it is, where, its files and state; the details after a rule
  const { backend } = secretBackendOf(clan);
  const states = diskStates(clan, s);
  const machines = [...new Set([...s.declaredOn, ...s.receivedBy])].sort();
  const generated = states.filter((st) => st.state === 'generated').length;
  const where = s.share ? 'shared between machines' : machines.length ? `per machine, on ${listSome(machines)}` : 'per machine';
  const head = [`**generator ${code(name)}** — ${where}${states.length ? ` · ${generated} of ${states.length} generated` : ''}`, ''];
  head.push(s.files.length ? `Files: ${s.files.map((f) => `${code(f.name)} (${f.secret ? 'secret' : 'public'})`).join(', ')}  ` : 'Files: none declared  ');
  if (s.prompts.length) head.push(`Prompts: ${s.prompts.map((p) => `${code(p.name)} (${p.type}${p.persist ? ', persisted' : ''})`).join(', ')}  `);
  if (s.dependencies.length || s.dependents.length) head.push(`Depends on: ${list(s.dependencies)} · Needed by: ${list(s.dependents)}`);
  if (!s.share && !machines.length) head.push('', noMachine(clan, s.declarations));
  const out = [...head, '', '---', ''];
  out.push(`Declared in ${s.declarations.map((g) => code(relativeToClan(clan, g.file))).join(', ')}`, '');
  if (machines.length) out.push(...machineLines(clan, s.declarations, machines), '');
  if (s.files.length) out.push(...s.files.map(fileLine), '');
  if (s.receivedBy.length) out.push(`Selected in the matrix by ${list(s.receivedBy)} (registry key ${list(s.registryKeys)})`, '');
  if (states.length) {
    out.push(`On disk (${backend}):`);
    for (const st of states.slice(0, 8)) out.push(`- ${st.machine ?? 'shared'}: ${stateLabel(st)}`);
    if (states.length > 8) out.push(`- … and ${states.length - 8} more machines`);
    out.push('');
  }
  if (s.validationHash) out.push(`Validation hash: ${code(s.validationHash.slice(0, 16) + '…')}`, '');
  else if (s.validationHash === undefined) out.push('Validation: not literal, the hash cannot be checked here', '');
  const machine = s.share ? (machines[0] ?? null) : (states.find((st) => st.state !== 'generated')?.machine ?? states[0]?.machine ?? null);
  // commands only with a real machine: a placeholder would have to be edited before it runs
  if (machine !== null) out.push('```sh', ...commandLines(s, machine), '```');
  return out.join('\n').trimEnd();
}

/** 'a', 'b', 'c' and 12 more */
function listSome(names: string[], max = 4): string {
  const shown = names.slice(0, max).map(code).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** How the declarations reach each machine (at most 3), and for an open machine what keeps it open and what would help. */
function machineLines(clan: ClanModel, decls: Generator[], machines: string[], max = 3): string[] {
  const model = clan.machineModel();
  const lines = ['Reaches its machines through:'];
  for (const m of machines.slice(0, max)) {
    const chain = decls.map((g) => model.chainOf(m, g)).find((c) => c);
    const reason = model.machines.get(m)?.unknowns[0];
    lines.push(`- ${code(m)}: ${chain ? chain.map(code).join(' → ') : 'the registry, selected in the matrix'}${reason ? '  ' : ''}`);
    if (reason) lines.push(`  may have more generators: ${reason} — ${HINT_TEXT[model.hintOf(reason)]}`);
  }
  if (machines.length > max) lines.push(`- +${machines.length - max} more`);
  return lines;
}

/** Why a generator has no machine: its modules are imported by none we know. */
function noMachine(clan: ClanModel, decls: Generator[]): string {
  const model = clan.machineModel();
  if (model.machines.size === 0) return 'This clan declares no machine yet.';
  const files = [...new Set(decls.map((g) => relativeToClan(clan, g.file)))];
  return `No machine of this clan imports ${files.map(code).join(', ')}, so clan never evaluates it.`;
}

export function fileHover(clan: ClanModel, generator: string, file: string, attr?: string): string {
  const s = summarize(clan, generator);
  const f = s.files.find((x) => x.name === file);
  if (!f) return `**file ${code(file)}** — not declared by generator ${code(generator)}`;
  const { backend } = secretBackendOf(clan);
  const out = [`**file ${code(file)}** of generator ${code(generator)} — ${f.secret ? 'secret' : 'public'}, ${f.deploy ? 'deployed' : 'not deployed'}`, ''];
  if (attr === 'value' && f.secret) out.push('⚠ `.value` cannot be read for a secret file.', '');
  if (attr === 'exists' && f.secret) out.push('⚠ `.exists` fails for a secret file.', '');
  const machines = s.share ? [null] : diskStates(clan, s).map((st) => st.machine);
  if (machines.length === 0) machines.push('<machine>' as string);
  out.push(`In the repository (${f.secret ? backend + ' backend' : 'public store'}):`);
  for (const m of machines.slice(0, 8)) {
    const rel = repoPathOf(relDirOf(m, generator), file, f.secret, backend);
    const exists = m === '<machine>' ? '' : fs.existsSync(inClan(clan, rel)) ? ' — exists' : ' — not generated';
    out.push(`- ${code(rel)}${exists}`);
  }
  if (machines.length > 8) out.push(`- … and ${machines.length - 8} more machines`);
  out.push('');
  if (f.deploy) {
    const rel = relDirOf(machines[0], generator);
    out.push(`On the machine (\`neededFor = "${f.neededFor}"\`): ${code(targetPathOf(rel, file, f.secret, f.neededFor, backend))}`);
  } else out.push('Not deployed: only other generators read it, as `$in/' + generator + '/' + file + '`.');
  return out.join('\n');
}

export function registryKeyHover(clan: ClanModel, key: string): string {
  const e = clan.registry?.facts.entries.find((x) => x.key === key);
  if (!e) return `**registry key ${code(key)}** — not in the registry${clan.registry ? ` (${code(relativeToClan(clan, clan.registry.file))})` : ''}`;
  const gen = e.generator?.name ?? e.generator?.pattern ?? null;
  const env = e.envVar ? (e.secret === false ? e.envVar : `${e.envVar}_FILE`) : null;
  const machines = (clan.matrix?.facts.keys ?? []).filter((k) => k.key === key).flatMap((k) => k.machines);
  const out = [`**registry key ${code(key)}**`, ''];
  out.push(`Generator: ${gen ? code(gen) : 'not literal'}  `);
  if (env) out.push(`Environment variable: ${code(env)} (${e.secret === false ? 'the value itself, public' : 'a path to the secret file'})  `);
  else out.push('Environment variable: none (`envVar` is not set)  ');
  if (e.domain || e.kind) out.push(`Domain / kind: ${e.domain ? code(e.domain) : '—'} / ${e.kind ? code(e.kind) : '—'}  `);
  if (e.fileAttr) out.push(`File: ${code(e.fileAttr)}  `);
  out.push(`Machines selecting it: ${list([...new Set(machines)].sort())}`);
  return out.join('\n');
}

export function optionHover(path: string[]): string | null {
  const doc = optionDocFor(path) ?? (path.length === 1 ? settingsDoc(path[0]) : null);
  return doc ? optionMarkdown(doc, path.map(attrName).join('.')) : null;
}

/** An enum value explained (`neededFor = "users"`), or null for other values. */
export function optionValueHover(path: string[], value: string): string | null {
  const doc = optionDocFor(path);
  const what = doc?.values?.includes(value) ? valueDoc(doc.name, value) : null;
  return doc && what ? `**${code(JSON.stringify(value))}** — ${code(path.map(attrName).join('.'))}\n\n${what}` : null;
}

export function hoverFor(clan: ClanModel, sym: SymbolAt): string | null {
  switch (sym.kind) {
    case 'generator':
      if (!sym.literal) return `**generator name** — computed (${code(sym.name)}); it cannot be checked or renamed statically`;
      return (sym.role === 'script-in' ? `${code('$in/' + sym.name)} — the files of dependency ${code(sym.name)}, decrypted for this script\n\n---\n\n` : '') + generatorHover(clan, sym.name);
    case 'registry-key':
      return registryKeyHover(clan, sym.key);
    case 'option':
      return optionHover(sym.path);
    case 'option-value':
      return optionValueHover(sym.path, sym.value);
    case 'file': {
      const intro =
        sym.role === 'script-out'
          ? `${code('$out/' + sym.file)} — write this file here; generation fails if a declared file is missing\n\n---\n\n`
          : sym.role === 'script-in'
            ? `${code(`$in/${sym.generator}/${sym.file}`)} — file ${code(sym.file)} of dependency ${code(sym.generator)}, decrypted for this script\n\n---\n\n`
            : '';
      return intro + fileHover(clan, sym.generator, sym.file, sym.attr);
    }
    case 'prompt': {
      const p = summarize(clan, sym.generator).prompts.find((x) => x.name === sym.prompt);
      const head = sym.role === 'script' ? `${code('$prompts/' + sym.prompt)} — the answer typed for prompt ${code(sym.prompt)}, as a file (no trailing newline added)` : `**prompt ${code(sym.prompt)}** of generator ${code(sym.generator)}`;
      if (!p) return `${head}\n\n⚠ generator ${code(sym.generator)} declares no prompt ${code(sym.prompt)}`;
      return `${head}\n\nType: ${p.type}${p.persist ? '; persisted as file ' + code(p.name) : '; not persisted (asked again on every regeneration)'}`;
    }
  }
}
