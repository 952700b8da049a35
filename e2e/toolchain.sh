#!/usr/bin/env bash
# Builds the hermetic e2e toolchain (Pulumi CLI + Node.js language host,
# provider plugins, Kubernetes control plane, etcd, kwok) from Go modules and
# caches it by version under
#   ${PLATFORM_E2E_CACHE:-$HOME/.cache/platform-e2e}/<versions-key>/bin
#
# Usage:
#   e2e/toolchain.sh                 build whatever is missing (idempotent)
#   e2e/toolchain.sh --print-bin-dir print the bin dir (builds nothing)
#   e2e/toolchain.sh --print-key     print the versions key
#   e2e/toolchain.sh --print-plugins-dir  print the provider plugin dir
#   e2e/toolchain.sh --link-plugins DIR   make the built providers installed
#                                    plugins of PULUMI_HOME=DIR (symlinks), and
#                                    turn off the CLI's automatic log there
#                                    (PLATFORM_PULUMI_AUTOMATIC_LOG=1 keeps it)
#   e2e/toolchain.sh --list          list components and whether they are built
#   e2e/toolchain.sh COMPONENT...    build only these components
#
# Components are built one at a time (one `go build` on 2 cores is plenty),
# each logging to <cache>/<key>/logs/<component>.log; the elapsed seconds of
# every real build are appended to <cache>/<key>/timings.txt.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$E2E_DIR/versions.env"

CACHE_ROOT="${PLATFORM_E2E_CACHE:-$HOME/.cache/platform-e2e}"

# The key changes whenever a pinned version (versions.env, including
# TOOLCHAIN_RECIPE_REVISION: bump it when changing how a component is built),
# a wrapper module, the local Go sources or the Go toolchain change, so a new
# toolchain lands in a new dir.
versions_key() {
  local go_version
  go_version="$(go env GOVERSION 2>/dev/null || echo nogo)"
  {
    echo "$go_version"
    cat "$E2E_DIR/versions.env"
    (cd "$E2E_DIR/toolchain" && find . -type f \( -name go.mod -o -name go.sum -o -name '*.go' \) | LC_ALL=C sort | xargs cat)
  } | sha256sum | cut -c1-12 | sed "s/^/k8s${KUBERNETES_VERSION}-pulumi${PULUMI_VERSION}-/"
}

KEY="$(versions_key)"
ROOT="$CACHE_ROOT/$KEY"
BIN="$ROOT/bin"
LOGS="$ROOT/logs"
SRC="$ROOT/src"
# Provider plugins live in a plugin-cache layout (resource-<name>-v<version>/)
# (hard-linked into bin/ too): env.sh links them into $PULUMI_HOME/plugins and
# ignores ambient plugins, so the engine matches them by version (no "using
# ... from $PATH" warnings, and an npm SDK pin that does not match the built
# provider fails loudly).
PLUGINS="$ROOT/plugins"

# --- components ---
COMPONENTS=(pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs pulumi-resource-kubernetes
  pulumi-resource-random etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok kwokctl
  kwok-stages kubelet kube-proxy kube-router coredns node-images cnpg-manager store-images)

PULUMI_LDFLAGS="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}"
KUBE_MINOR="${KUBERNETES_VERSION#*.}"; KUBE_MINOR="${KUBE_MINOR%%.*}"
KUBE_MAJOR="${KUBERNETES_VERSION%%.*}"
KUBE_BUILD_DATE="2026-02-10T12:53:36Z" # release date of the pinned tag; keeps builds reproducible
kube_ldflags() {
  local flags="" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=v${KUBERNETES_VERSION}"
    flags+=" -X $pkg.gitMajor=${KUBE_MAJOR} -X $pkg.gitMinor=${KUBE_MINOR}"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=${KUBE_BUILD_DATE}"
  done
  echo "$flags"
}

# build_go <wrapper dir> <package> <output path> <ldflags>
build_go() {
  local wrapper="$1" pkg="$2" out="$3" ldflags="$4"
  local dir="$SRC/$wrapper"
  mkdir -p "$(dirname "$out")"
  rm -rf "$dir" && mkdir -p "$dir"
  cp -a "$E2E_DIR/toolchain/$wrapper/." "$dir/"
  (
    cd "$dir"
    echo "+ go build -trimpath -ldflags '$ldflags' -o $out.tmp $pkg"
    go build -trimpath -ldflags "$ldflags" -o "$out.tmp" "$pkg"
  )
  mv -f "$out.tmp" "$out"
}

