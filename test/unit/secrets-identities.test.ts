// Identity discovery: the documented order, XDG_CONFIG_HOME, files with several keys and comments,
// duplicates, and unsupported identity types. Runs with a temporary HOME and explicit env vars.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { discoverIdentities, parseIdentityText } from '../../server/src/secrets/identities';
import { newKey, write } from '../helpers/secretsClan';
import { tempDir } from '../helpers/secretsEnv';

describe('identity discovery', () => {
  test('every source, in the documented order', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, newKey));
    const home = tempDir('clan-vars-home-');
    const etc = tempDir('clan-vars-etc-');
    write(home, 'setting.txt', keys[0].identity);
    const sopsFile = write(etc, 'sops-file.txt', keys[2].identity);
    write(home, '.config/sops/age/keys.txt', keys[3].identity);
    const ageFile = write(etc, 'age-file.txt', keys[5].identity);
    write(home, '.config/age/identities', keys[6].identity);
    write(home, '.age/key.txt', keys[7].identity);
    const env = { SOPS_AGE_KEY: keys[1].identity, SOPS_AGE_KEY_FILE: sopsFile, AGE_KEY: keys[4].identity, AGE_KEYFILE: ageFile };
    const d = discoverIdentities({ env, home, platform: 'linux', settingFile: '~/setting.txt' });
    assert.deepEqual(d.identities.map((i) => i.key), keys.map((k) => k.identity));
    assert.deepEqual(
      d.identities.map((i) => i.source.replace(/ \(.*\)/, '').replace(/, line \d+$/, '')),
      ['setting clanVars.ageIdentityFile', 'SOPS_AGE_KEY', 'SOPS_AGE_KEY_FILE', 'sops default', 'AGE_KEY', 'AGE_KEYFILE', 'age default', 'age default'],
    );
    assert.ok(d.identities[3].source.includes('~/.config/sops/age/keys.txt'));
  });

  test('XDG_CONFIG_HOME replaces ~/.config', async () => {
    const [inXdg, inDotConfig] = await Promise.all([newKey(), newKey()]);
    const home = tempDir('clan-vars-home-');
    const xdg = tempDir('clan-vars-xdg-');
    write(xdg, 'sops/age/keys.txt', inXdg.identity);
    write(home, '.config/sops/age/keys.txt', inDotConfig.identity);
    const d = discoverIdentities({ env: { XDG_CONFIG_HOME: xdg }, home, platform: 'linux' });
    assert.deepEqual(d.identities.map((i) => i.key), [inXdg.identity]);
    assert.ok(d.looked.some((l) => l.includes(path.join(xdg, 'sops/age/keys.txt'))));
  });

  test('macOS also reads ~/Library/Application Support/sops/age/keys.txt', async () => {
    const k = await newKey();
    const home = tempDir('clan-vars-home-');
    write(home, 'Library/Application Support/sops/age/keys.txt', k.identity);
    assert.equal(discoverIdentities({ env: {}, home, platform: 'darwin' }).identities.length, 1);
    assert.equal(discoverIdentities({ env: {}, home, platform: 'linux' }).identities.length, 0);
  });

  test('several keys, comments, blank lines, CRLF, duplicates', async () => {
    const [a, b] = await Promise.all([newKey(), newKey()]);
    const home = tempDir('clan-vars-home-');
    const text = `# created: 2026-01-01\r\n# public key: ${a.recipient}\r\n${a.identity}\r\n\r\n  # another\n${b.identity}\n${a.identity}\n`;
    write(home, '.config/sops/age/keys.txt', text);
    const d = discoverIdentities({ env: { AGE_KEY: b.identity }, home, platform: 'linux' });
    assert.deepEqual(d.identities.map((i) => i.key), [a.identity, b.identity]);
    assert.match(d.identities[1].source, /line 6$/);
    assert.deepEqual(d.unsupported, []);
  });

  test('unsupported entries are reported, not used, and never echo the key', () => {
    const plugin = 'AGE-PLUGIN-YUBIKEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';
    const r = parseIdentityText(`${plugin}\nnonsense-line\n`, 'keys.txt');
    assert.equal(r.keys.length, 0);
    assert.match(r.unsupported[0], /plugin identity AGE-PLUGIN-YUBIKEY-… is not supported/);
    assert.ok(!r.unsupported.join('\n').includes(plugin));
    assert.match(r.unsupported[1], /line 2: not an age identity/);
    assert.match(parseIdentityText('ssh-ed25519 AAAAC3Nz user@host\n', 'k').unsupported[0], /SSH key/);
    assert.match(parseIdentityText('-----BEGIN AGE ENCRYPTED FILE-----\nxx\n', 'k').unsupported[0], /passphrase-protected/);
  });

  test('missing and unreadable files are listed as looked-at places', () => {
    const home = tempDir('clan-vars-home-');
    const d = discoverIdentities({ env: { SOPS_AGE_KEY_FILE: path.join(home, 'nope.txt') }, home, platform: 'linux', settingFile: '~/also-nope' });
    assert.equal(d.identities.length, 0);
    assert.ok(d.looked.includes('setting clanVars.ageIdentityFile (~/also-nope): no such file'), d.looked.join('\n'));
    assert.ok(d.looked.includes('SOPS_AGE_KEY_FILE (~/nope.txt): no such file'));
    assert.ok(d.looked.includes('SOPS_AGE_KEY: not set'));
  });
});

test("what was looked at, as the no-identity message lists it: each place once, '1 key' and 'N keys', ~ for the home folder; blank variables count as not set", async () => {
  const home = tempDir('clan-vars-home-looked-');
  const [a, b] = await Promise.all([newKey(), newKey()]);
  write(home, '.config/sops/age/keys.txt', `# two keys\n${a.identity}\n${b.identity}\n`);
  write(home, 'one.txt', `${a.identity}\n`);
  const d = discoverIdentities({
    env: { SOPS_AGE_KEY: `${b.identity}\n`, SOPS_AGE_KEY_FILE: '~/one.txt', AGE_KEY: '   ', AGE_KEYFILE: '~' },
    home,
    platform: 'linux',
    settingFile: ' ~/.config/sops/age/keys.txt ',
  });
  assert.deepEqual(d.looked, [
    'setting clanVars.ageIdentityFile (~/.config/sops/age/keys.txt): 2 keys',
    'SOPS_AGE_KEY: 1 key',
    'SOPS_AGE_KEY_FILE (~/one.txt): 1 key',
    // the sops default is the setting's file: read once
    'AGE_KEY: not set',
    `AGE_KEYFILE (${home}): not a regular file`,
    'age default (~/.config/age/identities): no such file',
    'age default (~/.age/key.txt): no such file',
  ]);
  assert.deepEqual(d.identities.map((i) => i.key), [a.identity, b.identity], 'each key once, in the order found');
});
