// Every LSP feature, in one list. Each feature lives in its own file.
import { completionFeature } from './completion';
import type { Feature } from './context';
import { hoverFeature } from './hover';

export const FEATURES: Feature[] = [hoverFeature, completionFeature];

/** The server capabilities of all features, merged. */
export function featureCapabilities(): Record<string, unknown> {
  return Object.assign({}, ...FEATURES.map((f) => f.capabilities ?? {}));
}
