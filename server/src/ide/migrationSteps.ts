// What the migration script moves: for each facts file, each generator still naming `migrateFact`,
// and each plain sops-nix secret of a machine, one step `<read the old value> | clan vars set
// <machine> <generator>/<file>`. Checked here, when the script is written:
// - a machine or var name that clan or a shell could misread fails the name check the editor's
//   vars commands use (vars/clanNames.ts): the step is refused, with the reason;
// - the file a read opens must stay inside the clan: no `..` part, and resolved (links included)
//   inside the clan's real root, a regular file when it exists; otherwise the value is moved by hand,
//   with the reason. The script checks the same again when it runs (migrationScript.ts).
// What the script cannot name (a facts service, sops-nix secret or vars generator taking over facts
// whose name is computed) is a step by hand, and then each stored value of the machine no step reads.
import * as path from 'node:path';
import { generatorNameOfSops } from '../facts/legacyGenerators';
import { nameOn } from '../facts/legacyNames';
import { secretFactOwner } from '../rules/legacyMigration';
import { Confinement } from '../base/confinement';
import type { ClanModel } from '../model/clanModel';
import type { LegacySecret, PerMachineName } from '../facts/types';
import { hasUnsafeCharacter, printable } from '../base/printable';
import { nameProblem, secretNameProblem, shownName, varIdProblem } from '../model/clanNames';

export interface MigrationStep {
  machine: string;
  /** `<generator>/<file>` as `clan vars set` takes it. */
  varId: string;
  /** What the value is read from, or why it must be moved by hand: one line of printable text. */
  from: string;
  /** The argv that prints the old value and the file it opens (relative to the clan's root); null when it must be moved by hand (`from` says why). */
  read: { argv: string[]; file: string } | null;
  /** Why the step is not taken: its machine or var name fails the name check. One line of printable text. */
  refused?: string;
  /**
   * A fact of a generator none of whose facts is stored (a service that never ran, or is off on this
   * machine): nothing to lose, so the script says so instead of failing, unless the file is there when it runs.
   */
  ifStored?: boolean;
}

type Source = Pick<MigrationStep, 'from' | 'read'>;

