#!/usr/bin/env bash
# Installs the Debian packages the real node needs (container runtime, CNI plugins, iptables/ipset for kube-proxy
# and the NetworkPolicy agent, socat for the apiserver bridge), only those missing. Runs as root; prints what it does.
# Package daemons are never started: the node starts its own containerd per cluster slot (e2e/node.sh).
set -euo pipefail

PACKAGES=(containerd runc containernetworking-plugins iptables ipset nftables iproute2 socat conntrack util-linux)
# The binaries e2e/node.sh runs, one per package above (same order).
PROBES=(containerd runc /usr/lib/cni/bridge iptables-nft ipset nft ip socat conntrack nsenter)

missing=()
for i in "${!PACKAGES[@]}"; do
  probe="${PROBES[$i]}"
  if [ "${probe#/}" != "$probe" ]; then [ -x "$probe" ] && continue; else command -v "$probe" >/dev/null && continue; fi
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
export DEBIAN_FRONTEND=noninteractive
apt_log=$(mktemp)
if ! apt-get install -y --no-install-recommends "${missing[@]}" >"$apt_log" 2>&1; then
  echo "node-deps: apt-get install failed; updating the package lists once and retrying" >&2
  apt-get update -qq >>"$apt_log" 2>&1 || true
  apt-get install -y --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1 || { tail -n 30 "$apt_log" >&2; rm -f "$apt_log"; exit 1; }
fi
rm -f "$apt_log"
echo "node-deps: installed ${missing[*]}"
