// Which LSP features the extension's language server announces. Each feature's scenario first
// asserts its capability, so a feature the server stops announcing fails with that reason.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import * as vscode from 'vscode';
import { extension } from './helpers';

let cached: Promise<Record<string, unknown>> | undefined;

async function probe(): Promise<Record<string, unknown>> {
  const server = path.join(extension().extensionPath, 'dist', 'server.js');
  // In desktop VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it a plain node.
  const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  conn.listen();
  try {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.toString() ?? null;
    const result = (await conn.sendRequest('initialize', { processId: process.pid, rootUri: folder, capabilities: {}, workspaceFolders: null })) as {
      capabilities: Record<string, unknown>;
    };
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    return result.capabilities;
  } finally {
    conn.dispose();
    proc.kill();
  }
}

/** The server's capabilities from `initialize` (spawned once per run, over stdio). */
export function serverCapabilities(): Promise<Record<string, unknown>> {
  return (cached ??= probe());
}

/** True when the server announces `capability` (e.g. 'hoverProvider'). */
export async function serverHas(capability: string): Promise<boolean> {
  const caps = await serverCapabilities();
  const value = caps[capability];
  return value !== undefined && value !== null && value !== false;
}
