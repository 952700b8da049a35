#!/usr/bin/env bash
# The real node of the local cluster: containerd + kubelet + kube-proxy + kube-router (NetworkPolicy only) in a network
# namespace of their own, CoreDNS as a pod, so pods really run, probes really probe and NetworkPolicies really deny.
# e2e/cluster.sh calls it after the control plane is up (and before it stops); by hand:
#
# Usage: e2e/node.sh up|down|status|env
#   up      create the node's netns, start its daemons, register node `real-node-0` (tainted, so only pods that
#           tolerate it land there), deploy cluster DNS; idempotent
#   down    stop every daemon and container it started, unmount what they mounted, delete the netns (its bridge,
#           veths and iptables/nft rules go with it) and the cgroups; reports leftovers
#   status  daemons, node condition; exit 1 if not fully up
#   env     print the node's facts (netns, addresses, ranges) as shell assignments
#
# Everything is per cluster slot (state dir + apiserver port): netns `pe<port>`, host link `pe<port>h`, cgroups
# `/pe<port>`, containerd under <state>/node. The host netns only gains that one veth end
# (a /30 in the RFC 2544 test range)
# and a socat that bridges it to the apiserver's loopback port; no host route, iptables rule or sysctl changes.
# Traffic cannot leave the machine: the node netns has no default route, and a guard table drops anything a pod sends
# that is not addressed to the pod, Service or node ranges or to a test host the tests create.
set -euo pipefail

# fd 3: the terminal's stderr, for errors raised inside checks whose own output is silenced.
exec 3>&2
LOG_PREFIX="node: " ERR_FD=3 WAIT_EVERY=10
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
SHARE="$BIN/../share"
NODE="$STATE/node"
RUN_BIN="$(cat "$RUN/node-bin-dir" 2>/dev/null || echo "$BIN")"
APISERVER_PORT="${PLATFORM_E2E_APISERVER_PORT:-16443}"

NODE_NAME=real-node-0
SLOT="pe$APISERVER_PORT"
NETNS="$SLOT"
HOST_LINK="${SLOT}h"
NODE_LINK=node0
# One /30 per slot in 198.18.0.0/15 (RFC 2544, for tests; never routed), picked from the apiserver port. Not
# link-local: the `kubernetes` EndpointSlice may not name a link-local address.
LINK_A=$((APISERVER_PORT / 1000 % 256))
LINK_B=$((APISERVER_PORT % 1000 % 64 * 4))
HOST_IP="198.18.$LINK_A.$((LINK_B + 1))"
NODE_IP="198.18.$LINK_A.$((LINK_B + 2))"
LINK_NET="198.18.$LINK_A.$LINK_B/30"
# Same ranges as the control plane (e2e/cluster.sh); the real node's pods get their own /24, apart from kwok's.
SERVICE_CIDR=10.96.0.0/16
SERVICE_IP=10.96.0.1
DNS_IP=10.96.0.10
POD_CIDR=10.245.0.0/24
# Test hosts "outside the cluster" live in netns the tests create, in this documentation range (RFC 5737).
OUTSIDE_CIDR=192.0.2.0/24
CGROUP="/$SLOT"
TAINT_KEY=platform.e2e/real-node
CONTAINERD_SOCK="$NODE/containerd/containerd.sock"

# Start order; `down` stops in reverse. socat: the apiserver bridge in the host netns.
DAEMONS=(apiserver-bridge containerd kubelet kube-proxy kube-router)

in_node() { nsenter --net="/run/netns/$NETNS" "$@"; }

exe_of() {
  case "$1" in
    apiserver-bridge) command -v socat ;;
    containerd) command -v containerd ;;
    *) echo "$RUN_BIN/$1" ;;
  esac
}

live_pid() { pid_running "$RUN/node-$1.pid" "$(readlink -f "$(exe_of "$1")")"; }

