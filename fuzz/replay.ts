// Replaying one round of a seed (run.ts --round N) without replaying the rounds before it against a
// server: every random choice comes from one generator shared by the rounds, and what a round draws
// depends only on the seed, the corpus and the files on disk, never on the server's answers. The
// earlier rounds are run against a client that sends nothing (DryClient), on real workspaces (the
// choices read the files), which takes seconds instead of minutes.
import { pathToFileURL } from 'node:url';
import { burst, type ActionClient, type BurstState } from './actions';
import type { OpenDoc } from './client';
import type { Rng } from './rng';
import { applyChange, type Rng as Range } from './text';
import { makeWorkspace, removeWorkspace } from './workspace';

/** The client side of a round with no server: keeps the documents' texts, sends nothing, answers nothing. */
export class DryClient implements ActionClient {
  readonly docs = new Map<string, OpenDoc>();
  readonly failures: string[] = [];
  edits = 0;

  constructor(readonly capabilities: Record<string, unknown>) {}

  open(file: string, text: string): void {
    this.docs.set(pathToFileURL(file).href, { file, version: 1, text });
  }

  change(uri: string, changes: { range?: Range; text: string }[]): void {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${uri} is not open`);
    for (const ch of changes) doc.text = applyChange(doc.text, ch);
    doc.version++;
    this.edits += changes.length;
  }

  close(uri: string): void {
    this.docs.delete(uri);
  }

  watched(): void {}

  request(): Promise<unknown> {
    return Promise.resolve(undefined);
  }

  fail(): void {}
}

/**
 * Draws rounds 1 .. `rounds` of a run from `rng` as run.ts does (same bursts, same stop on the edit
 * limit), against DryClients; returns how many rounds, bursts and edits they made.
 */
export async function skipRounds(
  rng: Rng,
  rounds: number,
  o: { dirs: string[]; edits: number },
  capabilities: Record<string, unknown>,
): Promise<{ rounds: number; bursts: number; edits: number }> {
  const done = { rounds: 0, bursts: 0, edits: 0 };
  while (done.rounds < rounds && done.edits < o.edits) {
    done.rounds++;
    const ws = makeWorkspace(o.dirs);
    const client = new DryClient(capabilities);
    const s: BurstState = { client, ws, rng, originals: new Map(), byMethod: new Map() };
    try {
      const bursts = rng.int(5, 40);
      for (let b = 0; b < bursts; b++) {
        done.bursts++;
        await burst(s, rng.chance(0.2) ? rng.int(30, 120) : rng.int(1, 15));
        if (done.edits + client.edits >= o.edits) break;
      }
    } finally {
      done.edits += client.edits;
      removeWorkspace(ws);
    }
  }
  return done;
}
