// Markdown for hovers: generator summaries, files, registry keys, script paths and options.
// Plain strings: the feature layer wraps them in LSP types. Names from the workspace are inline
// code or escaped text (base/printable.ts): none makes a link, an image or a line of its own.
import { removedOptionEffect } from '../rules/removedOption';
import { optionDocFor, optionMarkdown, settingsDoc, valueDoc } from '../base/optionDocs';
import type { Generator } from '../facts/types';
import { generatorMayExist, relativeToClan, type ClanModel } from '../model/clanModel';
import { generationOffer, generatorView, livePlacements, secrecy, stateLabel, unreachedWhy, whyText, type GeneratorView, type ViewFile } from '../model/generatorView/generatorView';
import { machinesWithUnread, openReasons } from '../model/machineModel';
import { CLAN_CORE_MACHINE_GENERATORS } from '../model/clanCoreGenerators';
import { repoPathOf, targetPathOf } from '../model/generatorView/fileState';
import type { SymbolAt } from './symbolAt';
import { attrName } from '../syntax/syntax';
import { HINT_TEXT } from './machinesReport';
import { markdownCode as code, markdownText } from '../base/printable';
import { shellWord } from './shellWords';

const list = (xs: string[]) => (xs.length ? xs.map(code).join(', ') : '—');

function fileLine(f: ViewFile): string {
  const parts = [secrecy(f), f.deploy ? 'deployed' : 'not deployed'];
  if (f.secret !== false && f.deploy) parts.push(`needed for ${f.neededFor}`);
  if (f.fromPrompt) parts.push('from a persisted prompt');
  return `- ${code(f.name)} — ${parts.join(', ')}`;
}

/** The `clan vars` command lines for a generator and one machine: each name one shell word, so a line can be pasted as it is. */
export function commandLines(v: GeneratorView, machine: string): string[] {
  const [m, g] = [shellWord(machine), shellWord(v.name)];
  const lines = [`clan vars generate ${m} --generator ${g}`, `clan vars generate ${m} --generator ${g} --regenerate`, `clan vars check ${m} --generator ${g}`];
  const first = v.files[0];
  if (first) lines.push(`clan vars get ${m} ${shellWord(`${v.name}/${first.name}`)}`);
  return lines;
}

/** Why a generator no declaration is found of may still exist, or that it does not. */
function undeclared(clan: ClanModel, name: string): string {
  if (generatorMayExist(clan, name)) return 'not declared literally in this clan (it may come from a computed name)';
  // clan-core's own, behind an option: off on the machines whose modules are all read, not known on the others
  if (CLAN_CORE_MACHINE_GENERATORS.has(name)) return `declared by clan-core's clanCore module where ${code(`clan.core.settings.${name}.enable`)} is on; no machine of this clan is known to have it`;
  const open = machinesWithUnread(clan.machineModel());
  if (open.length) return `not declared in this clan's files; a module not read here may declare it on ${listSome(open)}`;
  return 'not declared anywhere in this clan';
}

export function generatorHover(clan: ClanModel, name: string): string {
  const v = generatorView(clan, name);
  if (v.declarations.length === 0) return `**generator ${code(name)}** — ${undeclared(clan, name)}`;
  // the summary first: what it is, where, its files and state; the details after a rule
  const live = livePlacements(v);
  const stored = v.placements.filter((p) => p.why === 'stored');
  const generated = live.filter((p) => p.state === 'generated').length;
  const where = v.share ? `shared between machines${v.machines.length ? ` (${listSome(v.machines)})` : ''}` : v.machines.length ? `per machine, on ${listSome(v.machines)}` : 'per machine';
  const head = [`**generator ${code(name)}** — ${where}${live.length ? ` · ${generated} of ${live.length} generated` : ''}`, ''];
  head.push(v.files.length ? `Files: ${v.files.map((f) => `${code(f.name)} (${secrecy(f)})`).join(', ')}  ` : 'Files: none declared  ');
  if (v.prompts.length) head.push(`Prompts: ${v.prompts.map((p) => `${code(p.name)} (${p.type}${p.persist ? ', persisted' : ''})`).join(', ')}  `);
  if (v.dependencies.length || v.dependents.length) head.push(`Depends on: ${list(v.dependencies)} · Needed by: ${list(v.dependents)}`);
  const out = [...head, '', '---', ''];
  // after the rule, so the summary is read without a scroll: why it has no machine (its import
  // chain), then the commands (only with a real machine: a placeholder would have to be edited before it runs)
  if (!v.share && !v.machines.length) out.push(noMachine(clan, v.declarations), '');
  const machine = v.share ? (v.machines[0] ?? null) : generationOffer(v).machine;
  if (machine !== null) out.push('```sh', ...commandLines(v, machine), '```', '');
  out.push(`Declared in ${v.declaredIn.map(code).join(', ')}`, '');
  if (v.machines.length) out.push(...machineLines(clan, v), '');
  if (v.files.length) out.push(...v.files.map(fileLine), '');
  if (v.matrixMachines.length) out.push(`Selected in the matrix by ${list(v.matrixMachines)} (registry key ${list(v.registryKeys)})`, '');
  const shown = [...live, ...stored];
  if (shown.length) {
    // one line for all machines: a list per machine made the commands scroll away
    const states = shown.slice(0, 6).map((p) => `${p.machine === null ? 'shared' : markdownText(p.machine)} ${stateLabel(p)}${p.why === 'stored' && !p.orphaned ? ' (stored only)' : ''}`);
    out.push(`On disk (${v.store.backend}${v.store.source === 'setting' ? ', from the clanVars.secretStore setting' : v.store.source === 'clan' ? ', the clan sets it' : ''}): ${states.join(' · ')}${shown.length > 6 ? ` · +${shown.length - 6} more` : ''}`, '');
  }
  if (v.validationHash) out.push(`Validation hash: ${code(v.validationHash.slice(0, 16) + '…')}`, '');
  else if (v.validationHash === undefined) out.push('Validation: not literal, the hash cannot be checked here', '');
  return out.join('\n').trimEnd();
}

