// What a generator script can run. clan runs it with PATH = runtimeInputs + coreutils only, so a
// command must be a bash builtin or keyword, a coreutils program, a function the script defines,
// or come from a package in `runtimeInputs`. The table maps common commands to the nixpkgs
// attributes that provide them; a runtimeInputs entry provides a command when one of its attribute
// path segments equals a listed package, starts with a listed prefix (`openssh*`), or equals the
// command itself. Commands not in the table are only reported when runtimeInputs is empty.

/** Bash builtins and keywords: always available. */
export const SHELL_BUILTINS = new Set(
  `alias bg bind break builtin caller case cd command compgen complete compopt continue declare dirs disown do done echo
enable esac eval exec exit export false fc fg fi for function getopts hash help history if in jobs kill let local logout
mapfile popd printf pushd pwd read readarray readonly return select set shift shopt source suspend test then time times
trap true type typeset ulimit umask unalias unset until wait while . : [ [[ ]] { } ! else elif coproc`.split(/\s+/),
);

/** GNU coreutils programs: always on PATH. */
export const COREUTILS = new Set(
  `arch b2sum base32 base64 basename basenc cat chcon chgrp chmod chown chroot cksum comm cp csplit cut date dd df dir
dircolors dirname du echo env expand expr factor false fmt fold groups head hostid id install join link ln logname ls
md5sum mkdir mkfifo mknod mktemp mv nice nl nohup nproc numfmt od paste pathchk pinky pr printenv printf ptx pwd readlink
realpath rm rmdir runcon seq sha1sum sha224sum sha256sum sha384sum sha512sum shred shuf sleep sort split stat stdbuf stty
sum sync tac tail tee test timeout touch tr true truncate tsort tty uname unexpand uniq unlink users vdir wc who whoami yes [`.split(/\s+/),
);

// Stryker disable StringLiteral,ArrayDeclaration,ObjectLiteral: facts about nixpkgs, not decisions: a mutant of
// an entry changes the answer for that one command (nixpkgs is not here to check the table against);
// the lookups below, packagesOf and provides, are mutated
/** command -> nixpkgs attributes providing it (a trailing `*` is a prefix). */
export const COMMAND_PACKAGES: Record<string, string[]> = {
  openssl: ['openssl', 'openssl_*', 'libressl'],
  'ssh-keygen': ['openssh*'],
  ssh: ['openssh*'],
  mkpasswd: ['mkpasswd', 'whois'],
  xkcdpass: ['xkcdpass', 'python3Packages'],
  pwgen: ['pwgen'],
  wg: ['wireguard-tools'],
  jq: ['jq', 'gojq', 'jaq'],
  yq: ['yq', 'yq-go'],
  grep: ['gnugrep', 'ripgrep', 'busybox'],
  sed: ['gnused', 'busybox'],
  awk: ['gawk', 'mawk', 'busybox'],
  gawk: ['gawk'],
  find: ['findutils'],
  xargs: ['findutils'],
  tar: ['gnutar', 'libarchive'],
  gzip: ['gzip'],
  zstd: ['zstd'],
  age: ['age', 'rage'],
  'age-keygen': ['age'],
  sops: ['sops'],
  gpg: ['gnupg', 'gnupg*'],
  argon2: ['libargon2', 'argon2'],
  htpasswd: ['apacheHttpd'],
  step: ['step-cli'],
  certtool: ['gnutls'],
  cfssl: ['cfssl'],
  tinc: ['tinc', 'tinc_pre'],
  zerotier: ['zerotierone', 'zerotier-one'],
  'zerotier-idtool': ['zerotierone', 'zerotier-one'],
  mycelium: ['mycelium'],
  yggdrasil: ['yggdrasil'],
  syncthing: ['syncthing'],
  'nix-store': ['nix', 'lix', 'nixVersions'],
  nix: ['nix', 'lix', 'nixVersions'],
  python3: ['python3*', 'python'],
  python: ['python3*', 'python'],
  perl: ['perl'],
  uuidgen: ['util-linux', 'libuuid'],
  hexdump: ['util-linux'],
  xxd: ['xxd', 'vim', 'unixtools'],
  diff: ['diffutils'],
  git: ['git', 'gitMinimal'],
  curl: ['curl'],
  wget: ['wget'],
  dig: ['dnsutils', 'bind'],
  sbctl: ['sbctl'],
  minisign: ['minisign'],
  signify: ['signify'],
  'nix-serve': ['nix-serve', 'nix-serve-ng'],
  'garage': ['garage'],
  'matrix-synapse': ['matrix-synapse'],
  'tor': ['tor'],
  mkp224o: ['mkp224o'],
  bc: ['bc'],
  hostname: ['hostname', 'inetutils', 'nettools'],
  'ip': ['iproute2'],
  iroh: ['iroh'],
};

/** Tools that need the network, which the generator sandbox does not have. */
export const NETWORK_COMMANDS = new Set(['curl', 'wget', 'ssh', 'scp', 'rsync', 'nc', 'ncat', 'ping', 'dig', 'nslookup', 'host', 'nix-prefetch-url', 'nix-prefetch-git']);

/** The git sub-commands that use the network. */
export const GIT_NETWORK = new Set(['clone', 'fetch', 'pull', 'push', 'ls-remote']);

// Stryker restore all

/** The packages that provide a command (a script's command names are workspace text: `constructor` is a command, not Object's). */
export function packagesOf(command: string): string[] {
  return Object.prototype.hasOwnProperty.call(COMMAND_PACKAGES, command) ? COMMAND_PACKAGES[command] : [];
}

/** Whether a runtimeInputs entry, given as its attribute path segments, provides `command`. */
export function provides(segments: string[], command: string): boolean {
  const packages = packagesOf(command);
  return segments.some(
    (s) => s === command || packages.some((p) => (p.endsWith('*') ? s.startsWith(p.slice(0, -1)) : s === p)),
  );
}
