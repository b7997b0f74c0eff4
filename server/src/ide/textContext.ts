// Where the cursor is, from the text before it alone: a small Nix lexer that tracks the enclosing
// attrsets (and the attribute path each one is the value of), lists, strings and the binding being
// written. It works on half-typed text, where the syntax tree is still full of errors.

export interface Frame {
  open: '{' | '[' | '(' | 'let' | '${';
  /** The attribute path this frame is the value of, relative to the enclosing frame. */
  key: string[];
  /** Binding being written: the attr path so far and whether `=` was seen. */
  stmt: string[];
  state: 'key' | 'value';
  /** `${` frames: the kind of string the interpolation sits in. */
  resume?: '"' | "''";
  /** A `with x;` or `assert x;` is being written: its `;` does not end the binding. */
  pendingWith?: boolean;
}

export interface TextContext {
  /** Attribute path of the innermost attrset, through every enclosing value. */
  path: string[];
  /** The innermost frame. */
  frame: Frame;
  /** Inside a string: its kind, where its content starts (offset) and what it has so far. */
  string: { kind: '"' | "''"; contentStart: number; content: string } | null;
  /** The identifier-like word right before the cursor and where it starts (offset). */
  word: string;
  wordStart: number;
}

const IDENT = /[A-Za-z0-9_'\-]/;

export function textContext(text: string, offset: number): TextContext {
  const end = Math.max(0, Math.min(offset, text.length));
  const frames: Frame[] = [{ open: '{', key: [], stmt: [], state: 'key' }];
  const top = () => frames[frames.length - 1];
  const push = (open: Frame['open']) => {
    const f = top();
    const key = f.state === 'value' ? f.stmt : [];
    frames.push({ open, key: open === 'let' || open === '${' ? [] : key, stmt: [], state: open === '[' || open === '(' ? 'value' : 'key' });
    if (open === '[' || open === '(') top().stmt = [];
  };
  const pop = (open: Frame['open'][]) => {
    if (frames.length > 1 && open.includes(top().open)) frames.pop();
  };
  let string: TextContext['string'] = null;
  let i = 0;
  while (i < end) {
    const c = text[i];
    if (string) {
      if (string.kind === '"') {
        if (c === '\\') i += 2;
        else if (c === '"') {
          const f = top();
          if (f.state === 'key' && (f.open === '{' || f.open === 'let')) f.stmt.push(text.slice(string.contentStart, i));
          (string = null), i++;
        }
        else if (c === '$' && text[i + 1] === '{') (frames.push({ open: '${', key: [], stmt: [], state: 'value', resume: '"' }), (string = null), (i += 2));
        else i++;
      } else if (c === "'" && text[i + 1] === "'") {
        if (text[i + 2] === "'" || text[i + 2] === '$' || text[i + 2] === '\\') i += 3;
        else (string = null), (i += 2);
      } else if (c === '$' && text[i + 1] === '{') (frames.push({ open: '${', key: [], stmt: [], state: 'value', resume: "''" }), (string = null), (i += 2));
      else i++;
      continue;
    }
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 || nl > end ? end : nl;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? end : close + 2;
      continue;
    }
    if (c === '"' || (c === "'" && text[i + 1] === "'")) {
      const kind = c === '"' ? '"' : "''";
      const start = i + kind.length;
      string = { kind, contentStart: start, content: '' };
      i = start;
      continue;
    }
    const f = top();
    if (c === '{') push('{'), i++;
    else if (c === '[') push('['), i++;
    else if (c === '(') push('('), i++;
    else if (c === '}') {
      if (f.open === '${') {
        frames.pop();
        string = { kind: f.resume ?? '"', contentStart: i + 1, content: '' };
      } else pop(['{', 'let']);
      i++;
    } else if (c === ']') pop(['[']), i++;
    else if (c === ')') pop(['(']), i++;
    else if (c === ';') {
      if (f.pendingWith) f.pendingWith = false;
      else if (f.open === '{' || f.open === 'let') (f.stmt = []), (f.state = 'key');
      i++;
    } else if (c === '=' && text[i + 1] !== '=' && text[i - 1] !== '!' && text[i - 1] !== '<' && text[i - 1] !== '>') {
      if (f.state === 'key') f.state = 'value';
      i++;
    } else if (IDENT.test(c)) {
      let j = i;
      while (j < end && IDENT.test(text[j])) j++;
      const word = text.slice(i, j);
      if (word === 'let' && !IDENT.test(text[i - 1] ?? ' ')) push('let');
      else if (word === 'in' && f.open === 'let') frames.pop();
      else if ((word === 'with' || word === 'assert') && f.state === 'value') f.pendingWith = true;
      else if (f.state === 'key' && (f.open === '{' || f.open === 'let')) f.stmt.push(word);
      i = j;
    } else i++;
  }
  if (string) string.content = text.slice(string.contentStart, end);
  let w = end;
  while (w > 0 && /[A-Za-z0-9_\-']/.test(text[w - 1])) w--;
  const path: string[] = [];
  for (const fr of frames) path.push(...fr.key);
  return { path, frame: top(), string, word: text.slice(w, end), wordStart: w };
}

/** Where a generator path leads: `...vars.generators.<g>.<rest>`. */
export function generatorPath(path: string[]): { generator: string; rest: string[] } | null {
  for (let i = path.length - 2; i >= 0; i--) {
    if (path[i] === 'generators' && (i === 0 || path[i - 1] === 'vars')) return { generator: path[i + 1], rest: path.slice(i + 2) };
  }
  return null;
}
