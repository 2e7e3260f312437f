#!/usr/bin/env bash
# Lua and SQLite's shell from Debian sources, built for WASI and natively:
# `brisk run` gives the same output as the native program, with file I/O
# through a preopened directory (and SQLite's database survives the run).
set -euo pipefail
brisk=cli/brisk
p=tests/programs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/wasm" "$work/native"

# Lua: the script writes and reads data.txt in its working directory.
cp $p/script.lua "$work/wasm/" && cp $p/script.lua "$work/native/"
"$brisk" run --dir "$work/wasm::/" $p/lua.wasm script.lua one two > "$work/lua_wasm.out"
(cd "$work/native" && "$OLDPWD/$p/lua_native" script.lua one two) > "$work/lua_native.out"
diff "$work/lua_native.out" "$work/lua_wasm.out"
cmp "$work/native/data.txt" "$work/wasm/data.txt"

# SQLite: a database file in the preopen, written in one run, read in the next.
"$brisk" run --env HOME=/ --dir "$work/wasm::/" $p/sqlite3.wasm /test.db < $p/script.sql > "$work/sql_wasm.out"
"$p/sqlite3_native" "$work/native/test.db" < $p/script.sql > "$work/sql_native.out"
diff "$work/sql_native.out" "$work/sql_wasm.out"
[ -s "$work/wasm/test.db" ]
echo "SELECT count(*) FROM t;" | "$brisk" run --env HOME=/ --dir "$work/wasm::/" $p/sqlite3.wasm /test.db > "$work/count.out"
[ "$(cat "$work/count.out")" = "4990" ]
# The native program reads the database the Wasm one wrote.
[ "$(echo 'SELECT max(a) FROM t;' | "$p/sqlite3_native" "$work/wasm/test.db")" = "4990" ]
echo ok
