// `$in/<dep>/<file>`: clan fills `$in` only with the files of the generators listed in
// `dependencies`. A generator that is not a dependency, or a file the dependency does not declare,
// is missing when the script runs. Where the dependencies are computed, or the dependency comes
// from a flake input, what is read is checked per machine: a name no readable module declares is
// reported only as a likely typo on machines with modules we cannot read (openMachineTypo.ts).
// A path the script tests for existence (`[ -f "$in/x/y" ]`) is one it knows may be missing: silent.
import type { ClanModel } from '../model/clanModel';
import type { Problem } from '../base/types';
import type { Generator } from '../facts/types';
import { closestName, didYouMean } from '../base/closestName';
import { filesOfDeclarations, knownFiles, mergedDeclarations, nameOf, scriptOf, type ScannedScript } from './generatorFacts';
import { Attached } from '../base/attached';
import type { ScriptSource } from '../syntax/syntax';
import { generatorTypo, machinesPhrase, nameTypo, unreadParts } from './openMachineTypo';
import { addToList, fix } from './scriptEdits';
import { sharedFilesFor, sharedMismatchError, type SharedReference } from './sharedReference';
import type { Rule } from './types';

export const unknownInput: Rule = {
  code: 'unknown-input',
  uses: ['generators', 'modules', 'registry', 'matrix'],
  reach: 'dependencies',
  registryReach: true,
  check(clan) {
    const problems: Problem[] = [];
    for (const g of clan.generators) {
      if (g.origin !== 'module') continue;
      const s = inputReadsOf(g);
      if (!s?.reads.length) continue;
      // the dependencies of every declaration the module system may merge into it
      const merged = mergedDeclarations(clan, g);
      const decls = merged.possible;
      if (decls.some((d) => d.origin !== 'module')) continue;
      const deps = decls.flatMap((d) => d.dependencies);
      const depsKnown = deps.every((d) => d.name !== null) && decls.every((d) => { const o = d.options.find((x) => x.path.length === 1 && x.path[0] === 'dependencies'); return !o || o.kind === 'list_expression'; });
      const names = new Set(deps.flatMap((d) => (d.name === null ? [] : [d.name])));
      for (const m of s.reads) {
        // `if [ -f "$in/x/y" ]; then cp "$in/x/y" ...`: the script knows it may be missing
        if (s.probed.has(m.path) || s.probed.has(m.path.split('/')[0])) continue;
        const [dep, ...rest] = m.path.split('/');
        const file = rest.join('/');
        // where the read is written, for a finding only (it needs the script scanned again)
        const rangeOf = () => scriptOf(g)!.decoded.rangeOf(m.start, m.end);
        if (!names.has(dep)) {
          if (!depsKnown) {
            // some dependencies are computed: only a name no readable module declares, near a listed one or the machine's
            const machines = clan.machineModel().machinesOfGenerator(g);
            const open = machines.filter((x) => clan.machineModel().machines.get(x)?.unknowns.length);
            const near = generatorTypo(clan, machines, dep) ?? (clan.machineModel().mayBeDeclared(dep) ? null : nameTypo(dep, names));
            if (!near) continue;
            problems.push({
              file: g.file,
              range: rangeOf(),
              severity: open.length ? 'warning' : 'error',
              code: this.code,
              message:
                `The script reads $in/${dep}, but no module we can read declares a generator '${dep}'` +
                (open.length ? ` for ${machinesPhrase(open)}. Did you mean '${near.name}'? ${unreadParts(clan, open)}` : `. Did you mean '${near.name}'?`),
              explanation: `clan puts only the files of the generators in dependencies under $in, so the read fails.`,
            });
            continue;
          }
          const exists = clan.byName.has(dep);
          const target = merged.certain.find((d) => d.options.some((o) => o.path.length === 1 && o.path[0] === 'dependencies')) ?? merged.certain.find((d) => d.insertAt) ?? g;
          problems.push({
            file: g.file,
            range: rangeOf(),
            severity: 'error',
            code: this.code,
            message:
              `The script reads $in/${dep}, but '${dep}' is not a dependency of '${nameOf(g)}': add it to dependencies.` +
              (exists ? '' : ` No generator '${dep}' is declared in this clan.` + didYouMean(dep, [...names].filter((n) => clan.byName.has(n)))),
            explanation: `clan puts only the files of declared dependencies under $in, so the read fails.`,
            fixes: fix(`Add "${dep}" to dependencies`, addToList(target, 'dependencies', JSON.stringify(dep)), exists),
          });
          continue;
        }
        if (!file) continue;
        if (!clan.byName.has(dep)) {
          const p = inputFileOfMachines(clan, g, s, dep, file);
          if (p) problems.push({ file: g.file, range: rangeOf(), code: this.code, ...p });
          continue;
        }
        const files = knownFiles(clan, dep);
        if (!files || reads(files, file, s)) continue;
        const closest = closestName(file, files);
        problems.push({
          file: g.file,
          range: rangeOf(),
          severity: 'error',
          code: this.code,
          message:
            `Generator '${dep}' declares no file '${file}', so $in/${dep}/${file} does not exist when the script runs.` +
            (closest ? ` Did you mean '${closest}'?` : files.size ? ` Its files: ${[...files].join(', ')}.` : ''),
        });
      }
    }
    return problems;
  },
};

