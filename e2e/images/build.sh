#!/usr/bin/env bash
# Builds the images the e2e kubelet node runs, with nothing pulled from a
# registry: the project's test service (testsvc) and the Kubernetes pause
# container, each packed as an OCI image archive for `ctr -n k8s.io images import`.
#
# Usage: e2e/images/build.sh OUT_DIR [COREDNS_BINARY]
#   COREDNS_BINARY: the toolchain's CoreDNS build, packed as the cluster DNS image (skipped when absent)
#
# Writes OUT_DIR/testsvc.tar, OUT_DIR/pause.tar, OUT_DIR/bin/{testsvc,pause}
# and OUT_DIR/images.env (TESTSVC_IMAGE=..., PAUSE_IMAGE=...).
# Same inputs (sources, Go and gcc/glibc versions) give the same digests.
set -euo pipefail

IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_DIR="$(dirname "$IMAGES_DIR")"
# shellcheck source=../versions.env
source "$E2E_DIR/versions.env" # KUBERNETES_VERSION: pause.c comes from that exact release

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 OUT_DIR [COREDNS_BINARY]" >&2
  exit 64
fi
mkdir -p "$1"
OUT="$(cd "$1" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step() { echo "==> $*"; }

# The images declare linux/amd64; refuse to pack a host binary of another kind under that label.
if [[ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]]; then
  echo "build.sh: needs a linux/amd64 host (gcc builds pause natively), got $(uname -s)/$(uname -m)" >&2
  exit 1
fi

step "building testsvc (static, CGO_ENABLED=0, -trimpath)"
(
  cd "$IMAGES_DIR/testsvc"
  CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false" \
    go build -trimpath -ldflags="-s -w -buildid=" -o "$WORK/testsvc" .
)
TESTSVC_TAG="$(sha256sum "$WORK/testsvc" | cut -c1-12)"
TESTSVC_IMAGE="localhost/platform-e2e/testsvc:$TESTSVC_TAG"
echo "    testsvc sha256 prefix (image tag): $TESTSVC_TAG"

step "locating k8s.io/kubernetes@v$KUBERNETES_VERSION in the module cache (for build/pause)"
KUBE_JSON="$(cd "$E2E_DIR/toolchain/kube" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
  go mod download -json "k8s.io/kubernetes@v$KUBERNETES_VERSION")"
KUBE_DIR="$(node -e 'const m = JSON.parse(process.argv[1]); if (m.Error || !m.Dir) { console.error(m.Error || "no Dir"); process.exit(1) } console.log(m.Dir)' "$KUBE_JSON")"
PAUSE_SRC="$KUBE_DIR/build/pause/linux/pause.c"
# The release's own Makefile names the pause version it ships (TAG ?= 3.10.1 for 1.34).
PAUSE_VERSION="$(sed -n 's/^TAG ?= *\([0-9.]*\) *$/\1/p' "$KUBE_DIR/build/pause/Makefile")"
if [[ ! -f "$PAUSE_SRC" || -z "$PAUSE_VERSION" ]]; then
  echo "build.sh: no pause.c or pause TAG under $KUBE_DIR/build/pause" >&2
  exit 1
fi
PAUSE_IMAGE="localhost/platform-e2e/pause:$PAUSE_VERSION"

step "building pause $PAUSE_VERSION (gcc -static -Os, stripped as upstream does)"
# Upstream passes v<TAG>-<git rev>; we have no git rev, so `pause -v` reports v<TAG>.
gcc -static -Os -Wall -Werror "-DVERSION=v$PAUSE_VERSION" -o "$WORK/pause" "$PAUSE_SRC"
strip "$WORK/pause"

step "packing $TESTSVC_IMAGE"
node "$IMAGES_DIR/oci-archive.js" --binary "$WORK/testsvc" --path /testsvc --name "$TESTSVC_IMAGE" \
  --user 10001:10001 --cmd serve --tmp --out "$OUT/testsvc.tar"

step "packing $PAUSE_IMAGE"
node "$IMAGES_DIR/oci-archive.js" --binary "$WORK/pause" --path /pause --name "$PAUSE_IMAGE" \
  --user 65535:65535 --out "$OUT/pause.tar"

COREDNS_IMAGE=""
if [[ -n "${2:-}" ]]; then
  COREDNS_TAG="$(sha256sum "$2" | cut -c1-12)"
  COREDNS_IMAGE="localhost/platform-e2e/coredns:$COREDNS_TAG"
  step "packing $COREDNS_IMAGE (the toolchain's CoreDNS build)"
  node "$IMAGES_DIR/oci-archive.js" --binary "$2" --path /coredns --name "$COREDNS_IMAGE" \
    --user 65532:65532 --out "$OUT/coredns.tar"
fi

step "writing $OUT/images.env and $OUT/bin/"
mkdir -p "$OUT/bin"
install -m 0755 "$WORK/testsvc" "$OUT/bin/testsvc"
install -m 0755 "$WORK/pause" "$OUT/bin/pause"
{
  printf 'TESTSVC_IMAGE=%s\nPAUSE_IMAGE=%s\nTESTSVC_BINARY=%s\n' "$TESTSVC_IMAGE" "$PAUSE_IMAGE" "$OUT/bin/testsvc"
  [[ -z "$COREDNS_IMAGE" ]] || printf 'COREDNS_IMAGE=%s\n' "$COREDNS_IMAGE"
} >"$OUT/images.env.tmp"
mv "$OUT/images.env.tmp" "$OUT/images.env"

step "done"
cat "$OUT/images.env"
(cd "$OUT" && sha256sum ./*.tar)
