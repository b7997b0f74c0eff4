// workspace/executeCommand `clanVars.server.migrationScript` [uri?]: the value-moving script of the
// clan holding `uri` (or the workspace's clan with the most generators), as text, with the migration
// report. The server writes nothing; the client shows the text in an unsaved editor for the user to review.
import { uriToFile } from '../convert';
import { migrationReport } from '../../ide/migrationReport';
import { migrationScript } from '../../ide/migrationScript';
import { MIGRATION_SCRIPT_COMMAND, type MigrationScriptResult } from '../protocol';
import { clansOf, requestHandler, type Feature } from './context';

export const migrationScriptFeature: Feature = {
  capabilities: { executeCommandProvider: { commands: [MIGRATION_SCRIPT_COMMAND] } },
  register(ctx) {
    ctx.connection.onExecuteCommand(
      requestHandler(ctx, MIGRATION_SCRIPT_COMMAND, (params: { command: string; arguments?: unknown[] }): MigrationScriptResult | null => {
        if (params.command !== MIGRATION_SCRIPT_COMMAND) return null;
        const arg = params.arguments?.[0];
        const file = typeof arg === 'string' ? uriToFile(arg) : null;
        const chosen = file ? { index: ctx.indexFor(file), root: null } : clansOf(ctx)[0];
        if (!chosen) return null;
        const root = chosen.root ?? chosen.index.clanRootOf(file!);
        const clan = chosen.index.clan(root);
        return { root, script: migrationScript(clan), report: migrationReport(clan) };
      }),
    );
  },
};
