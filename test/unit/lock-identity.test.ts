// One identity for a flake however a flake.lock locks it (server/src/model/inputs/lockIdentity.ts), each
// form with a `locked` entry as real clans' locks hold it, and the shipped knowledge found through it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { clearKnownInputs, knowledgeOf } from '../../server/src/model/inputs/knownInputs';
import { inputKey, lockedInput, lockedRev } from '../../server/src/model/inputs/lockIdentity';

const CLAN_CORE = 'git.clan.lol/clan/clan-core';
const repoRoot = path.resolve(__dirname, '..', '..');
const shared = process.env.CLAN_VARS_SHARED ?? path.resolve(repoRoot, '..', 'shared');

// `locked` entries from public clans' flake.lock files (the clan and node named), trimmed of nothing
const DETERMINATE_FLAKEHUB = { lastModified: 1775584659, narHash: 'sha256-NA5oZRunqxD+4LNdU7ZKJHqwuazKyAmBjO4OHXL14X4=', rev: '21dcaa011d3d35cf42a04e988eaac9b28c97a707', revCount: 411, type: 'tarball', url: 'https://api.flakehub.com/f/pinned/DeterminateSystems/determinate/3.17.3/019d691b-0a67-74d9-90e1-1a3c86286399/source.tar.gz' }; // benkoppe+nixcfg determinate
const NIXVIRT_FLAKEHUB = { lastModified: 1748140003, narHash: 'sha256-DNBZmuk1YRM2PmwbHzVdXumRjCUzQkMarg4iI/37rOQ=', rev: '5dfe108fd859b122f9a96981cb6bc12297653d6c', revCount: 407, type: 'tarball', url: 'https://api.flakehub.com/f/pinned/AshleyYakeley/NixVirt/0.6.0/0197059a-e45f-7446-86b5-411ccc894ab0/source.tar.gz' }; // apetrovic6+omnissiah nixvirt
const GIT_HTTPS_GITHUB = { lastModified: 1777048912, narHash: 'sha256-25rjS+zfTiZgBUxpIRbjyTfm9Z8XUT5NLeYNcO4PZJk=', ref: 'refs/heads/main', rev: 'ba902d7beaa516b1004852e312049ebd2496e8b5', revCount: 13, type: 'git', url: 'https://github.com/allouis/cctl' }; // DavHau+hyperconfig cctl
const GIT_SSH_GITHUB = { lastModified: 1785384731, narHash: 'sha256-GmoeyBoKBYcQNh6gR1L7nq48zP0M9RJiTT89aQOdhxU=', ref: 'refs/heads/main', rev: '442d2decd388ae5eccb416e47943589268c1a74e', revCount: 366, type: 'git', url: 'ssh://git@github.com/OnixResearch/cairn.git' }; // onixcomputer+onix-core cairn
const GITHUB_ARCHIVE = { lastModified: 1717284937, narHash: 'sha256-lIbdfCsf8LMFloheeE6N31+BMIeixqyQWbSr2vk79EQ=', type: 'tarball', url: 'https://github.com/NixOS/nixpkgs/archive/eb9ceca17df2ea50a250b6b27f7bf6ab0186f198.tar.gz' }; // haglobah+noldor nixpkgs-lib_10
const GITHUB_ARCHIVE_BRANCH = { lastModified: 1767090586, narHash: 'sha256-Z1pRj0PUioC1OfqImld01xq+SNw/3b9suI7TbrrWrUQ=', type: 'tarball', url: 'https://github.com/yadunut/clan-core/archive/main.tar.gz' }; // yadunut+nix clan-core
const FORGEJO_ARCHIVE = { lastModified: 1738663835, narHash: 'sha256-cZTA4OTZCBBmpXhqMLzC9emfyLUaR9U5tpTaFnN3+hg=', rev: '4878b773cba6cdf79bae16a3bedb70e96ae627f6', type: 'tarball', url: 'https://git.clan.lol/api/v1/repos/clan/clan-core/archive/4878b773cba6cdf79bae16a3bedb70e96ae627f6.tar.gz?rev=4878b773cba6cdf79bae16a3bedb70e96ae627f6' }; // Lehmanator+clan-config clan-core
const CODEBERG_ARCHIVE = { lastModified: 1787097724, narHash: 'sha256-y5q/XFRPi5TBWdh5MhqxJZhfmzqJO0bYNLZHE7WTqso=', rev: 'ecd0e136e75dc37967f5a6a5fea5a99613c503c1', type: 'tarball', url: 'https://codeberg.org/api/v1/repos/bananad3v/niri-nix/archive/ecd0e136e75dc37967f5a6a5fea5a99613c503c1.tar.gz' }; // fosskar+nixfiles niri-nix
const CODEBERG_GIT = { lastModified: 1752497357, narHash: 'sha256-9epXn1+T6U4Kfyw8B9zMzbERxDB3VfaPXhVebtai6CE=', ref: 'refs/heads/main', rev: '84db7dcea77f7f477d79e69e35fb0bb560232667', revCount: 42, type: 'git', url: 'https://codeberg.org/kampka/nix-flake-crowdsec.git' }; // badele+nix-homelab crowdsec
const SOURCEHUT = { lastModified: 1705050560, narHash: 'sha256-x3zzcdvhJpodsmdjqB4t5mkVW22V3wqHLOun0KRBzUI=', owner: '~rycee', repo: 'nmd', rev: '66d9334933119c36f91a78d565c152a4fdc8d3d3', type: 'sourcehut' }; // ElXreno+nixos-config nmd
const SOURCEHUT_SSH = { lastModified: 1770614067, narHash: 'sha256-HgziHCtqX1SRwZjC6lgfciGpfJP8hZDZUJly7o+8VGc=', ref: 'refs/heads/main', rev: '5a3aebf4386d8823727f767bba11ba2fc77fadbe', revCount: 1, type: 'git', url: 'ssh://git@git.sr.ht/~aos/custom-fonts' }; // aos+nix-config custom-fonts
const GITLAB = { lastModified: 1648075362, narHash: 'sha256-u36WgzoA84dMVsGXzml4wZ5ckGgfnvS0ryzo/3zn/Pc=', owner: 'rycee', repo: 'nmt', rev: 'd83601002c99b78c89ea80e5e6ba21addcfe12ae', type: 'gitlab' }; // Qubasa+dotfiles nmt
const RELEASE_ASSET = { lastModified: 1731687360, narHash: 'sha256-5vdKKvHAeZi6igrfpbOdhZlDX2/5+UvzlnCQV6DdqoQ=', type: 'tarball', url: 'https://github.com/rsms/inter/releases/download/v4.1/Inter-4.1.zip' }; // fosskar+nixfiles inter-fonts-src
const USER_KEYS = { narHash: 'sha256-rAtNCvT/sg8XhkyuLoIIruAuw3Rvccqnqne6LStoXTk=', type: 'file', url: 'https://github.com/lassulus.keys' }; // departamento-de-decentralizacion+infra lassulus-keys

