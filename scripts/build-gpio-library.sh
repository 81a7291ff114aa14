#!/usr/bin/env bash
# Builds the optional GPIO library (node-libgpiod) when it is installed but did not build: on a fresh
# machine `npm install` runs before scripts/ensure-system-deps.sh has installed libgpiod-dev, so its
# native build failed and hardware/gpio/real-library.test.ts would be skipped. Now that the headers are
# there it builds, and the real library is tested on the first run too. npm runs its build script
# because package.json's allowScripts approves node-libgpiod.
set -euo pipefail
cd "$(dirname "$0")/.."

loads() { node -e "require('node-libgpiod')" >/dev/null 2>&1; }

if [ ! -d node_modules/node-libgpiod ]; then
  echo "node-libgpiod: not installed (optional dependency); the GPIO library test is skipped"
  exit 0
fi
if loads; then
  echo "node-libgpiod: built"
  exit 0
fi
if [ ! -f /usr/include/gpiod.h ]; then
  echo "node-libgpiod: not built and libgpiod-dev is missing; the GPIO library test is skipped" >&2
  exit 0
fi
echo "node-libgpiod: building against libgpiod-dev"
npm rebuild node-libgpiod --no-audit --no-fund
loads || { echo "node-libgpiod: built, but does not load" >&2; exit 1; }
echo "node-libgpiod: built"
