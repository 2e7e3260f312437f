#!/usr/bin/env bash
# bazel test: a fixed-seed differential run (Brisk in both bounds modes
# against Wasmtime), the issue-6 reproducers, and a check that the driver
# flags a runner whose answers differ. Needs BRISK_PYENV (set by ./bazelw).
set -uo pipefail
: "${BRISK_PYENV:?run through ./bazelw, which sets up Wasmtime and wasm-tools}"
export PATH="$BRISK_PYENV/bin:$PATH"
py="$BRISK_PYENV/bin/python"
here="tests/fuzz"
runner="$here/diff_runner"
out="${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}"
fail=0

echo "== the reproducers of issue 6 agree with Wasmtime"
"$py" "$here/differential.py" --runner "$runner" --module tests/regress/grow_failure_index.wasm \
  --out "$out/reproducers" || fail=1

echo "== a runner that lies about one result is caught and saved for replay"
liar="$TEST_TMPDIR/lying_runner.sh"
cat > "$liar" <<LIAR
#!/usr/bin/env bash
"$PWD/$runner" "\$@" | sed -u 's/^ok i32:1\$/ok i32:2/'
LIAR
chmod +x "$liar"
if "$py" "$here/differential.py" --runner "$liar" --module tests/regress/grow_failure_index.wasm \
     --out "$out/liar" --quiet; then
  echo "FAIL: the driver did not report the lying runner"; fail=1
elif ! ls "$out"/liar/*/replay.sh >/dev/null 2>&1; then
  echo "FAIL: no replay script saved"; fail=1
else
  echo "ok: divergence reported, replay saved"
fi

echo "== fixed-seed run"
"$py" "$here/differential.py" --runner "$runner" --seed 20261201 --modules "${BRISK_DIFF_MODULES:-500}" \
  --out "$out/seeded" --quiet || fail=1
exit $fail
