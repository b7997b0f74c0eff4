// Shared by definition, references and rename: the occurrences of the symbol under the cursor.
import type { Occurrence } from '../../ide/occurrences';
import { fileOccurrences, generatorOccurrences, promptOccurrences, registryKeyOccurrences } from '../../ide/occurrences';
import { symbolAt, type SymbolAt } from '../../ide/symbolAt';
import type { ServerContext } from './context';
import { locate, type Located } from './locate';

export interface Target {
  at: Located;
  symbol: SymbolAt;
  occurrences: Occurrence[];
}

export function targetAt(ctx: ServerContext, uri: string, position: { line: number; character: number }): Target | null {
  const at = locate(ctx, uri);
  if (!at?.facts) return null;
  const symbol = symbolAt(at.facts, position);
  if (!symbol) return null;
  return { at, symbol, occurrences: occurrencesOf(at, symbol) };
}

function occurrencesOf(at: Located, s: SymbolAt): Occurrence[] {
  switch (s.kind) {
    case 'generator':
      return s.literal ? generatorOccurrences(at.clan, s.name) : [];
    case 'registry-key':
      return registryKeyOccurrences(at.clan, s.key);
    case 'file':
      return fileOccurrences(at.clan, s.generator, s.file);
    case 'prompt':
      return promptOccurrences(at.clan, s.generator, s.prompt);
    case 'option':
    case 'option-value':
      return [];
  }
}
