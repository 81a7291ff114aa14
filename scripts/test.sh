#!/usr/bin/env bash
# The whole test suite, as README.md and .ci/run call it: system packages, lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
bash scripts/build-gpio-library.sh
npx biome check .
npx tsc --noEmit -p .
npx tsc -p tsconfig.web.json
npx vitest run "$@"
