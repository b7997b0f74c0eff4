// The NAR hash of a commit's tree, as a flake.lock's `narHash` names the source Nix fetched: Nix's
// archive format (nix-archive-1: entries sorted by name, regular files with their executable bit,
// links with their target), hashed with sha256, written `sha256-<base64>`. A GitHub or forge archive
// of a commit is that tree unless .gitattributes asks git archive to leave files out or rewrite them
// (export-ignore, export-subst), and holds no submodule's files: for such a commit there is no hash.
// Checked against the NAR hashes clans' locks hold for revisions read here (known-inputs.test.ts).
import { createHash, type Hash } from 'node:crypto';
import { blobReader, gitBytes } from './git';

interface Dir {
  kind: 'dir';
  entries: Map<string, Node>;
}
type Node = Dir | { kind: 'file'; blob: string; executable: boolean } | { kind: 'link'; blob: string };

/** `sha256-<base64>` of the NAR of `rev`'s tree in the mirror; null when it cannot be known exactly. */
export function narHashOf(gitDir: string, rev: string): string | null {
  const listing = gitBytes(gitDir, ['ls-tree', '-r', '-z', '--full-tree', rev]);
  if (listing === null) return null;
  const root: Dir = { kind: 'dir', entries: new Map() };
  const blobs: string[] = [];
  const attributes: string[] = [];
  for (const entry of listing.toString('utf8').split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [mode, type, id] = entry.slice(0, tab).split(' ');
    const p = entry.slice(tab + 1);
    if (type !== 'blob') return null; // a submodule
    const parts = p.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.entries.get(part);
      if (!next) dir.entries.set(part, (next = { kind: 'dir', entries: new Map() }));
      if (next.kind !== 'dir') return null;
      dir = next;
    }
    const name = parts[parts.length - 1];
    if (mode === '120000') dir.entries.set(name, { kind: 'link', blob: id });
    else dir.entries.set(name, { kind: 'file', blob: id, executable: mode === '100755' });
    blobs.push(id);
    if (name === '.gitattributes') attributes.push(id);
  }
  const contents = blobReader(gitDir).read([...new Set(blobs)], Number.MAX_SAFE_INTEGER);
  if (attributes.some((id) => /export-(ignore|subst)/.test(contents.get(id)?.toString('utf8') ?? 'export-ignore'))) return null;
  const hash = createHash('sha256');
  str(hash, 'nix-archive-1');
  if (!node(hash, root, contents)) return null;
  return `sha256-${hash.digest('base64')}`;
}

const PAD = Buffer.alloc(8);

function str(hash: Hash, s: string | Buffer): void {
  const bytes = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(bytes.length));
  hash.update(len);
  hash.update(bytes);
  if (bytes.length % 8) hash.update(PAD.subarray(0, 8 - (bytes.length % 8)));
}

function node(hash: Hash, n: Node, contents: Map<string, Buffer | null>): boolean {
  str(hash, '(');
  str(hash, 'type');
  if (n.kind === 'dir') {
    str(hash, 'directory');
    const names = [...n.entries.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) {
      str(hash, 'entry');
      str(hash, '(');
      str(hash, 'name');
      str(hash, name);
      str(hash, 'node');
      if (!node(hash, n.entries.get(name)!, contents)) return false;
      str(hash, ')');
    }
  } else {
    const data = contents.get(n.blob);
    if (!data) return false;
    if (n.kind === 'link') {
      str(hash, 'symlink');
      str(hash, 'target');
      str(hash, data);
    } else {
      str(hash, 'regular');
      if (n.executable) {
        str(hash, 'executable');
        str(hash, '');
      }
      str(hash, 'contents');
      str(hash, data);
    }
  }
  str(hash, ')');
  return true;
}
