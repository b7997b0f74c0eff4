// Errors the secrets library reports to the user. Each has a stable code and a message written for
// a person: what went wrong, where we looked, what to do. Messages never contain secret material.

export type SecretErrorCode =
  | 'no-identity' // no age identity found anywhere
  | 'not-a-recipient' // identities found, but none can open this file
  | 'mac-mismatch' // the sops MAC does not match: changed or corrupted file
  | 'unsupported-identity' // SSH keys, plugins, passphrase-protected identity files
  | 'unsupported-format' // e.g. a sops file without age recipients, or mac_only_encrypted
  | 'corrupt' // the file cannot be parsed or decrypted
  | 'not-found'; // no such var on disk

export class SecretError extends Error {
  constructor(
    readonly code: SecretErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretError';
  }
}

/** The message of any thrown value, without a stack. */
export function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
