#!/usr/bin/env bash
# Smoke test of the hermetic Pulumi toolchain against the local cluster: in a
# temp dir (never in the repo) installs @pulumi/pulumi + the matching
# @pulumi/kubernetes and @pulumi/random from npm, then `pulumi up` / `destroy`
# of a program with a RandomPassword and a ConfigMap. Needs
# e2e/toolchain.sh and e2e/cluster.sh up first.
# Keep the temp dir with PLATFORM_E2E_SMOKE_KEEP=1.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$E2E_DIR/versions.env"
# shellcheck source=env.sh
source "$E2E_DIR/env.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/platform-e2e-smoke.XXXXXX")"
cleanup() {
  if [ "${PLATFORM_E2E_SMOKE_KEEP:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
platform_e2e_pulumi_home "$WORK/pulumi-home"
export PULUMI_BACKEND_URL="file://$WORK/state"
mkdir -p "$WORK/state" "$WORK/app"
cd "$WORK/app"
step() { printf '\n== %s\n' "$*"; }

step "pulumi version"
pulumi version
pulumi plugin ls

cat >Pulumi.yaml <<'EOF'
name: e2e-smoke
runtime: nodejs
description: hermetic toolchain smoke test
EOF
cat >package.json <<EOF
{
  "name": "e2e-smoke",
  "private": true,
  "main": "index.ts",
  "dependencies": {
    "@pulumi/pulumi": "$PULUMI_VERSION",
    "@pulumi/kubernetes": "$PULUMI_KUBERNETES_VERSION",
    "@pulumi/random": "$PULUMI_RANDOM_VERSION"
  },
  "devDependencies": {"@types/node": "20.19.43", "typescript": "5.9.3"}
}
EOF
cat >tsconfig.json <<'EOF'
{"compilerOptions": {"strict": true, "target": "es2020", "module": "commonjs", "moduleResolution": "node",
  "esModuleInterop": true, "skipLibCheck": true}, "files": ["index.ts"]}
EOF
cat >index.ts <<'EOF'
import * as fs from "fs";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";

const provider = new k8s.Provider("local", {
    kubeconfig: fs.readFileSync(process.env.KUBECONFIG!, "utf8"),
});
const password = new random.RandomPassword("db", { length: 24, special: false });
const cm = new k8s.core.v1.ConfigMap("smoke", {
    metadata: { namespace: "default" },
    data: { hello: "world", passwordLength: password.result.apply(r => String(r.length)) },
}, { provider });

export const configMapName = cm.metadata.name;
export const passwordLength = password.result.apply(r => r.length);
export const secretIsSecret = password.result;
EOF

step "npm install (temp dir)"
npm install --no-audit --no-fund --loglevel=error

step "pulumi login / stack init"
pulumi login "$PULUMI_BACKEND_URL"
pulumi stack init smoke
step "pulumi up"
pulumi up --yes --skip-preview=false
name="$(pulumi stack output configMapName)"
len="$(pulumi stack output --show-secrets passwordLength)"
[ "$(pulumi stack output passwordLength)" = "[secret]" ] || { echo "FAIL: password output not secret"; exit 1; }
[ "$len" = 24 ] || { echo "FAIL: passwordLength=$len"; exit 1; }
kubectl -n default get configmap "$name" -o jsonpath='{.data}' && echo
[ "$(kubectl -n default get configmap "$name" -o jsonpath='{.data.passwordLength}')" = 24 ] ||
  { echo "FAIL: ConfigMap content"; exit 1; }
step "pulumi up (no changes expected)"
pulumi up --yes --expect-no-changes
step "pulumi destroy"
pulumi destroy --yes
if kubectl -n default get configmap "$name" >/dev/null 2>&1; then
  echo "FAIL: ConfigMap $name still exists"; exit 1
fi
pulumi stack rm --yes smoke
echo "smoke-pulumi: 1 passed, 0 failed"
