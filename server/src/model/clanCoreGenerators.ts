/**
 * Generators clan-core's own machine modules declare on every machine (nixosModules/clanCore:
 * `machine-id`, `state-version`, each behind an option). They are never in the workspace, so a
 * dependency on them is not reported.
 */
export const CLAN_CORE_MACHINE_GENERATORS: ReadonlySet<string> = new Set(['machine-id', 'state-version']);
