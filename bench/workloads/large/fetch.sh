#!/usr/bin/env bash
# The large modules for compile speed: real, published WebAssembly builds of
# big programs, from the npm registry (pinned versions, checked by SHA-256),
# unpacked into a cache folder. Every one is a Wasm 2.0 module without SIMD;
# they are compiled (and validated), never run: their imports are JavaScript
# glue. Prints the paths of the .wasm files, one per line.
#   bench/workloads/large/fetch.sh [--quick]     (--quick: the smallest, esbuild)
#
#   module            from (npm)                   language   code bytes
#   esbuild.wasm      esbuild-wasm 0.28.2          Go         10.0 MB
#   ruby.wasm         @ruby/3.3-wasm-wasi 2.10.1   C (WASI)   11.2 MB
#   swc.wasm          @swc/wasm 1.16.21            Rust       16.0 MB
#   duckdb-mvp.wasm   @duckdb/duckdb-wasm 1.32.0   C++        29.0 MB
#   biome.wasm        @biomejs/wasm-nodejs 2.5.14  Rust       31.0 MB
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/brisk/large"
mkdir -p "$cache"
# name  npm-spec  path-in-package  sha256
modules=(
  "esbuild.wasm esbuild-wasm@0.28.2 package/esbuild.wasm b1831a5c0f6cf688034fb94d0419812f165ea316a3380d3fc00a151e562d2eaf"
  "ruby.wasm @ruby/3.3-wasm-wasi@2.10.1 package/dist/ruby.wasm 6ed4db69b832690b1b84605a53e607044243c555b85a913f647fd362675b70b0"
  "swc.wasm @swc/wasm@1.16.21 package/wasm_bg.wasm af4944b4ac1c57beb260fde80039648607142316349a0cf1ffb786dca5eeb350"
  "duckdb-mvp.wasm @duckdb/duckdb-wasm@1.32.0 package/dist/duckdb-mvp.wasm 45d72a81fba8e57693d890da837c7041310e385e75619a8559839b15388dfe97"
  "biome.wasm @biomejs/wasm-nodejs@2.5.14 package/biome_wasm_bg.wasm 898927f0cd131b7679810555c75a4814eb8fe85d067fbf40ac24d8fa3f306554"
)
[ "${1:-}" = "--quick" ] && modules=("${modules[@]:0:1}")
for m in "${modules[@]}"; do
  read -r name spec inner sum <<<"$m"
  out="$cache/$name"
  if ! echo "$sum  $out" | sha256sum -c --status 2>/dev/null; then
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>&1) || { echo "fetch.sh: npm pack $spec failed" >&2; exit 1; }
    tar xzf "$tmp"/*.tgz -C "$tmp" "$inner"
    echo "$sum  $tmp/$inner" | sha256sum -c --status || { echo "fetch.sh: $spec: $inner has a different SHA-256" >&2; exit 1; }
    mv "$tmp/$inner" "$out"
    rm -rf "$tmp"
  fi
  echo "$out"
done