# Providers are also linked into the bin dir, for callers that rely on PATH
# lookup (the engine then warns "using ... from $PATH" and ignores versions;
# env.sh sets PULUMI_IGNORE_AMBIENT_PLUGINS=true and uses the plugin cache).
link_into_bin() {
  ln -f "$1" "$BIN/$(basename "$1")" 2>/dev/null || cp -f "$1" "$BIN/$(basename "$1")"
}

build_component() {
  local c="$1"
  case "$c" in
    pulumi)
      build_go pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$BIN/pulumi" "$PULUMI_LDFLAGS" ;;
    pulumi-language-nodejs)
      build_go langhost-nodejs . "$BIN/pulumi-language-nodejs" "$PULUMI_LDFLAGS" ;;
    pulumi-resource-pulumi-nodejs)
      # Shim the engine starts for dynamic providers (pulumi.dynamic.Resource):
      # runs @pulumi/pulumi/cmd/dynamic-provider from the program's node_modules.
      cat > "$BIN/$c.tmp" <<'EOF'
#!/bin/sh
# Written by e2e/toolchain.sh: dynamic provider shim for @pulumi/pulumi.
script=$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1
exec node "$script" "$@"
EOF
      chmod +x "$BIN/$c.tmp" && mv -f "$BIN/$c.tmp" "$BIN/$c" ;;
    pulumi-resource-kubernetes)
      # The upstream `go generate` step: copy schema.json / terraform-mapping.json
      # from the module with "version" set, next to main.go for go:embed.
      local moddir
      moddir="$(cd "$E2E_DIR/toolchain/provider-kubernetes" && go mod download -json \
        "github.com/pulumi/pulumi-kubernetes/provider/v4@${PULUMI_KUBERNETES_MODULE_VERSION}" |
        sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
      [ -n "$moddir" ] || { echo "could not download the provider module"; return 1; }
      local dir="$SRC/provider-kubernetes"
      rm -rf "$dir" && mkdir -p "$dir"
      cp -a "$E2E_DIR/toolchain/provider-kubernetes/." "$dir/"
      echo "+ generate schema-embed.json (version ${PULUMI_KUBERNETES_VERSION}) from $moddir"
      node -e '
        const fs = require("fs");
        const [src, dst, version] = process.argv.slice(1);
        const schema = JSON.parse(fs.readFileSync(src + "/schema.json", "utf8"));
        schema.version = version;
        fs.writeFileSync(dst + "/schema-embed.json", JSON.stringify(schema));
        const mapping = JSON.parse(fs.readFileSync(src + "/terraform-mapping.json", "utf8"));
        fs.writeFileSync(dst + "/terraform-mapping-embed.json", JSON.stringify(mapping));
      ' "$moddir/cmd/pulumi-resource-kubernetes" "$dir" "$PULUMI_KUBERNETES_VERSION"
      local out="$PLUGINS/resource-kubernetes-v${PULUMI_KUBERNETES_VERSION}/$c"
      mkdir -p "$(dirname "$out")"
      (
        cd "$dir"
        local ldflags="-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${PULUMI_KUBERNETES_VERSION}"
        echo "+ go build -trimpath -ldflags '$ldflags' -o $out.tmp ."
        go build -trimpath -ldflags "$ldflags" -o "$out.tmp" .
      )
      mv -f "$out.tmp" "$out"
      link_into_bin "$out" ;;
    pulumi-resource-random)
      build_go provider-random . "$PLUGINS/resource-random-v${PULUMI_RANDOM_VERSION}/$c" \
        "-X main.version=${PULUMI_RANDOM_VERSION}"
      link_into_bin "$PLUGINS/resource-random-v${PULUMI_RANDOM_VERSION}/$c" ;;
    etcd)
      build_go etcd go.etcd.io/etcd/server/v3 "$BIN/etcd" "" ;;
    kube-apiserver|kube-controller-manager|kube-scheduler|kubectl|kubelet|kube-proxy)
      build_go kube "k8s.io/kubernetes/cmd/$c" "$BIN/$c" "$(kube_ldflags)" ;;
    kwok|kwokctl)
      build_go kwok "sigs.k8s.io/kwok/cmd/$c" "$BIN/$c" \
        "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION} -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${KUBERNETES_VERSION}" ;;
    kwok-stages)
      # kwok ships its default node/pod lifecycle stages inside its module
      # (kwokctl embeds the same files); install them for e2e/cluster.sh.
      local moddir
      moddir="$(cd "$E2E_DIR/toolchain/kwok" && go mod download -json "sigs.k8s.io/kwok@v${KWOK_VERSION}" |
        sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
      [ -n "$moddir" ] || { echo "could not download the kwok module"; return 1; }
      local st="$moddir/kustomize/stage"
      rm -rf "$ROOT/share/kwok-stages.tmp" && mkdir -p "$ROOT/share/kwok-stages.tmp"
      cp "$st/node/fast/node-initialize.yaml" "$st/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
        "$st/pod/fast/pod-ready.yaml" "$st/pod/fast/pod-complete.yaml" "$st/pod/fast/pod-delete.yaml" \
        "$ROOT/share/kwok-stages.tmp/"
      chmod 644 "$ROOT/share/kwok-stages.tmp"/*
      rm -rf "$ROOT/share/kwok-stages" && mv "$ROOT/share/kwok-stages.tmp" "$ROOT/share/kwok-stages"
      ls -l "$ROOT/share/kwok-stages" ;;
    kube-router)
      build_go kube-router github.com/cloudnativelabs/kube-router/v2/cmd/kube-router "$BIN/kube-router" \
        "-X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=v${KUBE_ROUTER_VERSION} -X github.com/cloudnativelabs/kube-router/v2/pkg/version.BuildDate=${KUBE_ROUTER_BUILD_DATE}" ;;
    coredns)
      # Static: it runs in a container image that holds nothing but this binary.
      CGO_ENABLED=0 build_go coredns . "$BIN/coredns" "" ;;
    node-images)
      # The real node's images (test service, pause, CoreDNS), packed as OCI archives for `ctr images import`.
      is_built coredns || { echo "node-images needs coredns built first"; return 1; }
      bash "$E2E_DIR/images/build.sh" "$ROOT/share/images" "$BIN/coredns" ;;
    cnpg-manager)
      # Operator and instance manager in one static binary, as upstream ships it (CGO off, distroless static image).
      CGO_ENABLED=0 build_go cnpg github.com/cloudnative-pg/cloudnative-pg/cmd/manager "$BIN/cnpg-manager" \
        "-s -w -X github.com/cloudnative-pg/cloudnative-pg/pkg/versions.buildVersion=${CNPG_VERSION} -X github.com/cloudnative-pg/cloudnative-pg/pkg/versions.buildCommit=${CNPG_COMMIT:0:7} -X github.com/cloudnative-pg/cloudnative-pg/pkg/versions.buildDate=${CNPG_BUILD_DATE}"
      "$BIN/cnpg-manager" version ;;
    store-images)
      # The PostgreSQL store's images (CloudNativePG manager, PostgreSQL from Debian's packages), OCI archives.
      is_built cnpg-manager || { echo "store-images needs cnpg-manager built first"; return 1; }
      bash "$E2E_DIR/node-deps.sh" # the PostgreSQL packages the image is assembled from (root installs them)
      bash "$E2E_DIR/images/build-stores.sh" "$ROOT/share/images" "$BIN/cnpg-manager" ;;
    *) echo "unknown component $c"; return 1 ;;
  esac
}

# --- end components ---

# Builds one component into its log, printing a line every PLATFORM_E2E_HEARTBEAT seconds (default 60): a
# single component can take 25 min cold, and CI runners stop jobs that print nothing for 10.
build_with_heartbeat() {
  local c="$1" log="$2" start="$3" pid rc
  build_component "$c" >"$log" 2>&1 &
  pid=$!
  while ! wait_for "$pid" "${PLATFORM_E2E_HEARTBEAT:-60}"; do
    echo "toolchain:   ... $c still building ($((SECONDS - start))s, $(wc -l <"$log") log lines)"
  done
  rc=0
  wait "$pid" || rc=$?
  return "$rc"
}

# True once process $1 has exited; false when it is still running after $2 seconds.
wait_for() {
  local i
  for ((i = 0; i < $2; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 1
  done
  ! kill -0 "$1" 2>/dev/null
}

# Plugin-cache entries of PULUMI_HOME must be real directories (the engine
# skips symlinked ones); the binaries inside are symlinks, so this is cheap.
link_plugins() {
  local home="$1" d f name
  mkdir -p "$home/plugins"
  automatic_log "$home"
  for d in "$PLUGINS"/*/; do
    [ -d "$d" ] || continue
    name="$(basename "$d")"
    mkdir -p "$home/plugins/$name"
    for f in "$d"*; do
      ln -sfn "$f" "$home/plugins/$name/$(basename "$f")"
    done
  done
}

