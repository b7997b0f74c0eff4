// Code lens above each generator: the machines using it, how many generators depend on it, and
// its state on disk. "Generate" / "Regenerate" lenses appear only when the client announced the
// `clanVars.generate` command (capabilities.experimental.clanVarsCommands); their argument is
// `{ generator, machine, regenerate }` (machine null for a shared generator).
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { diskStates, summarize } from '../analysis/generatorSummary';
import { requestHandler, type Feature, type ServerContext } from './context';
import { locate, toLspRange } from './locate';

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
          const s = summarize(at.clan, g.name.name);
          const states = diskStates(at.clan, s);
          const range = toLspRange(g.name.range);
          const machines = [...new Set([...s.declaredOn, ...s.receivedBy])];
          const parts = [
            s.share ? `shared${machines.length ? ' by ' + machines.join(', ') : ''}` : machines.length ? `machines: ${machines.join(', ')}` : 'no machine known',
            `${s.dependents.length} dependent${s.dependents.length === 1 ? '' : 's'}`,
          ];
          const done = states.filter((st) => st.state === 'generated').length;
          if (states.length) parts.push(states.length === 1 ? stateWord(states[0].state) : `${done}/${states.length} generated`);
          lenses.push({ range, command: { title: parts.join(' · '), command: '' } });
          if (!canGenerate) continue;
          const target = states.find((st) => st.state !== 'generated') ?? states[0];
          const machine = target?.machine ?? null;
          const args = (regenerate: boolean): GenerateArgs[] => [{ generator: g.name.name!, machine, regenerate }];
          if (states.some((st) => st.state !== 'generated') || states.length === 0) lenses.push({ range, command: { title: 'Generate', command: GENERATE_COMMAND, arguments: args(false) } });
          if (done > 0) lenses.push({ range, command: { title: 'Regenerate', command: GENERATE_COMMAND, arguments: args(true) } });
        }
        return lenses;
      }),
    );
  },
};

function stateWord(state: string): string {
  return state === 'generated' ? 'generated' : state === 'outdated' ? 'outdated' : state === 'partial' ? 'partly generated' : 'not generated';
}
