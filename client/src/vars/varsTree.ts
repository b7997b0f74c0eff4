// The "Clan Vars" view: machines -> generators -> files with their state on disk. A thin client:
// the state comes from the server (`clanVars/varsStatus`); this file only turns it into tree items.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClanVarsStatus, FileStatus, GeneratorStatus, InputsStatusResult, MachineSource, VarsStatusResult } from '../../../server/src/lsp/protocol';
import { problemsSummary, describeGenerator, describeFile, describeMachine } from './describeState';
import { printable } from '../../../server/src/base/printable';

export type VarsNode =
  | { type: 'clan'; clan: ClanVarsStatus }
  /** `missingInputs`: flake inputs not on this machine whose modules the machine imports (fetching them may make it known). */
  | { type: 'machine'; clan: ClanVarsStatus; name: string; sources: MachineSource[]; generators: GeneratorStatus[]; missingInputs: string[]; legacy: number }
  | { type: 'group'; clan: ClanVarsStatus; label: string; tooltip: string; generators: GeneratorStatus[] }
  | { type: 'generator'; clan: ClanVarsStatus; generator: GeneratorStatus }
  | { type: 'file'; clan: ClanVarsStatus; generator: GeneratorStatus; file: FileStatus }
  | { type: 'message'; label: string };

const GENERATOR_ICONS: Record<GeneratorStatus['state'], [string, string | undefined]> = {
  generated: ['pass', 'testing.iconPassed'],
  partial: ['circle-slash', 'list.warningForeground'],
  missing: ['circle-large-outline', 'list.errorForeground'],
  outdated: ['history', 'list.warningForeground'],
  'recipients-outdated': ['key', 'list.warningForeground'],
  orphaned: ['trash', 'list.deemphasizedForeground'],
  unknown: ['question', undefined],
};
const FILE_ICONS: Record<FileStatus['state'], [string, string | undefined]> = {
  generated: ['pass', 'testing.iconPassed'],
  missing: ['circle-large-outline', 'list.errorForeground'],
  'recipients-outdated': ['key', 'list.warningForeground'],
  unknown: ['question', undefined],
};

function icon([id, color]: [string, string | undefined]): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

export class VarsTreeProvider implements vscode.TreeDataProvider<VarsNode> {
  private readonly changed = new vscode.EventEmitter<VarsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private status: VarsStatusResult | undefined;
  private error: string | undefined;
  private inputs: InputsStatusResult | undefined;

  constructor(
    private readonly fetch: () => Promise<VarsStatusResult>,
    private readonly fetchInputs: () => Promise<InputsStatusResult> = async () => ({ clans: [] }),
    /** Told each state loaded (the status item shows the values still to move). */
    private readonly loaded: (status: VarsStatusResult) => void = () => {},
  ) {}

  refresh(): void {
    this.status = undefined;
    this.changed.fire(undefined);
  }

  /** The last state shown (for commands that need machine and generator names). */
  async current(): Promise<VarsStatusResult> {
    if (!this.status) await this.load();
    return this.status ?? { clans: [] };
  }

  private async load(): Promise<void> {
    try {
      this.status = await this.fetch();
      this.error = undefined;
      this.loaded(this.status);
    } catch (e) {
      this.error = (e as Error).message;
    }
    try {
      this.inputs = await this.fetchInputs();
    } catch {
      this.inputs = undefined; // the view works without it: no fetch offered
    }
    const missing = this.inputs?.clans.some((c) => c.openMachines.length > 0) ?? false;
    void vscode.commands.executeCommand('setContext', 'clanVars.inputsMissing', missing);
  }

  async getChildren(node?: VarsNode): Promise<VarsNode[]> {
    if (!node) {
      await this.load();
      if (this.error) return [{ type: 'message', label: `Cannot read the vars state: ${this.error}` }];
      const clans = this.status?.clans ?? [];
      if (clans.length === 0) return [{ type: 'message', label: 'No clan found in this workspace.' }];
      return clans.length === 1 ? clanChildren(clans[0], this.inputs) : clans.map((clan) => ({ type: 'clan', clan }));
    }
    switch (node.type) {
      case 'clan':
        return clanChildren(node.clan, this.inputs);
      case 'machine':
      case 'group':
        return node.generators.map((generator) => ({ type: 'generator', clan: node.clan, generator }));
      case 'generator':
        return node.generator.files.map((file) => ({ type: 'file', clan: node.clan, generator: node.generator, file }));
      default:
        return [];
    }
  }

