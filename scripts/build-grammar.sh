#!/usr/bin/env bash
# Rebuilds grammars/tree-sitter-nix.wasm from the sources of the npm package tree-sitter-nix@0.0.2
# with Debian's emscripten (apt-get install emscripten). The build is reproducible: the sha256 below
# must not change. Do not set EM_CACHE (Debian's emcc uses its frozen prebuilt cache).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
expected=9df70ae13cb42921
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v emcc >/dev/null || { echo "emcc not found: apt-get install emscripten" >&2; exit 1; }
(cd "$work" && npm pack --silent tree-sitter-nix@0.0.2 >/dev/null && tar xzf tree-sitter-nix-0.0.2.tgz)
cd "$work/package/src"
emcc -o tree-sitter-nix.wasm -Os -s WASM=1 -s SIDE_MODULE=2 -s TOTAL_MEMORY=33554432 -s NODEJS_CATCH_EXIT=0 \
  -s 'EXPORTED_FUNCTIONS=["_tree_sitter_nix"]' -fno-exceptions -fvisibility=hidden -I . scanner.c parser.c
sum=$(sha256sum tree-sitter-nix.wasm | cut -c1-16)
mkdir -p "$here/grammars"
cp tree-sitter-nix.wasm "$here/grammars/tree-sitter-nix.wasm"
echo "grammars/tree-sitter-nix.wasm: $(stat -c %s tree-sitter-nix.wasm) bytes, sha256 $sum…"
[ "$sum" = "$expected" ] || echo "warning: sha256 differs from the recorded build ($expected…)" >&2
