// workspace/executeCommand `clanVars.server.migrationScript` [uri?]: the value-moving script of the
// clan holding `uri` (or the workspace's clan with the most generators), as text, with the migration
// report. The server writes nothing; the client shows the text in an unsaved editor for the user to review.
import { uriToFile } from '../convert';
import { migrationReport } from '../analysis/migrationReport';
import { migrationScript } from '../analysis/migrationScript';
import { clanRoots } from '../graph/clanGraphs';
import { MIGRATION_SCRIPT_COMMAND, type MigrationScriptResult } from '../protocol';
import { requestHandler, type Feature } from './context';

export const migrationScriptFeature: Feature = {
  capabilities: { executeCommandProvider: { commands: [MIGRATION_SCRIPT_COMMAND] } },
  register(ctx) {
    ctx.connection.onExecuteCommand(
      requestHandler(ctx, MIGRATION_SCRIPT_COMMAND, (params: { command: string; arguments?: unknown[] }): MigrationScriptResult | null => {
        if (params.command !== MIGRATION_SCRIPT_COMMAND) return null;
        const arg = params.arguments?.[0];
        const file = typeof arg === 'string' ? uriToFile(arg) : null;
        const index = file ? ctx.indexFor(file) : ctx.indexes().sort((a, b) => clanRoots(b)[0].generators - clanRoots(a)[0].generators)[0];
        if (!index) return null;
        const root = file ? index.clanRootOf(file) : clanRoots(index)[0].root;
        const clan = index.clan(root);
        return { root, script: migrationScript(clan), report: migrationReport(clan) };
      }),
    );
  },
};