  getTreeItem(node: VarsNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.type) {
      case 'message':
        return new vscode.TreeItem(printable(node.label), C.None);
      case 'clan': {
        // names as labels and plain tooltips: printable (base/printable.ts)
        const item = new vscode.TreeItem(printable(path.basename(node.clan.root)), C.Expanded);
        item.description = `${node.clan.backend} backend`;
        item.tooltip = printable(node.clan.root);
        item.iconPath = new vscode.ThemeIcon('repo');
        return item;
      }
      case 'machine': {
        const item = new vscode.TreeItem(printable(node.name), node.generators.length ? C.Collapsed : C.None);
        const d = describeMachine(node);
        item.description = d.short;
        item.tooltip = d.long;
        item.iconPath = new vscode.ThemeIcon('vm');
        item.contextValue = 'clanVars.machine';
        if (node.missingInputs.length) item.contextValue = 'clanVars.machine.inputsMissing';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label, C.Collapsed);
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon('folder');
        return item;
      }
      case 'generator': {
        const g = node.generator;
        const item = new vscode.TreeItem(printable(g.name), g.files.length ? C.Collapsed : C.None);
        const d = describeGenerator(g, node.clan.backend);
        item.description = d.short;
        item.tooltip = new vscode.MarkdownString(d.long);
        // a generator the checker reports: the problem's icon, whatever its state on disk
        const problems = problemsSummary(g);
        item.iconPath = problems ? new vscode.ThemeIcon(problems.severity, new vscode.ThemeColor(problems.severity === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground')) : icon(GENERATOR_ICONS[g.state]);
        // orphaned vars are nothing to generate: no generate/regenerate actions on them
        item.contextValue = g.state === 'orphaned' ? 'clanVars.generator.orphaned' : g.machine === null ? 'clanVars.generator.shared' : 'clanVars.generator';
        const decl = g.declarations[0];
        if (decl) item.command = { command: 'vscode.open', title: 'Open declaration', arguments: [vscode.Uri.file(decl.file), { selection: new vscode.Range(decl.line, 0, decl.line, 0) }] };
        return item;
      }
      case 'file': {
        const f = node.file;
        const item = new vscode.TreeItem(printable(f.name), C.None);
        const d = describeFile(f);
        item.description = d.short;
        item.tooltip = d.long;
        item.iconPath = icon(FILE_ICONS[f.state]);
        const secret = f.kind !== 'public' && f.kind !== null;
        item.contextValue = `clanVars.file${secret ? '.secret' : ''}${f.state !== 'missing' && f.state !== 'unknown' && f.path ? '.onDisk' : ''}`;
        return item;
      }
    }
  }
}

function clanChildren(clan: ClanVarsStatus, inputs: InputsStatusResult | undefined): VarsNode[] {
  const open = inputs?.clans.find((c) => c.root === clan.root)?.openMachines ?? [];
  const out: VarsNode[] = clan.machines.map((m) => ({ type: 'machine', clan, name: m.name, sources: m.sources, generators: m.generators, missingInputs: open.find((o) => o.name === m.name)?.inputs ?? [], legacy: m.legacy ?? 0 }));
  if (clan.shared.length) out.push({ type: 'group', clan, label: 'Shared generators', tooltip: 'Generated once for the whole clan (share = true), in vars/shared/', generators: clan.shared });
  if (clan.unassigned.length) {
    out.push({
      type: 'group',
      clan,
      label: 'Machine not known statically',
      tooltip: 'Per-machine generators declared in modules: which machines import them needs evaluation. They appear under a machine once vars exist for it.',
      generators: clan.unassigned,
    });
  }
  if (out.length === 0) out.push({ type: 'message', label: 'No machines or generators found.' });
  return out;
}