# Pulumi CLI v3.259+ writes every RPC payload of every command, gzipped and
# encrypted, to $PULUMI_HOME/logs, with no setting to turn it off; on this
# stack's chart CRDs that is half of the CLI's CPU in a preview (docs/benchmarks.md).
# A throwaway PULUMI_HOME needs no such log: a plain file where the CLI wants
# its logs directory makes it skip the log ("automatic logging unavailable" at
# -v=1). PLATFORM_PULUMI_AUTOMATIC_LOG=1 keeps the CLI's default.
automatic_log() {
  local logs="$1/logs"
  if [ "${PLATFORM_PULUMI_AUTOMATIC_LOG:-0}" = 1 ]; then
    [ -d "$logs" ] || rm -f "$logs"
  elif [ ! -f "$logs" ]; then
    rm -rf "$logs" && : > "$logs"
  fi
}

# A component is built when its marker exists (written after a successful build). The node images' marker holds a
# hash of their sources (e2e/images, outside the key's wrapper modules), so an edited test service is rebuilt.
is_built() {
  [ -e "$ROOT/built/$1" ] || return 1
  case "$1" in
    node-images) [ "$(cat "$ROOT/built/$1")" = "$(images_hash)" ] ;;
    store-images) [ "$(cat "$ROOT/built/$1")" = "$(store_images_hash)" ] ;;
  esac
}
images_hash() {
  (cd "$E2E_DIR/images" && find . -type f ! -name testsvc | LC_ALL=C sort | xargs sha256sum; sha256sum "$BIN/coredns" 2>/dev/null) |
    sha256sum | cut -c1-16
}

