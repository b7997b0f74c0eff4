// Combines what the evaluator found with what the literal extraction found: evaluated values win
// where they are known; literal ones fill the gaps (and stand alone when evaluation gave unknown).
import type { Generator, MatrixFacts, MatrixKeyRef, RegistryEntry, RegistryFacts } from '../facts/types';
import { Attached } from '../base/attached';
import { Places, sameKeyRef } from '../facts/places';
import { samePath } from '../base/pathPrefix';

/**
 * Results by their inputs' identity: the same evaluation and the same literal facts give the same
 * object, so a model rebuilt after an edit elsewhere neither repeats the work nor sees new objects.
 */
function memo<A extends object, B, R>(fn: (a: A, b: B) => R): (a: A, b: B) => R {
  const cache = new Attached<A, { b: B; r: R }>('memo');
  return (a, b) => {
    const hit = cache.get(a);
    if (hit && hit.b === b) return hit.r;
    const r = fn(a, b);
    cache.set(a, { b, r });
    return r;
  };
}

const mergeRegistryMemo = memo((evaluated: RegistryFacts, literal: RegistryFacts | undefined) => mergeEvaluatedRegistry(literal, evaluated));
const mergeMatrixMemo = memo((evaluated: MatrixFacts, literal: MatrixFacts | undefined) => mergeEvaluatedMatrix(literal, evaluated));
const registryGeneratorsMemo = memo((evaluated: RegistryFacts, file: string) => registryGenerators(file, evaluated));

export function mergeRegistry(literal: RegistryFacts | undefined, evaluated: RegistryFacts | null | undefined): RegistryFacts | undefined {
  return evaluated ? mergeRegistryMemo(evaluated, literal) : literal;
}

function mergeEvaluatedRegistry(literal: RegistryFacts | undefined, evaluated: RegistryFacts): RegistryFacts {
  const byKey = new Map((literal?.entries ?? []).map((e) => [e.key, e]));
  const entries: RegistryEntry[] = evaluated.entries.map((e) => {
    const lit = byKey.get(e.key);
    if (!lit) return e;
    // Every field the evaluation did not know keeps its literal value: no field is ever lost.
    const merged: Record<string, unknown> = { ...lit };
    for (const [field, value] of Object.entries(e)) if (value !== null && value !== undefined) merged[field] = value;
    const zero = e.keyRange.start.line === 0 && e.keyRange.start.character === 0 && e.keyRange.end.character === 0;
    if (zero) merged.keyRange = lit.keyRange;
    return merged as unknown as RegistryEntry;
  });
  // how to add an entry is a fact of the file's text (where, in which style), not of its evaluation
  return literal?.style ? { entries, style: literal.style, understood: true } : { entries, understood: true };
}

export function mergeMatrix(literal: MatrixFacts | undefined, evaluated: MatrixFacts | null | undefined): MatrixFacts | undefined {
  return evaluated ? mergeMatrixMemo(evaluated, literal) : literal;
}

/**
 * Per evaluated matrix: where each of its keys is written (its index), and what each literal key
 * object merged with it came to: the index of the evaluated key it stands for, -1 for one the
 * evaluation did not reach, -2 for one written where the evaluation found another key. A keystroke
 * in the matrix gives the same objects for the keys it did not touch, so merging it again looks up
 * only the keys it changed.
 */
interface MergePlaces {
  places: Places<number>;
  decided: WeakMap<MatrixKeyRef, number>;
}
const evaluatedPlaces = new Attached<MatrixFacts, MergePlaces>('evaluatedKeyPlaces');

function mergeEvaluatedMatrix(literal: MatrixFacts | undefined, evaluated: MatrixFacts): MatrixFacts {
  let merge = evaluatedPlaces.get(evaluated);
  if (!merge) {
    const places = new Places<number>();
    evaluated.keys.forEach((k, i) => places.get(k.range.start) ?? places.set(k.range.start, i));
    merge = evaluatedPlaces.set(evaluated, { places, decided: new WeakMap() });
  }
  const { places, decided } = merge;
  // A key the evaluation found as the text has it is the literal key: what reads the keys sees the
  // same objects whether the evaluation is served or not (a keystroke in the matrix serves it only
  // while the text is what it evaluated), and compares them cheaply.
  const keys = evaluated.keys.slice();
  // Literal keys the evaluation did not reach (helper lists no machine uses yet) are still checked.
  const extra: MatrixKeyRef[] = [];
  const literalKeys = literal?.keys ?? [];
  for (let j = 0; j < literalKeys.length; j++) {
    const k = literalKeys[j];
    let i = decided.get(k);
    if (i === undefined) {
      const at = places.get(k.range.start);
      i = at === undefined ? -1 : sameKeyRef(evaluated.keys[at], k) ? at : -2;
      decided.set(k, i);
    }
    if (i >= 0) keys[i] = k;
    else if (i === -1) extra.push(k);
  }
  keys.push(...extra);
  const machines = literal && samePath(literal.machines, evaluated.machines) ? literal.machines : evaluated.machines;
  return { machines, keys, understood: true };
}

/** Generator declarations of the evaluated registry entries (their names may be computed). */
export function registryGeneratorsFromEvaluation(file: string, evaluated: RegistryFacts | null | undefined): Generator[] | null {
  return evaluated ? registryGeneratorsMemo(evaluated, file) : null;
}

function registryGenerators(file: string, evaluated: RegistryFacts): Generator[] {
  const out: Generator[] = [];
  for (const e of evaluated.entries) {
    if (!e.generator) continue;
    const range = e.generator.range;
    out.push({
      name: e.generator,
      file,
      origin: 'registry',
      share: null,
      dependencies: [],
      files: (e.files ?? []).map((name) => ({ name, range })),
      prompts: (e.prompts ?? []).map((name) => ({ name, range })),
      options: [],
    });
  }
  return out;
}
