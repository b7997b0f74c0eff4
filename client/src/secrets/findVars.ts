// What can be revealed: the vars on disk of every clan the language server knows (its scan, confined
// to each clan: the client reads no workspace folder for it), plus the entries of the user's passage
// store (in the user's home, not the workspace).
import * as os from 'node:os';
import type { LanguageClient } from 'vscode-languageclient/node';
import { REVEAL_TARGETS_REQUEST } from '../../../server/src/lsp/protocol';
import { listPassageVars, passageStoreDir } from '../../../server/src/secrets/passage';
import type { VarRef } from '../../../server/src/secrets/varRef';
import type { VarKind } from '../../../server/src/model/varsOnDisk';
import { sendRequest } from '../protocolClient';

export interface RevealTarget {
  root: string;
  ref: VarRef;
  kind: VarKind | 'passage';
  path: string;
}

/** The vars of the clans `client`'s server knows (none without a server), then the passage store's. */
export async function findRevealTargets(client: LanguageClient | undefined): Promise<RevealTarget[]> {
  const out: RevealTarget[] = client ? (await sendRequest(client, REVEAL_TARGETS_REQUEST, {})).targets : [];
  const store = passageStoreDir(process.env, os.homedir());
  const first = out[0]?.root;
  for (const e of listPassageVars(store)) out.push({ root: first ?? store, ref: e.ref, kind: 'passage', path: e.path });
  return out;
}
