// Code lens above each generator: the machines using it, how many generators depend on it, and
// its state on disk. "Generate" / "Regenerate" lenses appear only when the client announced the
// `clanVars.generate` command (capabilities.experimental.clanVarsCommands); their argument is
// `{ generator, machine, regenerate }` (machine null for a shared generator).
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { generationOffer, generatorView, livePlacements, notKnownHere, type Placement } from '../../model/generatorView/generatorView';
import { requestHandler, type Feature, type ServerContext } from './context';
import { locate, toLspRange } from './locate';
import { printable } from '../../base/printable';

export const GENERATE_COMMAND = 'clanVars.generate';

export interface GenerateArgs {
  generator: string;
  machine: string | null;
  regenerate: boolean;
}

export const codeLensFeature: Feature = {
  capabilities: { codeLensProvider: { resolveProvider: false } },
  register(ctx: ServerContext) {
    ctx.connection.onCodeLens(
      requestHandler(ctx, 'codeLens', (p: CodeLensParams): CodeLens[] => {
        const at = locate(ctx, p.textDocument.uri);
        if (!at?.facts) return [];
        const canGenerate = ctx.clientCapabilities.commands.includes(GENERATE_COMMAND);
        const lenses: CodeLens[] = [];
        for (const g of at.facts.generators) {
          if (g.origin !== 'module' || g.name.name === null) continue;
          const v = generatorView(at.clan, g.name.name);
          const live = livePlacements(v);
          const range = toLspRange(g.name.range);
          const parts = [
            v.share ? `shared${v.machines.length ? ' by ' + v.machines.join(', ') : ''}` : v.machines.length ? `machines: ${v.machines.join(', ')}` : 'no machine known',
            `${v.dependents.length} dependent${v.dependents.length === 1 ? '' : 's'}`,
          ];
          if (live.length) parts.push(statesWord(live));
          const orphaned = v.placements.filter((p) => p.orphaned).length;
          if (orphaned) parts.push(`${orphaned} orphaned`);
          lenses.push({ range, command: { title: printable(parts.join(' · ')), command: '' } });
          if (!canGenerate) continue;
          const offer = generationOffer(v);
          const args = (regenerate: boolean): GenerateArgs[] => [{ generator: g.name.name!, machine: offer.machine, regenerate }];
          if (offer.generate) lenses.push({ range, command: { title: 'Generate', command: GENERATE_COMMAND, arguments: args(false) } });
          if (offer.regenerate) lenses.push({ range, command: { title: 'Regenerate', command: GENERATE_COMMAND, arguments: args(true) } });
        }
        return lenses;
      }),
    );
  },
};

/** The state of a generator's live placements in a few words: one machine's state, or how many are generated (and how many not known here). */
export function statesWord(live: Placement[]): string {
  if (live.length === 1) return stateWord(live[0].state);
  const done = live.filter((p) => p.state === 'generated').length;
  const unknown = live.filter((p) => notKnownHere(p.files).length).length;
  return `${done}/${live.length} generated${unknown ? `, ${unknown} not known here` : ''}`;
}

export function stateWord(state: Placement['state']): string {
  switch (state) {
    case 'generated':
    case 'outdated':
      return state;
    case 'partial':
      return 'partly generated';
    case 'recipients-outdated':
      return 'recipients out of date';
    case 'unknown':
      return 'state not known here';
    default:
      return 'not generated';
  }
}
