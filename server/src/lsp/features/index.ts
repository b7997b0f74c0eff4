// Every LSP feature, in one list. Each feature lives in its own file.
import { codeActions } from './codeActions';
import { codeLensFeature } from './codeLens';
import { completionFeature } from './completion';
import type { Feature } from './context';
import { definitionFeature } from './definition';
import { dependencyGraph } from './dependencyGraph';
import { documentLinksFeature } from './documentLinks';
import { documentSymbolsFeature } from './documentSymbols';
import { flakeInputsFeature } from './flakeInputs';
import { hoverFeature } from './hover';
import { migrationScriptFeature } from './migrationScript';
import { referencesFeature } from './references';
import { renameFeature } from './rename';
import { varsStatusFeature } from './varsStatus';
import { workspaceSymbolsFeature } from './workspaceSymbols';

export const FEATURES: Feature[] = [
  hoverFeature,
  completionFeature,
  definitionFeature,
  referencesFeature,
  renameFeature,
  documentSymbolsFeature,
  workspaceSymbolsFeature,
  codeLensFeature,
  documentLinksFeature,
  codeActions,
  varsStatusFeature,
  flakeInputsFeature,
  dependencyGraph,
  migrationScriptFeature,
];

/** The server capabilities of all features, merged. */
export function featureCapabilities(): Record<string, unknown> {
  return Object.assign({}, ...FEATURES.map((f) => f.capabilities ?? {}));
}
