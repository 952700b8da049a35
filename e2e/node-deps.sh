#!/usr/bin/env bash
# Installs the Debian packages the real node needs (container runtime, CNI plugins, iptables/ipset for kube-proxy
# and the NetworkPolicy agent, socat for the apiserver bridge), only those missing. Runs as root; prints what it does.
# Package daemons are never started: the node starts its own containerd per cluster slot (e2e/node.sh).
# PostgreSQL's packages are the source of the PostgreSQL image (e2e/images/build-stores.sh copies their files into
# an image); no server is started on the host, and no cluster is created by the install (see below).
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$E2E_DIR/versions.env" # POSTGRES_MAJOR

PACKAGES=(containerd runc containernetworking-plugins iptables ipset nftables iproute2 socat conntrack util-linux
  "postgresql-$POSTGRES_MAJOR" "postgresql-client-$POSTGRES_MAJOR" tzdata dash file)
# What proves each package above is there (same order): a command on PATH, or a path that exists.
PROBES=(containerd runc /usr/lib/cni/bridge iptables-nft ipset nft ip socat conntrack nsenter
  "/usr/lib/postgresql/$POSTGRES_MAJOR/bin/postgres" "/usr/lib/postgresql/$POSTGRES_MAJOR/bin/psql" /usr/share/zoneinfo/UTC dash file)

missing=()
for i in "${!PACKAGES[@]}"; do
  probe="${PROBES[$i]}"
  if [ "${probe#/}" != "$probe" ]; then [ -e "$probe" ] && continue; else command -v "$probe" >/dev/null && continue; fi
  missing+=("${PACKAGES[$i]}")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "node-deps: all present (${PACKAGES[*]})"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "node-deps: missing ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
  echo "node-deps: or set PLATFORM_E2E_REAL_NODE=0 for a kwok-only cluster" >&2
  exit 1
fi
echo "node-deps: installing ${missing[*]} (apt-get)"
# policy-rc.d exit 101 keeps the packages' own services (the system containerd) from starting during install.
prc=/usr/sbin/policy-rc.d
had_prc=false; [ -e "$prc" ] && had_prc=true
$had_prc || { printf '#!/bin/sh\nexit 101\n' >"$prc"; chmod +x "$prc"; }
trap '$had_prc || rm -f "$prc"' EXIT
# postgresql-common creates and starts a "main" cluster on install unless told not to; the image needs the files only.
pgcc=/etc/postgresql-common/createcluster.d/platform-e2e.conf
if [[ " ${missing[*]} " == *" postgresql-"* && ! -e "$pgcc" ]]; then
  mkdir -p "$(dirname "$pgcc")" && echo "create_main_cluster = false" >"$pgcc"
  echo "node-deps: $pgcc: create_main_cluster = false (the packages are the image's source, not a host server)"
fi
export DEBIAN_FRONTEND=noninteractive
apt_log=$(mktemp)
if ! apt-get install -y --no-install-recommends "${missing[@]}" >"$apt_log" 2>&1; then
  echo "node-deps: apt-get install failed; updating the package lists once and retrying" >&2
  apt-get update -qq >>"$apt_log" 2>&1 || true
  apt-get install -y --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1 || { tail -n 30 "$apt_log" >&2; rm -f "$apt_log"; exit 1; }
fi
rm -f "$apt_log"
echo "node-deps: installed ${missing[*]}"
