#!/usr/bin/env bash
# Runs `brisk inspect` on the example module.
exec cli/brisk inspect examples/modules/hello.wasm
