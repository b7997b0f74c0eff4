// JSON with the order of object keys kept as written. sops computes its MAC over the leaves in
// document order, and JavaScript objects put integer-like keys ("0", "1") first, so a sops tree
// cannot go through plain objects. Duplicate keys are kept, as sops's own decoder keeps them.

export type JsonNode =
  | { t: 'object'; entries: [string, JsonNode][] }
  | { t: 'array'; items: JsonNode[] }
  | { t: 'value'; value: string | number | boolean | null };

/** Parses JSON text; throws a SyntaxError (or RangeError when nested too deeply) on bad input. */
export function parseOrderedJson(text: string): JsonNode {
  JSON.parse(text); // validates, with the engine's own error messages; the walk below trusts the syntax
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const str = (): string => {
    let j = i + 1;
    while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    const out = JSON.parse(text.slice(i, j + 1)) as string;
    i = j + 1;
    return out;
  };
  const value = (): JsonNode => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, JsonNode][] = [];
      ws();
      if (text[i] === '}') return i++, { t: 'object', entries };
      for (;;) {
        ws();
        const key = str();
        ws();
        i++; // ':'
        entries.push([key, value()]);
        ws();
        if (text[i++] === '}') return { t: 'object', entries };
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') return i++, { t: 'array', items };
      for (;;) {
        items.push(value());
        ws();
        if (text[i++] === ']') return { t: 'array', items };
      }
    }
    if (c === '"') return { t: 'value', value: str() };
    let j = i;
    while (j < text.length && !',}] \t\n\r'.includes(text[j])) j++;
    const literal = JSON.parse(text.slice(i, j)) as number | boolean | null;
    i = j;
    return { t: 'value', value: literal };
  };
  return value();
}
