#!/usr/bin/env bash
# Checks a running local cluster (e2e/cluster.sh up) the way the platform
# uses it: kwok nodes Ready, a Deployment of restricted-compliant pods in a
# namespace enforcing PodSecurity "restricted" reaches Running/Ready on kwok
# nodes, and a privileged pod is rejected by admission. Cleans up after itself.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KUBECONFIG="$("$E2E_DIR/cluster.sh" kubeconfig)"
BIN="${PLATFORM_E2E_BIN:-$("$E2E_DIR/toolchain.sh" --print-bin-dir)}"
export KUBECONFIG
k() { "$BIN/kubectl" "$@"; }
NS="e2e-verify-$$"
pass=0 fail=0
ok() { echo "PASS: $*"; pass=$((pass + 1)); }
ko() { echo "FAIL: $*"; fail=$((fail + 1)); }
cleanup() { k delete namespace "$NS" --wait=false >/dev/null 2>&1 || true; }
trap cleanup EXIT

if k wait --for=condition=Ready node -l type=kwok --timeout=30s >/dev/null; then
  ok "kwok nodes Ready: $(k get nodes -l type=kwok -o name | tr '\n' ' ')"
else
  ko "kwok nodes not Ready"
fi

k create namespace "$NS" >/dev/null
k label namespace "$NS" pod-security.kubernetes.io/enforce=restricted \
  pod-security.kubernetes.io/enforce-version=latest >/dev/null

k apply -n "$NS" -f - >/dev/null <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: restricted-app
spec:
  replicas: 3
  selector:
    matchLabels: {app: restricted-app}
  template:
    metadata:
      labels: {app: restricted-app}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: app
        image: registry.example/app:1.0.0
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
          readOnlyRootFilesystem: true
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 500m, memory: 128Mi}
EOF
if k -n "$NS" rollout status deployment/restricted-app --timeout=90s >/dev/null; then
  ok "restricted Deployment rolled out"
else
  ko "restricted Deployment did not become available"
fi
phases="$(k -n "$NS" get pods -l app=restricted-app \
  -o jsonpath='{range .items[*]}{.status.phase}/{.status.conditions[?(@.type=="Ready")].status}@{.spec.nodeName}{"\n"}{end}')"
if [ "$(grep -c '^Running/True@kwok-node-' <<<"$phases")" -eq 3 ]; then
  ok "3 pods Running/Ready on kwok nodes: $(tr '\n' ' ' <<<"$phases")"
else
  ko "pods not Running/Ready on kwok nodes: $(tr '\n' ' ' <<<"$phases")"
fi

out="$(k -n "$NS" apply -f - 2>&1 <<'EOF' || true
apiVersion: v1
kind: Pod
metadata:
  name: privileged
spec:
  containers:
  - name: app
    image: registry.example/app:1.0.0
    securityContext: {privileged: true}
EOF
)"
if grep -q 'violates PodSecurity "restricted' <<<"$out"; then
  ok "privileged pod rejected by PodSecurity admission"
else
  ko "privileged pod was not rejected by PodSecurity: $out"
fi

echo "verify-cluster: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
