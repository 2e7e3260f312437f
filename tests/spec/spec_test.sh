#!/usr/bin/env bash
# Runs the spec runner over all 146 files (core and simd) under `bazel test`.
exec tests/spec/spectest "$@"
