// Types for workbench.js (plain CommonJS so code-shim.js runs with bare node).
import type { ChildProcess } from 'node:child_process';

export const SETUP_HINT: string;
export function toolsDir(): string;
export function requireTool(name: string): any;
export function chromiumPath(): string;
export function freePort(): Promise<number>;
export interface CodeServer {
  port: number;
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}
export function startCodeServer(options: {
  userDataDir: string;
  extensionsDir: string;
  stateDir: string;
  onOutput?: (text: string) => void;
  timeoutMs?: number;
}): Promise<CodeServer>;
export function killGroup(child: ChildProcess): Promise<void>;
export function workbenchUrl(base: string, port: number, options: { folder?: string; extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
export function launchBrowser(options: { profileDir: string; viewport?: { width: number; height: number }; developmentPayload?: boolean }): Promise<{ context: any; page: any }>;
