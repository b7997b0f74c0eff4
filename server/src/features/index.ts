// Every LSP feature, in one list. Each feature lives in its own file.
import type { Feature } from './context';
import { dependencyGraph } from './dependencyGraph';

export const FEATURES: Feature[] = [dependencyGraph];

/** The server capabilities of all features, merged. */
export function featureCapabilities(): Record<string, unknown> {
  return Object.assign({}, ...FEATURES.map((f) => f.capabilities ?? {}));
}