# ------------------------------------------------------------ network ----
netns_up() {
  if ! ip netns list | grep -qw "^$NETNS"; then
    if ip -br addr | grep -q " $HOST_IP/"; then die "address $HOST_IP is already on another link (another slot with the same port thousand?)"; fi
    ip netns add "$NETNS"
    ip link add "$HOST_LINK" type veth peer name "$NODE_LINK" netns "$NETNS"
    ip addr add "$HOST_IP/30" dev "$HOST_LINK"
    ip link set "$HOST_LINK" up
    in_node ip addr add "$NODE_IP/30" dev "$NODE_LINK"
    in_node ip link set "$NODE_LINK" up
    in_node ip link set lo up
    log "netns $NETNS: $NODE_LINK $NODE_IP <-> $HOST_LINK $HOST_IP (host netns)"
  fi
  # Per-netns settings: the node routes between pods and Services; bridged pod traffic passes iptables (kube-proxy,
  # kube-router); route_localnet lets kube-proxy answer NodePorts on the node's loopback.
  in_node sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.ipv4.conf.all.route_localnet=1
  in_node nft -f - <<EOF
table inet platform_e2e_guard
delete table inet platform_e2e_guard
table inet platform_e2e_guard {
  set cluster {
    type ipv4_addr; flags interval
    elements = { 127.0.0.0/8, $POD_CIDR, $SERVICE_CIDR, $LINK_NET, $OUTSIDE_CIDR }
  }
  # After DNAT (kube-proxy), so a Service address has already become its endpoint here.
  chain forward { type filter hook forward priority 10; policy accept; ip daddr != @cluster counter drop; }
  chain output { type filter hook output priority 10; policy accept; ip daddr != @cluster counter drop; }
}
table ip platform_e2e_nat
delete table ip platform_e2e_nat
table ip platform_e2e_nat {
  # Pods reach the apiserver bridge on the host end of the veth; the host has no route back to pods.
  chain postrouting { type nat hook postrouting priority 110; oifname "$NODE_LINK" ip saddr $POD_CIDR masquerade; }
}
EOF
}