/** The steps, ordered by machine, then var. */
export function migrationSteps(clan: ClanModel): MigrationStep[] {
  const files = new ClanFiles(clan.root);
  const found: { machine: string; varId: string; source: () => Source }[] = [];
  const machines = clan.machineModel();
  /** Why clan or a shell could misread machine name `m` (the step is refused), or undefined. */
  const machineProblem = (m: string) => nameProblem('machine', m);
  /** `sops.defaultSopsFile` as the machine's modules set it (one literal path they agree on), else undefined. */
  const defaultSopsFileOf = (m: string): string | undefined => {
    const set = new Set<string>();
    for (const f of machines.machines.get(m)?.modules ?? []) {
      const d = clan.files.get(f)?.legacySecrets?.defaultSopsFile;
      if (d) set.add(d);
    }
    return set.size === 1 ? [...set][0] : undefined;
  };
  const factSource = (m: string, f: string, secret: boolean) => () => (secret ? files.clanSecret(`${m}-${f}`) : files.publicFact(m, f));
  /** The facts of one generator on one machine, to tell whether any of them is stored. */
  const factGroups = new Map<string, { machine: string; varId: string }[]>();
  const pushFacts = (m: string, generator: string, names: { name: string; secret: boolean }[]) => {
    for (const f of names) {
      const step = { machine: m, varId: `${generator}/${f.name}`, source: factSource(m, f.name, f.secret) };
      found.push(step);
      const key = `${m}\0${generator}`;
      factGroups.set(key, [...(factGroups.get(key) ?? []), step]);
    }
  };

  /** Declarations whose names only evaluation tells: by-hand steps. */
  const computed: MigrationStep[] = [];
  /** The machines with a facts service of a computed name: their stored secret facts no step reads may be its. */
  const computedFacts = new Set<string>();
  /** A sops-nix secret of `file`, as declared or as its moved generator's comment keeps it: its own sopsFile, else its module's sops.defaultSopsFile, else the one its machine's modules agree on. */
  const sopsSecret = (file: string, name: string, varId: string, src: NonNullable<LegacySecret['sops']>, perMachine?: PerMachineName) => {
    for (const m of machines.machinesOfFile(file)) {
      // through the machine's name: the secret of this machine, or a secret fact's, moved as the fact
      // (once: the fact's own step, when its service is declared here, is the same var from the same secret)
      const fact = perMachine && perMachine.before === '' && perMachine.after.startsWith('-') ? perMachine.after.slice(1) : null;
      const owner = fact && secretFactOwner(clan, m, fact);
      if (owner) {
        found.push({ machine: m, varId: `${owner}/${fact}`, source: factSource(m, fact!, true) });
        continue;
      }
      const own = perMachine ? nameOn(perMachine, m) : name;
      const sopsFile = src.sopsFile ?? clan.files.get(file)?.legacySecrets?.defaultSopsFile ?? defaultSopsFileOf(m);
      found.push({ machine: m, varId, source: () => files.sops(own, sopsFile, src.key, src.format) });
    }
  };

  // what is still declared the old way
  for (const facts of clan.files.values()) {
    const own = machines.machinesOfFile(facts.file);
    const sops = new Map<string, LegacySecret[]>();
    for (const d of facts.legacySecrets?.declarations ?? []) {
      if (d.computed) {
        // which values it stored only evaluation tells: said, and left to the user
        if (d.kind === 'facts-service') for (const m of own) computedFacts.add(m);
        const what = d.kind === 'facts-service' ? 'facts services' : 'sops-nix secrets';
        for (const m of own) computed.push({ machine: m, varId: printable(d.name), from: `${what} with a computed name (${printable(d.name)}): the script cannot tell which values they stored; move each with clan vars set`, read: null });
      } else if (d.kind === 'facts-service') {
        for (const m of own) pushFacts(m, d.name, d.files ?? []);
      } else if (!d.name.startsWith('vars/')) sops.set(d.name, [...(sops.get(d.name) ?? []), d]);
    }
    for (const [name, decls] of sops) {
      const pick = <K extends 'sopsFile' | 'key' | 'format'>(k: K) => decls.map((d) => d.sops?.[k]).find((v) => v !== undefined);
      const perMachine = decls[0].perMachine;
      sopsSecret(facts.file, name, `${generatorNameOfSops(name, perMachine)}/value`, { sopsFile: pick('sopsFile'), key: pick('key'), format: pick('format') }, perMachine);
    }
  }
  // what the migration fixes rewrote (their `# moved from ...` comment) or names a fact to migrate:
  // the same values, so that the script moves them whether it is written before or after the rewrite
  for (const g of clan.generators) {
    const migrate = g.options.find((o) => o.path.length === 1 && o.path[0] === 'migrateFact');
    if (g.name.name === null) {
      // a generator of a computed name that takes over stored values: which var each goes to only evaluation tells
      const takes = g.movedSops ? `sops-nix secret ${shownName(g.movedSops.name)}` : g.movedFrom === 'clan facts' ? 'a facts service' : typeof migrate?.literal === 'string' ? `facts service ${shownName(migrate.literal)}` : null;
      if (takes === null) continue;
      const at = printable(`${path.relative(clan.root, g.file)}:${g.name.range.start.line + 1}`);
      for (const m of machines.machinesOfFile(g.file)) {
        if (!g.movedSops) computedFacts.add(m);
        computed.push({ machine: m, varId: at, from: `a vars generator with a computed name (${at}) takes over the values of ${takes}: the script cannot tell its name; move each with clan vars set`, read: null });
      }
      continue;
    }
    if (g.movedSops) {
      sopsSecret(g.file, g.movedSops.name, `${g.name.name}/value`, g.movedSops, g.movedSops.perMachine);
      continue;
    }
    const service = g.movedFrom === 'clan facts' ? g.name.name : typeof migrate?.literal === 'string' ? migrate.literal : null;
    if (service === null) continue;
    const publicFiles = new Set(g.options.filter((o) => o.path.length === 3 && o.path[0] === 'files' && o.path[2] === 'secret' && o.literal === false).map((o) => o.path[1]));
    // a prompt with `persist = true` (`createFile = true` before clan-core renamed it, 2025-01) is
    // stored as a file of its name, declared or not
    const persisted = g.options.filter((o) => o.path.length === 3 && o.path[0] === 'prompts' && (o.path[2] === 'persist' || o.path[2] === 'createFile') && o.literal === true).map((o) => o.path[1]);
    const names = [...new Set([...g.files.map((f) => f.name), ...persisted])];
    for (const m of machines.machinesOfFile(g.file)) pushFacts(m, g.name.name, names.map((f) => ({ name: f, secret: !publicFiles.has(f) })));
  }
  const seen = new Set<string>();
  const steps: MigrationStep[] = found
    .filter((s) => !seen.has(`${s.machine}\0${s.varId}`) && !!seen.add(`${s.machine}\0${s.varId}`))
    .sort((a, b) => (a.machine < b.machine ? -1 : a.machine > b.machine ? 1 : a.varId < b.varId ? -1 : a.varId > b.varId ? 1 : 0))
    .map(({ machine, varId, source }) => {
      const refused = machineProblem(machine) ?? varIdProblem(varId);
      return refused ? { machine, varId, from: '', read: null, refused } : { machine, varId, ...source() };
    });
  for (const c of computed) {
    const refused = machineProblem(c.machine);
    steps.push(refused ? { ...c, refused } : c);
  }
  // stored values no step reads: named, never left behind in silence
  const read = new Set<string>();
  for (const s of steps) if (s.read) read.add(s.read.file);
  for (const m of [...machines.machines.keys()].sort()) {
    if (machineProblem(m)) continue;
    for (const f of files.storedFacts(m, computedFacts.has(m))) {
      if (read.has(f.file)) continue;
      steps.push({ machine: m, varId: printable(f.fact), from: `${f.what}: no facts service the migration reads declares it (a computed name, or a module outside the clan); move it with clan vars set to the generator that replaces its service`, read: null });
    }
  }
  const byId = new Map(steps.map((s) => [`${s.machine}\0${s.varId}`, s]));
  for (const group of factGroups.values()) {
    // each fact of the group is a step: the steps are the facts found, one per machine and var
    const of = [...new Set(group.map((g) => byId.get(`${g.machine}\0${g.varId}`)!))];
    if (of.every((s) => s.read && !files.exists(s.read.file))) for (const s of of) s.ifStored = true;
  }
  return steps;
}

const byHand = (why: string): Source => ({ from: why, read: null });

/** The clan's files a step reads, each checked to stay inside the clan. */
class ClanFiles {
  private readonly reads: Confinement;

  constructor(private readonly root: string) {
    this.reads = Confinement.within(root);
  }

  /** Whether something is at `rel` inside the clan. */
  exists(rel: string): boolean {
    return this.reads.stat(path.join(this.root, rel)) !== null;
  }

  /**
   * The values clan's facts stored for `machine`: its public facts (machines/<m>/facts/<fact>), and,
   * with `secrets`, the clan secrets named `<m>-<fact>` (not `<m>-age.key`, the machine's own key).
   */
  storedFacts(machine: string, secrets: boolean): { fact: string; file: string; what: string }[] {
    const out: { fact: string; file: string; what: string }[] = [];
    const facts = path.join('machines', machine, 'facts');
    for (const e of this.reads.entries(path.join(this.root, facts))) {
      const file = path.join(facts, e.name);
      if (this.reads.isFile(path.join(this.root, file))) out.push({ fact: e.name, file, what: `public fact ${shownName(file)}` });
    }
    if (!secrets) return out;
    for (const name of this.reads.folderNames(path.join(this.root, 'sops', 'secrets'))) {
      if (!name.startsWith(`${machine}-`) || name === `${machine}-age.key` || name.length === machine.length + 1) continue;
      const file = path.join('sops', 'secrets', name, 'secret');
      if (this.reads.isFile(path.join(this.root, file))) out.push({ fact: name.slice(machine.length + 1), file, what: `clan secret ${shownName(name)}` });
    }
    return out;
  }

  /** `clan secrets get <name>`: clan reads sops/secrets/<name>/secret. */
  clanSecret(name: string): Source {
    const what = `clan secret ${shownName(name)}`;
    const problem = secretNameProblem(name) ?? this.readProblem(`sops/secrets/${name}/secret`);
    return problem ? byHand(`${what}: ${problem}`) : { from: what, read: { argv: ['clan', 'secrets', 'get', '--', name], file: `sops/secrets/${name}/secret` } };
  }

  publicFact(machine: string, file: string): Source {
    const rel = `machines/${machine}/facts/${file}`;
    const problem = this.readProblem(rel);
    return problem ? byHand(`public fact ${shownName(rel)}: ${problem}`) : { from: rel, read: { argv: ['cat', '--', `./${rel}`], file: rel } };
  }

  sops(name: string, sopsFile: string | null | undefined, key: string | null | undefined, format: string | null | undefined): Source {
    const secret = `sops-nix secret ${shownName(name)}`;
    const nameProblem = secretNameProblem(name);
    // clan's own sops module declares a sops-nix secret for each sops/secrets/<name>/ of the clan
    if (!sopsFile && !nameProblem && this.exists(path.join('sops', 'secrets', name, 'secret'))) return this.clanSecret(name);
    if (!sopsFile) return byHand(`${secret}: its sopsFile is not a literal path (and no literal sops.defaultSopsFile in its module or, one for all, in its machine's modules)${nameProblem ? `, and ${nameProblem}` : ''}`);
    if (format === null) return byHand(`${secret}: its format is not a literal`);
    const rel = path.relative(this.root, sopsFile);
    const problem = this.readProblem(rel);
    if (problem) return byHand(`${secret}: sops file ${shownName(rel)}: ${problem}`);
    if (format === 'binary') return { from: `sops file ${rel}`, read: { argv: ['sops', '--decrypt', '--', `./${rel}`], file: rel } };
    // sops-nix extracts one key of yaml and json only: a dotenv or ini secret is the whole file, decrypted
    if (format === 'dotenv' || format === 'ini') {
      if (key) return byHand(`${secret} in ${rel} (format ${format}): its key ${shownName(key)} is one entry of the file, which the script does not extract`);
      return { from: `sops file ${rel}, the whole file (${format})`, read: { argv: ['sops', '--decrypt', '--input-type', format, '--output-type', format, '--', `./${rel}`], file: rel } };
    }
    if (format !== undefined && format !== 'yaml' && format !== 'json') return byHand(`${secret} in ${rel} (format ${printable(format)}): sops cannot extract one key of it`);
    if (key === null) return byHand(`${secret} in ${rel}: its key is not a literal`);
    // sops-nix: an empty key is the whole file, decrypted
    if (key === '') return { from: `sops file ${rel}, the whole file`, read: { argv: ['sops', '--decrypt', '--', `./${rel}`], file: rel } };
    const extract = (key ?? name).split('/').map((p) => `[${JSON.stringify(p)}]`).join('');
    return { from: `sops file ${rel}, ${printable(extract)}`, read: { argv: ['sops', '--decrypt', '--extract', extract, '--', `./${rel}`], file: rel } };
  }

  /**
   * Why reading `rel` (relative to the clan's root) could leave the clan, or undefined: it has no
   * line break or control character and no `..` part, and it resolves, links included, inside the
   * clan's real root — a regular file when it exists, else its nearest existing folder.
   */
  private readProblem(rel: string): string | undefined {
    if (hasUnsafeCharacter(rel)) return `its path ${shownName(rel)} contains a line break or control character`;
    const parts = rel.split('/');
    if (path.isAbsolute(rel) || parts[0] === '..') return 'it is outside the clan';
    if (parts.includes('..')) return "its path has a '..' part";
    const c = this.reads.confine(path.join(this.root, rel));
    if ('outside' in c) {
      if (c.leadsTo !== null) return 'it resolves outside the clan (through a link)';
      return this.reads.roots[0].real === null ? "the clan's folder does not resolve" : 'it goes through a link that does not resolve';
    }
    const st = this.reads.stat(c.real);
    return st && !st.isFile() ? 'it is not a regular file' : undefined;
  }
}
