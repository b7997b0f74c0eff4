/**
 * Generators clan-core's own machine modules declare on every machine (nixosModules/clanCore:
 * `machine-id`, `state-version`, each behind an option). They are never in the workspace, so a
 * dependency on them is not reported.
 */
export const CLAN_CORE_MACHINE_GENERATORS: ReadonlySet<string> = new Set(['machine-id', 'state-version']);

/** Stands for clan-core's folder where clan-core is not read: no file below it is ever read. */
export const CLAN_CORE_UNREAD = '/clan-vars-known/clan-core (not read)';