/** 'a', 'b', 'c' and 12 more */
function listSome(names: string[], max = 4): string {
  const shown = names.slice(0, max).map(code).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** How it reaches each machine (at most 3), and for an open machine what keeps it open and what would help. */
function machineLines(clan: ClanModel, v: GeneratorView, max = 3): string[] {
  const model = clan.machineModel();
  const lines = ['Reaches its machines through:'];
  for (const { machine: m, why } of v.reaches.slice(0, max)) {
    const reason = openReasons(model.machines.get(m)!)[0];
    lines.push(`- ${code(m)}: ${whyText(why, code)}${reason ? '  ' : ''}`);
    if (reason) lines.push(`  may have more generators: ${markdownText(reason)} — ${HINT_TEXT[model.hintOf(reason)]}`);
  }
  if (v.reaches.length > max) lines.push(`- +${v.reaches.length - max} more`);
  return lines;
}

/** Why a generator has no machine: its modules are imported by none we know. */
function noMachine(clan: ClanModel, decls: Generator[]): string {
  const whys = [...new Set(decls.map((g) => unreachedWhy(clan, g, code)))];
  return whys.map((w) => w[0].toUpperCase() + w.slice(1) + '.').join(' ');
}

export function fileHover(clan: ClanModel, generator: string, file: string, attr?: string): string {
  const v = generatorView(clan, generator);
  const f = v.files.find((x) => x.name === file);
  if (!f) return `**file ${code(file)}** — not declared by generator ${code(generator)}`;
  const backend = v.store.backend;
  const out = [`**file ${code(file)}** of generator ${code(generator)} — ${secrecy(f)}, ${f.deploy ? 'deployed' : 'not deployed'}`, ''];
  if (attr === 'value' && f.secret !== false) out.push('⚠ `.value` cannot be read for a secret file.', '');
  if (attr === 'exists' && f.secret !== false) out.push('⚠ `.exists` fails for a secret file.', '');
  const live = livePlacements(v);
  out.push(`In the repository (${f.secret === false ? 'public store' : backend + ' backend'}):`);
  if (live.length === 0) out.push(`- ${code(repoPathOf({ machine: v.share ? null : '<machine>', generator, file }, f.secret !== false, backend))}`);
  for (const p of live.slice(0, 8)) {
    const st = p.files.find((x) => x.name === file);
    const rel = repoPathOf({ machine: p.machine, generator, file }, st?.kind !== 'public' && f.secret !== false, backend);
    out.push(`- ${code(rel)} — ${!st || st.state === 'missing' ? 'not generated' : st.state === 'unknown' ? `not known here: ${st.detail}` : 'exists'}`);
  }
  if (live.length > 8) out.push(`- … and ${live.length - 8} more machines`);
  out.push('');
  if (f.deploy) {
    const machine = v.share ? null : (live[0]?.machine ?? '<machine>');
    out.push(`On the machine (${code(`neededFor = "${f.neededFor}"`)}): ${code(targetPathOf({ machine, generator, file }, f.secret !== false, f.neededFor, backend))}`);
  } else out.push(`Not deployed: only other generators read it, as ${code(`$in/${generator}/${file}`)}.`);
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
    case 'option': {
      const doc = optionHover(sym.path);
      const effect = removedOptionEffect(clan.root, sym.path);
      return doc && effect ? `${doc}\n\n**In this clan:** ${effect}` : doc;
    }
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
      const p = generatorView(clan, sym.generator).prompts.find((x) => x.name === sym.prompt);
      const head = sym.role === 'script' ? `${code('$prompts/' + sym.prompt)} — the answer typed for prompt ${code(sym.prompt)}, as a file (no trailing newline added)` : `**prompt ${code(sym.prompt)}** of generator ${code(sym.generator)}`;
      if (!p) return `${head}\n\n⚠ generator ${code(sym.generator)} declares no prompt ${code(sym.prompt)}`;
      return `${head}\n\nType: ${p.type}${p.persist ? '; persisted as file ' + code(p.name) : '; not persisted (asked again on every regeneration)'}`;
    }
  }
}
