// The words of a failed run's notification: what failed and nix's (or clan's) own reason in one
// short line, the whole output being in the log (Show Log). Plain node: no vscode import, tested.

/** The longest reason shown in a notification; the rest is in the log. */
const MAX_REASON = 160;

/**
 * The reason in a failed run's message, in one line: the last `error:` line of the output when it
 * has one (nix and clan put the cause there; their `… while fetching` lines say where), otherwise
 * the message's first line; cut at a space past MAX_REASON characters.
 */
export function shortReason(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /^error:/i.test(l));
  let reason = (errors.at(-1) ?? lines[0] ?? '').replace(/^error:\s*/i, '');
  // a long absolute path (not a URL's) is the least useful part of a line: its last two parts say which
  reason = reason.replace(/(^|[\s'"(])((?:\/[^/\s'"]+)+)/g, (all, before: string, p: string) => {
    const parts = p.split('/');
    return parts.length > 4 ? `${before}…/${parts.slice(-2).join('/')}` : all;
  });
  if (reason.length <= MAX_REASON) return reason;
  const cut = reason.lastIndexOf(' ', MAX_REASON);
  return `${reason.slice(0, cut > MAX_REASON / 2 ? cut : MAX_REASON)} …`;
}

/** The notification of a failed run: `Clan Vars: <what> failed: <reason>`, what first, no path before it. */
export function failureNotice(what: string, message: string): string {
  const reason = shortReason(message);
  return `Clan Vars: ${what} failed${reason ? `: ${reason}` : ''}. The log has the whole output.`;
}