# The store images follow their scripts, the manager build and the Debian packages they are assembled from.
store_images_hash() {
  {
    (cd "$E2E_DIR/images" && sha256sum build-stores.sh oci-archive.js)
    sha256sum "$BIN/cnpg-manager" 2>/dev/null
    dpkg-query -W "postgresql-${POSTGRES_MAJOR}" "postgresql-client-${POSTGRES_MAJOR}" tzdata dash libc6 2>/dev/null
  } | sha256sum | cut -c1-16
}

main() {
  local targets=()
  case "${1:-}" in
    --print-bin-dir) echo "$BIN"; return 0 ;;
    --print-key) echo "$KEY"; return 0 ;;
    --print-plugins-dir) echo "$PLUGINS"; return 0 ;;
    --link-plugins)
      [ -n "${2:-}" ] || { echo "usage: $0 --link-plugins PULUMI_HOME" >&2; return 2; }
      link_plugins "$2"; return 0 ;;
    --list)
      for c in "${COMPONENTS[@]}"; do
        if is_built "$c"; then echo "built    $c"; else echo "missing  $c"; fi
      done
      return 0 ;;
    -h|--help) sed -n '2,20p' "$0"; return 0 ;;
    "") targets=("${COMPONENTS[@]}") ;;
    *) targets=("$@") ;;
  esac

  command -v go >/dev/null || { echo "toolchain: go is not on PATH" >&2; return 1; }
  command -v node >/dev/null || { echo "toolchain: node is not on PATH" >&2; return 1; }
  mkdir -p "$BIN" "$LOGS" "$SRC" "$ROOT/built"

  # Hermetic Go settings: no toolchain downloads, go.sum is the pin. Some
  # module versions served here are missing from the checksum database
  # mirror, so it is not consulted for the wrapper modules' dependencies:
  # the committed go.sum files carry the hashes.
  export GOTOOLCHAIN=local
  export GOFLAGS="-mod=readonly -buildvcs=false"
  export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi,k8s.io,go.etcd.io,sigs.k8s.io"

  # One build at a time, even if two toolchain.sh run at once.
  exec 9>"$ROOT/.lock"
  flock 9

  echo "toolchain: key $KEY"
  echo "toolchain: bin dir $BIN"
  local total_start=$SECONDS failed=0
  for c in "${targets[@]}"; do
    if is_built "$c"; then
      echo "toolchain: [skip] $c (already built)"
      continue
    fi
    local log="$LOGS/$c.log" start=$SECONDS
    echo "toolchain: [build] $c ... (log: $log)"
    if build_with_heartbeat "$c" "$log" "$start"; then
      local took=$((SECONDS - start))
      case "$c" in
        node-images) images_hash >"$ROOT/built/$c" ;;
        store-images) store_images_hash >"$ROOT/built/$c" ;;
        *) touch "$ROOT/built/$c" ;;
      esac
      echo "toolchain: [ok] $c in ${took}s"
      echo "$c ${took}s $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$ROOT/timings.txt"
    else
      echo "toolchain: [FAILED] $c after $((SECONDS - start))s; see $log" >&2
      tail -n 20 "$log" | sed 's/^/    /' >&2
      failed=1
      # Keep going: the other components may still build.
    fi
  done
  echo "toolchain: done in $((SECONDS - total_start))s"
  if [ "$failed" -ne 0 ]; then
    echo "toolchain: some components failed (see above)" >&2
    return 1
  fi
}

main "$@"
