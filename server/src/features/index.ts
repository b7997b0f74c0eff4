// Every LSP feature, in one list. Each feature lives in its own file.
import { codeActions } from './codeActions';
import type { Feature } from './context';
import { varsStatusFeature } from './varsStatus';
import { dependencyGraph } from './dependencyGraph';

export const FEATURES: Feature[] = [varsStatusFeature, codeActions, dependencyGraph];

/** The server capabilities of all features, merged. */
export function featureCapabilities(): Record<string, unknown> {
  return Object.assign({}, ...FEATURES.map((f) => f.capabilities ?? {}));
}
