#!/usr/bin/env bash
# Runs a tool from node_modules/.bin after installing the npm dependencies if they are missing (first-day commands).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/@pulumi/pulumi ] || [ ! -d policy/node_modules/@pulumi/policy ]; then
  echo "[platform] installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund
fi
tool=$1; shift
exec "node_modules/.bin/$tool" "$@"
