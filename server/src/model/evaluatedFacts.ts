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

/** Where each key of an evaluated matrix is written (its index), once per evaluation (each keystroke in the matrix merges it again). */
const evaluatedPlaces = new Attached<MatrixFacts, Places<number>>('evaluatedKeyPlaces');

function mergeEvaluatedMatrix(literal: MatrixFacts | undefined, evaluated: MatrixFacts): MatrixFacts {
  let places = evaluatedPlaces.get(evaluated);
  if (!places) {
    places = evaluatedPlaces.set(evaluated, new Places<number>());
    evaluated.keys.forEach((k, i) => places!.get(k.range.start) ?? places!.set(k.range.start, i));
  }
  // A key the evaluation found as the text has it is the literal key: what reads the keys sees the
  // same objects whether the evaluation is served or not (a keystroke in the matrix serves it only
  // while the text is what it evaluated), and compares them cheaply.
  const keys = evaluated.keys.slice();
  // Literal keys the evaluation did not reach (helper lists no machine uses yet) are still checked.
  const extra: MatrixKeyRef[] = [];
  for (const k of literal?.keys ?? []) {
    const i = places.get(k.range.start);
    if (i === undefined) extra.push(k);
    else if (sameKeyRef(keys[i], k)) keys[i] = k;
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