test('lock forms: one identity per flake, and the revision a lock names', () => {
  const cases: [string, Record<string, unknown>, string | null, string | null][] = [
    ['FlakeHub tarball', DETERMINATE_FLAKEHUB, 'github:determinatesystems/determinate', DETERMINATE_FLAKEHUB.rev],
    ['FlakeHub tarball (mixed case)', NIXVIRT_FLAKEHUB, 'github:ashleyyakeley/nixvirt', NIXVIRT_FLAKEHUB.rev],
    ['FlakeHub original', { type: 'tarball', url: 'https://flakehub.com/f/DeterminateSystems/determinate/%2A' }, 'github:determinatesystems/determinate', null],
    ['git+https GitHub', GIT_HTTPS_GITHUB, 'github:allouis/cctl', GIT_HTTPS_GITHUB.rev],
    ['git+https GitHub .git', { type: 'git', url: 'https://github.com/Mic92/nixbot.git', rev: 'a'.repeat(40) }, 'github:mic92/nixbot', 'a'.repeat(40)],
    ['git over ssh, GitHub', GIT_SSH_GITHUB, 'github:onixresearch/cairn', GIT_SSH_GITHUB.rev],
    ['GitHub archive of a commit, no rev', GITHUB_ARCHIVE, 'github:nixos/nixpkgs', 'eb9ceca17df2ea50a250b6b27f7bf6ab0186f198'],
    ['GitHub archive of a branch, no rev', GITHUB_ARCHIVE_BRANCH, 'github:yadunut/clan-core', null],
    ['codeload', { type: 'tarball', url: `https://codeload.github.com/o/r/tar.gz/${'b'.repeat(40)}` }, 'github:o/r', 'b'.repeat(40)],
    ['forgejo API archive (git.clan.lol)', FORGEJO_ARCHIVE, CLAN_CORE, FORGEJO_ARCHIVE.rev],
    ['forgejo archive of a branch (git.clan.lol)', { type: 'tarball', url: 'https://git.clan.lol/clan/clan-core/archive/main.tar.gz' }, CLAN_CORE, null],
    ['git over https (git.clan.lol)', { type: 'git', url: 'https://git.clan.lol/clan/clan-core', ref: 'refs/heads/main', rev: 'c'.repeat(40) }, CLAN_CORE, 'c'.repeat(40)],
    ['codeberg API archive', CODEBERG_ARCHIVE, 'codeberg.org/bananad3v/niri-nix', CODEBERG_ARCHIVE.rev],
    ['codeberg archive of a branch', { type: 'tarball', url: 'https://codeberg.org/bananad3v/niri-nix/archive/main.tar.gz' }, 'codeberg.org/bananad3v/niri-nix', null],
    ['codeberg git', CODEBERG_GIT, 'codeberg.org/kampka/nix-flake-crowdsec', CODEBERG_GIT.rev],
    ['sourcehut', SOURCEHUT, 'sourcehut:~rycee/nmd', SOURCEHUT.rev],
    ['sourcehut over ssh', SOURCEHUT_SSH, 'sourcehut:~aos/custom-fonts', SOURCEHUT_SSH.rev],
    ['sourcehut over https', { type: 'git', url: 'https://git.sr.ht/~rycee/nmd' }, 'sourcehut:~rycee/nmd', null],
    ['sourcehut archive', { type: 'tarball', url: `https://git.sr.ht/~rycee/nmd/archive/${'d'.repeat(40)}.tar.gz` }, 'sourcehut:~rycee/nmd', 'd'.repeat(40)],
    ['gitlab', GITLAB, 'gitlab:rycee/nmt', GITLAB.rev],
    ['gitlab over https', { type: 'git', url: 'https://gitlab.com/rycee/nmt.git' }, 'gitlab:rycee/nmt', null],
    ['gitlab archive', { type: 'tarball', url: `https://gitlab.com/rycee/nmt/-/archive/${'e'.repeat(40)}/nmt-${'e'.repeat(40)}.tar.gz` }, 'gitlab:rycee/nmt', 'e'.repeat(40)],
    ['gitlab subgroup', { type: 'gitlab', owner: 'group%2Fsub', repo: 'r' }, 'gitlab:group/sub/r', null],
    ['gitlab subgroup over https', { type: 'git', url: 'https://gitlab.com/group/sub/r.git' }, 'gitlab:group/sub/r', null],
    ['gitlab of another host', { type: 'gitlab', host: 'gitlab.gnome.org', owner: 'GNOME', repo: 'gnome-shell' }, 'gitlab.gnome.org/gnome/gnome-shell', null],
    ['that host over https', { type: 'git', url: 'https://gitlab.gnome.org/GNOME/gnome-shell.git' }, 'gitlab.gnome.org/gnome/gnome-shell', null],
    ['GitHub release asset: not the repository', RELEASE_ASSET, null, null],
    ['a GitHub user\'s keys: no repository', USER_KEYS, null, null],
    ['a local git repository', { type: 'git', url: 'file:///home/u/clan-core', rev: 'f'.repeat(40) }, null, 'f'.repeat(40)],
  ];
  for (const [what, locked, key, rev] of cases) {
    assert.equal(inputKey(locked), key, `${what}: key`);
    assert.equal(lockedRev(locked), rev, `${what}: rev`);
  }
  // a flake in a folder of its repository is another flake than the repository's root
  assert.equal(lockedInput('x', { type: 'github', owner: 'o', repo: 'r', dir: 'sub/', rev: 'a'.repeat(40) }).key, 'github:o/r?dir=sub');
  assert.equal(lockedInput('x', SOURCEHUT).narHash, SOURCEHUT.narHash);
});

