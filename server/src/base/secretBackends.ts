// The secret stores clan vars keeps secret files in: the one list every option, setting, flag and
// view reads (clan's `vars.settings.secretStore` adds "custom", a module of the user's; the
// extension's setting and the checker's flag add "auto", what the clan's folders show).
export const SECRET_BACKENDS = ['sops', 'age', 'password-store'] as const;
export type SecretBackend = (typeof SECRET_BACKENDS)[number];

/** The values of clan's `vars.settings.secretStore`. */
export const CLAN_SECRET_STORES: readonly string[] = [...SECRET_BACKENDS, 'custom'];

/** The values of the `clanVars.secretStore` setting and of `--secret-store`. */
export const SECRET_STORE_SETTINGS = ['auto', ...SECRET_BACKENDS] as const;
export type SecretStoreSetting = (typeof SECRET_STORE_SETTINGS)[number];
