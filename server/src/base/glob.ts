// Generator names computed from interpolations (`"user-${name}"`) become wildcard patterns
// (`user-*`). Matching is linear in practice and never backtracks exponentially, whatever the
// pattern: a workspace's names are untrusted input.

export class Glob {
  private readonly parts: string[];

  constructor(readonly pattern: string) {
    this.parts = pattern.split('*');
  }

  /** Whether `name` matches: each `*` stands for any run of characters. */
  test(name: string): boolean {
    const parts = this.parts;
    if (parts.length === 1) return name === parts[0];
    const first = parts[0];
    const last = parts[parts.length - 1];
    if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
    // the middle parts in order, each at its leftmost place: greedy leftmost matching is exact for `*` alone
    let at = first.length;
    const end = name.length - last.length;
    for (let i = 1; i < parts.length - 1; i++) {
      const found = name.indexOf(parts[i], at);
      if (found < 0 || found + parts[i].length > end) return false;
      at = found + parts[i].length;
    }
    return true;
  }
}
