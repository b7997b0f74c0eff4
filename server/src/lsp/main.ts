// The Clan Vars language server's process. Runs inside VS Code (started by the extension) and
// standalone (`clan-vars-language-server --stdio`) for any LSP editor.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { makeWayForRequests } from '../base/turns';
import { SLOW_MS } from '../base/settings';
import { createLanguageServer } from './server';
import { checkCommandLine, limitHeapGrowth, logHeldLoop, logSlowCollections, onClientMessage } from './serverProcess';
import { tierUpLater } from '../base/v8Tiering';

checkCommandLine(process.argv.slice(2));
limitHeapGrowth();
tierUpLater({ inline: true }); // the keystrokes use it (base/v8Tiering.ts)
const connection = createConnection(ProposedFeatures.all);
const log = (line: string) => connection.console.log(line);
// A message from the client holds back background evaluation for the few turns its answer takes.
onClientMessage(process.argv.slice(2), () => makeWayForRequests());
if (SLOW_MS) {
  logSlowCollections(SLOW_MS, log);
  logHeldLoop(SLOW_MS, log);
}
// Nothing may write to stdout but the protocol: route stray console output to the log.
console.log = console.info = console.warn = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));

createLanguageServer(connection, { testHooks: process.env.CLAN_VARS_TEST_HOOKS === '1' });

process.on('uncaughtException', (e) => connection.console.error(`uncaught exception: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

connection.listen();
