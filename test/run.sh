#!/usr/bin/env bash
# Every test: the type check, then unit, integration and end-to-end tests on node's test runner (each test file
# runs in its own process; the integration and e2e harnesses start real servers on loopback and stop them).
# Assumes `bash .ci/install` has run (the README's test command does both).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== type check (tsc --noEmit)"
npx tsc -p tsconfig.json

mapfile -t files < <(find test/unit test/integration test/e2e -name '*.test.ts' | sort)
echo "== ${#files[@]} test files"
# Under `npm test`, node_modules/.bin is first on PATH and its `node` is the node18 package (Node 18.20, which cannot
# require ESM-only execa through ts-node): run the tests with the Node that runs npm; bundles are tried on 18 apart.
exec "${npm_node_execpath:-node}" --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-reporter=spec \
  --require ./test/harness/register.js "${files[@]}"
