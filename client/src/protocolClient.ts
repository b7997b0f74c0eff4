// The client's side of the protocol (server/src/lsp/protocol.ts): a request sent, or a notification
// handled, with the types its declaration binds to its method.
import type { Disposable } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Notification, Request } from '../../server/src/lsp/protocol';

export function sendRequest<P, R>(client: LanguageClient, type: Request<P, R>, params: P): Promise<R> {
  return client.sendRequest<R>(type.method, params);
}

export function onNotification<P>(client: LanguageClient, type: Notification<P>, handler: (params: P) => void): Disposable {
  return client.onNotification(type.method, handler);
}
