#!/usr/bin/env bash
# The WASI testsuite under `bazel test` (finds ../shared through this BUILD's real path).
exec tests/wasi/wasitest "$@"
