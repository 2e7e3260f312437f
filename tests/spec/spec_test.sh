#!/usr/bin/env bash
# Runs the spec runner over all 146 files (core and simd) under `bazel test`.
# A first argument --cpu=SPEC runs it with BRISK_CPU_FEATURES=SPEC.
if [[ "${1:-}" == --cpu=* ]]; then
  export BRISK_CPU_FEATURES="${1#--cpu=}"
  shift
fi
exec tests/spec/spectest "$@"
