#!/usr/bin/env bash
# Installs what the real-editor tests (npm run test:e2e) need on a fresh Debian 12 machine with
# Node 20, run as root (or with sudo available for apt). Idempotent: what is installed is skipped.
#
#   apt: chromium (headless browser), libkrb5-dev (code-server's kerberos module builds from source),
#        ripgrep (stands in for @vscode/ripgrep's GitHub download), neovim (second LSP client)
#   npm: code-server, playwright-core and @vscode/test-electron in $CLAN_VARS_E2E_DIR
#        (default ~/.cache/clan-vars-e2e), outside the project's own dependencies.
#
# The versions are pinned: code-server 4.100.3 is VS Code 1.100.3, the newest that runs on Node 20;
# @vscode/test-electron 3 needs Node 22.
set -euo pipefail

E2E_DIR="${CLAN_VARS_E2E_DIR:-$HOME/.cache/clan-vars-e2e}"
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_CORE_VERSION=1.65.1
TEST_ELECTRON_VERSION=2.5.2
# the @vscode/ripgrep version inside code-server 4.100.3 and the rg release it downloads
VSCODE_RIPGREP_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

say() { printf '== setup: %s\n' "$*"; }
started=$SECONDS

# --- apt -----------------------------------------------------------------------------------------
APT_PACKAGES=(chromium libkrb5-dev ripgrep neovim)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
else
  say "apt packages present (${APT_PACKAGES[*]})"
fi

# --- npm packages in the cache folder ------------------------------------------------------------
mkdir -p "$E2E_DIR"
stamp="$E2E_DIR/.installed"
want="code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_CORE_VERSION @vscode/test-electron@$TEST_ELECTRON_VERSION node@$(node -p process.versions.modules)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$E2E_DIR/node_modules/code-server/out/node/entry.js" ]; then
  say "npm packages present in $E2E_DIR ($want)"
else
  say "npm install in $E2E_DIR: $want"
  # @vscode/ripgrep's postinstall downloads rg from GitHub into $TMPDIR/vscode-ripgrep-cache-<version>;
  # put Debian's rg 13.0.0 (the same release) there first, in a private TMPDIR.
  export TMPDIR="$E2E_DIR/tmp"
  rg_cache="$TMPDIR/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION"
  mkdir -p "$rg_cache"
  [ -f "$rg_cache/$RIPGREP_ASSET" ] || tar czf "$rg_cache/$RIPGREP_ASSET" -C "$(dirname "$(command -v rg)")" rg
  cat >"$E2E_DIR/package.json" <<JSON
{
  "name": "clan-vars-e2e-tools",
  "private": true,
  "description": "written by clan-vars test/e2e/setup.sh",
  "dependencies": {
    "code-server": "$CODE_SERVER_VERSION",
    "playwright-core": "$PLAYWRIGHT_CORE_VERSION",
    "@vscode/test-electron": "$TEST_ELECTRON_VERSION"
  }
}
JSON
  # unsafe_perm: code-server's postinstall refuses root without it; yes: node-pty's postinstall uses npx;
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: the browser is Debian's chromium.
  (
    cd "$E2E_DIR"
    npm_config_unsafe_perm=true npm_config_yes=true PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
      npm install --no-audit --no-fund --loglevel=error
  )
  "$E2E_DIR/node_modules/.bin/code-server" --version >/dev/null
  echo "$want" >"$stamp"
fi

say "done in $((SECONDS - started)) s; tools in $E2E_DIR"