cgroups_up() {
  local d
  for d in /sys/fs/cgroup/*/; do
    [ -d "$d" ] && [ "$(basename "$d")" != unified ] || continue
    mkdir -p "$d${CGROUP#/}"
  done
  # A new cpuset starts empty; tasks cannot join it until it has CPUs and memory nodes.
  if [ -d /sys/fs/cgroup/cpuset ]; then
    cat /sys/fs/cgroup/cpuset/cpuset.cpus >"/sys/fs/cgroup/cpuset$CGROUP/cpuset.cpus"
    cat /sys/fs/cgroup/cpuset/cpuset.mems >"/sys/fs/cgroup/cpuset$CGROUP/cpuset.mems"
  fi
}

# ------------------------------------------------------------- config ----
gen_node_pki() {
  local spec name cn org eku sans subj ext o="$PKI"
  for spec in "kubelet|system:node:$NODE_NAME|system:nodes|clientAuth" "kube-proxy|system:kube-proxy||clientAuth" \
    "kube-router|platform-e2e:kube-router||clientAuth"; do
    IFS='|' read -r name cn org eku <<<"$spec"
    [ -f "$o/$name.crt" ] && continue
    subj="/CN=$cn"
    [ -n "$org" ] && subj="/O=$org$subj"
    ext="$o/$name.ext"
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n' "$eku" >"$ext"
    openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout "$o/$name.key" -out "$o/$name.csr" -subj "$subj" 2>/dev/null
    openssl x509 -req -in "$o/$name.csr" -CA "$o/ca.crt" -CAkey "$o/ca.key" -CAcreateserial -days 3650 -sha256 \
      -extfile "$ext" -out "$o/$name.crt" 2>/dev/null
    rm -f "$o/$name.csr" "$ext"
    chmod 600 "$o/$name.key"
  done
}

# Node components dial the apiserver through the bridge on the host end of the veth; the serving certificate is
# checked against its `kubernetes` name, so the control plane's PKI needs no new SAN.
write_node_kubeconfig() { # <path> <cert name>
  cat >"$1.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: platform-e2e
  cluster:
    server: https://$HOST_IP:$APISERVER_PORT
    certificate-authority: $PKI/ca.crt
    tls-server-name: kubernetes
users:
- name: $2
  user:
    client-certificate: $PKI/$2.crt
    client-key: $PKI/$2.key
contexts:
- name: platform-e2e
  context: {cluster: platform-e2e, user: $2}
current-context: platform-e2e
EOF
  chmod 600 "$1.tmp" && mv -f "$1.tmp" "$1"
}

write_configs() {
  mkdir -p "$NODE/containerd" "$NODE/cni/net.d" "$NODE/kubelet" "$NODE/etc"
  rm -rf "$NODE/cni/ipam" # addresses of containers that are gone (down killed them all)
  write_node_kubeconfig "$NODE/kubelet.kubeconfig" kubelet
  write_node_kubeconfig "$NODE/kube-proxy.kubeconfig" kube-proxy
  write_node_kubeconfig "$NODE/kube-router.kubeconfig" kube-router
  # shellcheck source=/dev/null
  source "$SHARE/images/images.env"
  cat >"$NODE/containerd/config.toml" <<EOF
version = 2
root = "$NODE/containerd/root"
state = "$NODE/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$NODE/containerd/containerd.ttrpc.sock"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$NODE/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # This machine's root lacks CAP_SYS_RESOURCE: containers may only raise their oom_score_adj.
  restrict_oom_score_adj = true
  # Pod netns mounts under the state dir, so down finds and unmounts every one of this slot's.
  netns_mounts_under_state_dir = true
  enable_selinux = false
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$NODE/cni/net.d"
    max_conf_num = 1
EOF
  cat >"$NODE/cni/net.d/10-platform-e2e.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "platform-e2e",
  "plugins": [
    {
      "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": { "type": "host-local", "dataDir": "$NODE/cni/ipam", "ranges": [[{ "subnet": "$POD_CIDR" }]], "routes": [{ "dst": "0.0.0.0/0" }] }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
  # Pods with dnsPolicy Default get this resolv.conf: no resolver outside the cluster.
  printf 'nameserver %s\nsearch cluster.local\noptions ndots:1\n' "$DNS_IP" >"$NODE/etc/resolv.conf"
  cat >"$NODE/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP
failCgroupV1: false
failSwapOn: false
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: AlwaysAllow}
clusterDNS: [$DNS_IP]
clusterDomain: cluster.local
resolvConf: $NODE/etc/resolv.conf
registerWithTaints:
- {key: $TAINT_KEY, value: "true", effect: NoSchedule}
# Images are imported, never pulled: nothing may collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
serializeImagePulls: false
maxPods: 60
# Container logs under the slot's state dir (the kubelet still links them from /var/log/containers; down removes those).
podLogsDir: $NODE/pod-logs
shutdownGracePeriod: 0s
EOF
  cat >"$NODE/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
# nftables, in its own table: kube-router restores the whole iptables filter table on every sync, which would
# revert kube-proxy's filter rules in iptables mode (kube-router issue 1372).
mode: nftables
clientConnection: {kubeconfig: $NODE/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# Inside the node's netns: leave the machine-wide conntrack table size alone.
conntrack: {maxPerCore: 0, min: 0}
nodePortAddresses: [$NODE_IP/32]
EOF
}

args_of() {
  case "$1" in
    apiserver-bridge) echo "TCP-LISTEN:$APISERVER_PORT,bind=$HOST_IP,reuseaddr,fork TCP:127.0.0.1:$APISERVER_PORT" ;;
    containerd) echo "--config $NODE/containerd/config.toml --log-level warn" ;;
    kubelet)
      echo "--config=$NODE/kubelet.yaml --kubeconfig=$NODE/kubelet.kubeconfig --root-dir=$NODE/kubelet" \
        "--hostname-override=$NODE_NAME --node-ip=$NODE_IP --node-labels=type=real,$TAINT_KEY=true" \
        "--v=1" ;;
    kube-proxy) echo "--config=$NODE/kube-proxy.yaml --v=1" ;;
    kube-router)
      # NetworkPolicy only: no routing, no BGP, no service proxy (kube-proxy does that).
      echo "--kubeconfig=$NODE/kube-router.kubeconfig --hostname-override=$NODE_NAME --run-firewall=true" \
        "--run-router=false --run-service-proxy=false --service-cluster-ip-range=$SERVICE_CIDR" \
        "--health-port=20244 --metrics-port=0 --v=1" ;;
  esac
}

start_daemon() {
  local d="$1" pid i
  if pid="$(live_pid "$d")"; then log "$d: already running (pid $pid)"; return 0; fi
  local exe
  exe="$(exe_of "$d")"
  # shellcheck disable=SC2046 # whitespace-free args by construction
  if [ "$d" = apiserver-bridge ]; then
    setsid "$exe" $(args_of "$d") >>"$LOGS/node-$d.log" 2>&1 </dev/null 3>&- &
  else
    # nsenter --net only: the daemons share the host's mount namespace, so kubelet's volume mounts are containerd's.
    # NODE_NAME: kube-router reads it before its --hostname-override.
    NODE_NAME="$NODE_NAME" setsid nsenter --net="/run/netns/$NETNS" "$exe" $(args_of "$d") >>"$LOGS/node-$d.log" 2>&1 </dev/null 3>&- &
  fi
  pid=$!
  echo "$pid" >"$RUN/node-$d.pid"
  for ((i = 0; i < 100; i++)); do
    live_pid "$d" >/dev/null || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.05
  done
  live_pid "$d" >/dev/null || { tail -n 20 "$LOGS/node-$d.log" >&2; die "$d exited at start; see $LOGS/node-$d.log"; }
  log "$d: started (pid $pid, log $LOGS/node-$d.log)"
}


alive() { live_pid "$1" >/dev/null || { tail -n 20 "$LOGS/node-$1.log" >&3; die "$1 exited; see $LOGS/node-$1.log"; }; }
containerd_ready() { alive containerd; ctr_ version; }
ctr_() { ctr --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }
node_ready() {
  alive kubelet
  [ "$(kubectl_ get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
}
proxy_synced() { alive kube-proxy; in_node nft list table ip kube-proxy | grep -q -- "$SERVICE_IP"; }
# Its /healthz answers before the first sync; the filter chains it writes are the proof of a sync.
router_synced() { alive kube-router; in_node iptables -S KUBE-ROUTER-FORWARD; }
dns_ready() {
  [ "$(kubectl_ -n kube-system get deploy coredns -o jsonpath='{.status.readyReplicas}')" = 1 ]
}

import_images() {
  local tar
  for tar in "$SHARE"/images/*.tar; do
    ctr_ images import "$tar" >/dev/null || die "ctr images import $tar failed"
  done
  log "images imported: $(ctr_ images ls -q | grep -c '^localhost/platform-e2e/') local images"
}

# The `kubernetes` Service's endpoint (the apiserver's endpoint reconciler is off: it advertises loopback).
cluster_objects() {
  # shellcheck source=/dev/null
  source "$SHARE/images/images.env"
  sed -e "s|@HOST_IP@|$HOST_IP|g" -e "s|@APISERVER_PORT@|$APISERVER_PORT|g" -e "s|@DNS_IP@|$DNS_IP|g" \
    -e "s|@COREDNS_IMAGE@|$COREDNS_IMAGE|g" -e "s|@NODE_NAME@|$NODE_NAME|g" -e "s|@TAINT_KEY@|$TAINT_KEY|g" \
    -e "s|@POD_CIDR@|$POD_CIDR|g" "$E2E_DIR/node/cluster-objects.yaml" | kubectl_ apply -f - >/dev/null
}

cmd_up() {
  [ "$(id -u)" -eq 0 ] || die "the real node needs root (netns, mounts, cgroups); PLATFORM_E2E_REAL_NODE=0 skips it"
  bash "$E2E_DIR/node-deps.sh"
  local c
  for c in kubelet kube-proxy kube-router; do [ -x "$BIN/$c" ] || die "toolchain lacks $c ($BIN); run e2e/toolchain.sh"; done
  [ -f "$SHARE/images/images.env" ] || die "toolchain lacks the node images ($SHARE/images); run e2e/toolchain.sh"
  [ -f "$PKI/ca.key" ] || die "no cluster PKI in $PKI; start the control plane first (e2e/cluster.sh up)"
  local start=$SECONDS
  mkdir -p "$NODE" "$LOGS" "$RUN"
  echo "$BIN" >"$RUN/node-bin-dir"
  RUN_BIN="$BIN"
  gen_node_pki
  write_configs
  netns_up
  cgroups_up
  start_daemon apiserver-bridge
  start_daemon containerd
  wait_for containerd 60 containerd_ready
  import_images
  cluster_objects
  start_daemon kubelet
  start_daemon kube-proxy
  wait_for "node $NODE_NAME Ready" 120 node_ready
  # kube-router looks its Node up once, at start: only after the kubelet registered it.
  start_daemon kube-router
  wait_for "kube-proxy rules" 60 proxy_synced
  wait_for "kube-router (first policy sync)" 90 router_synced
  wait_for "cluster DNS (CoreDNS pod on $NODE_NAME)" 180 dns_ready
  log "real node up in $((SECONDS - start))s: $NODE_NAME ($NODE_IP, netns $NETNS, pods $POD_CIDR)"
}


# Every process in this slot's cgroup tree: the containers, their pause processes.
cgroup_pids() { find "/sys/fs/cgroup/pids$CGROUP" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u; }
# Shims of this slot's containerd (they outlive it, and they hold the containers' mounts).
shim_pids() {
  local d
  for d in /proc/[0-9]*; do
    case "$(readlink "$d/exe" 2>/dev/null)" in
      */containerd-shim*) tr '\0' ' ' <"$d/cmdline" 2>/dev/null | grep -q -- "$CONTAINERD_SOCK" && echo "${d#/proc/}" ;;
    esac
  done
}
our_mounts() { awk -v p="$NODE/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r; }

cmd_down() {
  local i d pid leftovers=0
  for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do
    d="${DAEMONS[$i]}"
    [ "$d" = containerd ] && kill_containers
    if pid="$(live_pid "$d")"; then stop_pid "$d" "$pid" 10; else log "$d: not running"; fi
    rm -f "$RUN/node-$d.pid"
  done
  for pid in $(shim_pids); do kill -KILL "$pid" 2>/dev/null || true; done
  # Lazy unmounts, deepest first: kubelet's volumes, containers' rootfs, pod netns bind mounts.
  local m n=0
  for m in $(our_mounts); do umount -l "$m" 2>/dev/null && n=$((n + 1)); done
  ((n == 0)) || log "unmounted $n mounts under $NODE"
  if ip netns list | grep -qw "^$NETNS"; then ip netns del "$NETNS" && log "netns $NETNS deleted (bridge, veths, rules)"; fi
  ip link show "$HOST_LINK" >/dev/null 2>&1 && ip link del "$HOST_LINK"
  local sub
  for sub in /sys/fs/cgroup/*/; do
    [ -d "$sub${CGROUP#/}" ] || continue
    find "$sub${CGROUP#/}" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  local link
  for link in /var/log/containers/*.log; do
    case "$(readlink "$link" 2>/dev/null)" in "$NODE/pod-logs/"*) rm -f "$link" ;; esac
  done
  rmdir /var/log/containers 2>/dev/null || true # only when no other kubelet's links are left
  rm -f "$RUN/node-bin-dir"
  # Report what is left.
  if [ -n "$(our_mounts)" ]; then log "LEFTOVER mounts: $(our_mounts | tr '\n' ' ')"; leftovers=1; fi
  if [ -n "$(shim_pids)$(cgroup_pids)" ]; then log "LEFTOVER processes: $(shim_pids) $(cgroup_pids)"; leftovers=1; fi
  if ip netns list | grep -qw "^$NETNS"; then log "LEFTOVER netns $NETNS"; leftovers=1; fi
  if ip link show "$HOST_LINK" >/dev/null 2>&1; then log "LEFTOVER link $HOST_LINK"; leftovers=1; fi
  for sub in /sys/fs/cgroup/*/; do
    if [ -d "$sub${CGROUP#/}" ]; then log "LEFTOVER cgroup $sub${CGROUP#/}"; leftovers=1; fi
  done
  ((leftovers == 0)) || return 1
  log "down; no daemon, container, mount, netns, link or cgroup left"
}

kill_containers() {
  local pid tries
  live_pid containerd >/dev/null || return 0
  for ((tries = 0; tries < 3; tries++)); do
    for pid in $(cgroup_pids); do kill -KILL "$pid" 2>/dev/null || true; done
    [ -z "$(cgroup_pids)" ] && break
    sleep 0.5
  done
}

cmd_status() {
  local d pid ok=0
  for d in "${DAEMONS[@]}"; do
    if pid="$(live_pid "$d")"; then printf 'node %-18s running pid %s\n' "$d" "$pid"; else printf 'node %-18s stopped\n' "$d"; ok=1; fi
  done
  node_ready 2>/dev/null && echo "node $NODE_NAME         Ready" || { echo "node $NODE_NAME         not Ready"; ok=1; }
  return $ok
}

cmd_env() {
  cat <<EOF
NODE_NAME=$NODE_NAME
NODE_NETNS=$NETNS
NODE_IP=$NODE_IP
NODE_HOST_IP=$HOST_IP
NODE_POD_CIDR=$POD_CIDR
NODE_SERVICE_CIDR=$SERVICE_CIDR
NODE_DNS_IP=$DNS_IP
NODE_OUTSIDE_CIDR=$OUTSIDE_CIDR
NODE_TAINT_KEY=$TAINT_KEY
NODE_CONTAINERD_SOCK=$CONTAINERD_SOCK
EOF
  [ -f "$SHARE/images/images.env" ] && cat "$SHARE/images/images.env"
  [ -f "$SHARE/images/stores.env" ] && cat "$SHARE/images/stores.env"
  return 0
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac
