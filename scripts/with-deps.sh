#!/usr/bin/env bash
# Runs a tool from node_modules/.bin after installing the npm dependencies if they are missing (first-day commands).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/@pulumi/pulumi ] || [ ! -d policy/node_modules/@pulumi/policy ]; then
  echo "[platform] installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund
fi
# `pulumi` starts from the prebuilt JavaScript (entry.js, policy/entry.js): rebuild it when a source is newer.
if ! node -e '
  const { inspectBuild } = require("./policy/prebuilt");
  const stale = [["bin/program", "index.ts"], ["policy/bin", "policy/index.ts"]]
    .map(([out, src]) => inspectBuild(require("path").resolve(out), require("path").resolve(src)).problem).filter(Boolean);
  if (stale.length) { console.error(`[platform] ${stale.join("; ")}: npm run build`); process.exit(1); }'; then
  npm run build --silent
fi
tool=$1; shift
exec "node_modules/.bin/$tool" "$@"