test('the shipped knowledge is found through every form of a flake it knows', () => {
  clearKnownInputs();
  const empty = (locked: Record<string, unknown>) => knowledgeOf(lockedInput('x', locked))?.kind;
  // FlakeHub: the lock names the commit the GitHub repository has
  assert.equal(empty(DETERMINATE_FLAKEHUB), 'empty');
  // the same srvos commit, locked four ways
  const srvos = '2077eec5063fce46b8c9e0754c4753542bb4f5f9';
  assert.equal(empty({ type: 'github', owner: 'nix-community', repo: 'srvos', rev: srvos }), 'empty');
  assert.equal(empty({ type: 'git', url: 'https://github.com/nix-community/srvos.git', rev: srvos }), 'empty');
  assert.equal(empty({ type: 'tarball', url: `https://github.com/nix-community/srvos/archive/${srvos}.tar.gz` }), 'empty');
  assert.equal(empty({ type: 'github', owner: 'numtide', repo: 'srvos', rev: srvos }), 'empty', 'its old name');
  // a branch archive names no commit: not known
  assert.equal(knowledgeOf(lockedInput('x', { type: 'tarball', url: 'https://github.com/nix-community/srvos/archive/main.tar.gz' })), null);
  // clan-core by a forgejo archive lock, at a revision read
  const k = knowledgeOf(lockedInput('clan-core', { type: 'tarball', url: 'https://git.clan.lol/api/v1/repos/clan/clan-core/archive/090b766c7f31547972ce9889c2ec1ae10c3f4261.tar.gz' }));
  assert.equal(k?.kind, 'modules');
});

test('every locked node of the corpus clans has an identity of the known shapes', { skip: !fs.existsSync(path.join(shared, 'corpus')) && 'no shared corpus' }, () => {
  const corpus = path.join(shared, 'corpus');
  let nodes = 0;
  for (const clan of fs.readdirSync(corpus)) {
    const file = path.join(corpus, clan, 'flake.lock');
    if (!fs.existsSync(file)) continue;
    for (const [name, node] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')).nodes as Record<string, { locked?: Record<string, unknown> }>)) {
      if (!node.locked) continue;
      nodes++;
      assert.match(inputKey(node.locked) ?? '', /^(github:|gitlab:|sourcehut:)?[a-z0-9.~-]+(\/[\w.~@-]+)+$/, `${clan} ${name}`);
    }
  }
  assert.ok(nodes > 200, `${nodes} locked nodes`);
});