/** A file test right before the word: `[ -f `, `[[ -e `, `test ! -s `. */
const FILE_TEST = /(?:\[\[?|\btest)\s+(?:!\s+)?-[a-zA-Z]\s+["']?$/;

/**
 * What the rule reads of a script: its `$in/...` paths (with their offsets in the decoded text),
 * those it tests for existence (`[ -f "$in/dep/key" ]`), and whether it runs ssh-keygen. Kept on
 * the script as long as its file's facts live: after an edit that adds or removes a generator name
 * the rule runs over every generator, and scanning each script again took most of a keystroke in
 * a 15,000-generator clan; the scans themselves are dropped after each pass (generatorFacts.ts).
 */
interface InputReads {
  reads: { path: string; start: number; end: number }[];
  probed: Set<string>;
  signs: boolean;
}

const NO_READS: InputReads = { reads: [], probed: new Set(), signs: false };
const inputReads = new Attached<ScriptSource, InputReads | null>('inputReads');

function inputReadsOf(g: Generator): InputReads | null {
  if (!g.script) return null;
  let kept = inputReads.get(g.script);
  if (kept === undefined) {
    const s = scriptOf(g);
    kept = s && digest(s);
    inputReads.set(g.script, kept);
  }
  return kept;
}

function digest(s: ScannedScript): InputReads {
  const reads: InputReads['reads'] = [];
  const probed = new Set<string>();
  for (const m of s.shell.mentions) {
    if (m.variable !== 'in' || !m.path) continue;
    reads.push({ path: m.path, start: m.start, end: m.end });
    const lineStart = s.decoded.text.lastIndexOf('\n', m.start) + 1;
    if (FILE_TEST.test(s.decoded.text.slice(lineStart, m.start))) probed.add(m.path);
  }
  if (!reads.length) return NO_READS;
  return { reads, probed: probed.size ? probed : NO_READS.probed, signs: s.shell.commands.some((c) => c.text === 'ssh-keygen') };
}

/**
 * Whether `$in/<dep>/<file>` names one of the files (or a folder above one), or the certificate
 * `ssh-keygen -s ca $in/dep/key.pub` writes next to the key (`key-cert.pub`).
 */
function reads(files: Set<string>, file: string, s: InputReads): boolean {
  if (files.has(file) || [...files].some((f) => f.startsWith(file + '/'))) return true;
  const signed = file.endsWith('-cert.pub') && files.has(file.slice(0, -'-cert.pub'.length) + '.pub');
  return signed && s.signs;
}

/**
 * `$in/<dep>/<file>` where only flake inputs' modules (a clan-core service read from a checkout or
 * the store) declare `dep`: checked against what each machine of `g` has of it. An error when a
 * machine with every module read lacks the file, a warning for a likely typo on the others.
 */
function inputFileOfMachines(clan: ClanModel, g: Generator, s: InputReads, dep: string, file: string): Pick<Problem, 'severity' | 'message' | 'explanation'> | null {
  const model = clan.machineModel();
  const lacking = { closed: [] as string[], open: [] as string[], files: new Set<string>() };
  // machines whose `dep` is the shared one, told by a machine with every declaration of it read, which lacks the file
  const lackingShared = { machines: [] as string[], reference: null as SharedReference | null };
  for (const m of model.machinesOfGenerator(g)) {
    const view = model.machines.get(m);
    if (!view) continue;
    const reference = view.unknowns.length || !view.generators.has(dep) ? sharedFilesFor(clan, view, dep) : null;
    if (reference) {
      if (!reads(reference.files, file, s)) {
        lackingShared.machines.push(m);
        lackingShared.reference = reference;
      }
      continue;
    }
    const files = filesOfDeclarations(view.generators.get(dep) ?? []);
    // an open machine without it may get one from a module we could not read: left to unknown-dependency
    if (!view.generators.has(dep) || !files || reads(files, file, s)) continue;
    lacking[view.unknowns.length ? 'open' : 'closed'].push(m);
    files.forEach((f) => lacking.files.add(f));
  }
  const explanation = `clan puts only the files the dependency declares under $in, so the read fails`;
  if (lacking.closed.length) {
    return { severity: 'error', explanation: explanation + '.', message: `Generator '${dep}' of ${machinesPhrase(lacking.closed)} declares no file '${file}', so $in/${dep}/${file} does not exist when the script runs.` + didYouMean(file, lacking.files) };
  }
  const ref = lackingShared.reference;
  if (ref) {
    return {
      severity: 'error',
      explanation: `${explanation}; were the file declared there by a module we could not read, clan vars generate would stop before running it, with "${sharedMismatchError(ref.machine, lackingShared.machines[0], dep, ['files'])}".`,
      message:
        `Shared generator '${dep}' declares no file '${file}' on machine '${ref.machine}', whose modules are all read, so $in/${dep}/${file} does not exist when the script runs on ${machinesPhrase(lackingShared.machines)}.` +
        (didYouMean(file, ref.files) || ` Its files: ${[...ref.files].join(', ')}.`),
    };
  }
  const near = lacking.open.length ? nameTypo(file, lacking.files) : null;
  if (!near) return null;
  return {
    severity: 'warning',
    explanation: explanation + ', unless a module we could not read declares the file.',
    message: `No module we can read declares a file '${file}' of generator '${dep}' for ${machinesPhrase(lacking.open)}. Did you mean '${near.name}'? ${unreadParts(clan, lacking.open)}`,
  };
}
