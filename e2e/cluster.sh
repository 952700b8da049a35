#!/usr/bin/env bash
# Local, hermetic Kubernetes cluster for the e2e tests: etcd + kube-apiserver
# + kube-controller-manager + kube-scheduler + kwok (3 fake Ready nodes), all
# on 127.0.0.1, binaries from e2e/toolchain.sh. No containers, no network.
#
# Usage: e2e/cluster.sh up|down [--purge]|status|env|kubeconfig
#   up        start (or say it is already up), wait for /readyz and Ready nodes
#   down      stop exactly the processes started by `up` (pid files), wait for
#             their ports to free, report leftovers; --purge also empties the
#             state dir (PKI, etcd data, logs)
#   status    show processes, ports, /readyz and nodes; exit 1 if not fully up
#   env       print `export KUBECONFIG=...` for eval
#   kubeconfig print the admin kubeconfig path
#
# State dir: ${PLATFORM_E2E_STATE:-$HOME/.local/state/platform-e2e}
#   pki/  CA, serving/client certs, service-account keys (openssl)
#   etcd/ data, logs/<component>.log, run/<component>.pid, kubeconfig
# Ports (override with PLATFORM_E2E_<NAME>_PORT): etcd 16379 (peer 16380),
# apiserver 16443, controller-manager 16257, scheduler 16259, kwok 16250.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
# The bin dir the running cluster was started from (the toolchain key may have
# changed since): pid checks, `down` and `status` use it.
RUN_BIN="$(cat "$RUN/bin-dir" 2>/dev/null || echo "$BIN")"

HOST=127.0.0.1
ETCD_PORT="${PLATFORM_E2E_ETCD_PORT:-16379}"
ETCD_PEER_PORT="${PLATFORM_E2E_ETCD_PEER_PORT:-16380}"
APISERVER_PORT="${PLATFORM_E2E_APISERVER_PORT:-16443}"
KCM_PORT="${PLATFORM_E2E_KCM_PORT:-16257}"
SCHEDULER_PORT="${PLATFORM_E2E_SCHEDULER_PORT:-16259}"
KWOK_PORT="${PLATFORM_E2E_KWOK_PORT:-16250}"
NODE_COUNT="${PLATFORM_E2E_NODES:-3}"
# A real node (e2e/node.sh: containerd, kubelet, kube-proxy, kube-router, CoreDNS) beside the kwok nodes; 0: kwok only.
REAL_NODE="${PLATFORM_E2E_REAL_NODE:-1}"
SERVICE_CIDR=10.96.0.0/16
SERVICE_IP=10.96.0.1
# Pod IPs are fake (kwok hands them out); nothing ever connects to them.
POD_CIDR=10.244.0.1/16

# Start order; `down` stops in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)


port_of() {
  case "$1" in
    etcd) echo "$ETCD_PORT $ETCD_PEER_PORT" ;;
    kube-apiserver) echo "$APISERVER_PORT" ;;
    kube-controller-manager) echo "$KCM_PORT" ;;
    kube-scheduler) echo "$SCHEDULER_PORT" ;;
    kwok) echo "$KWOK_PORT" ;;
  esac
}

# pid of a component if its pid file names a live process running our binary.
live_pid() { pid_running "$RUN/$1.pid" "$RUN_BIN/$1"; }

# Only a listener the components would collide with: on $HOST or a wildcard (the real node's apiserver bridge listens
# on the same port, on its veth address).
port_listening() { ss -Hltn "sport = :$1" 2>/dev/null | awk '{print $4}' | grep -Eq "^(${HOST//./\\.}|0\.0\.0\.0|\*|\[::\]):"; }


curl_api() {
  curl -sS --max-time 5 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://$HOST:$APISERVER_PORT$1"
}

# ---------------------------------------------------------------- PKI ----
gen_pki() {
  mkdir -p "$PKI"
  chmod 700 "$PKI"
  local o="$PKI"
  if [ ! -f "$o/ca.crt" ]; then
    log "pki: generating CA, serving and client certificates (openssl)"
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
      -keyout "$o/ca.key" -out "$o/ca.crt" -subj "/CN=platform-e2e-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  fi
  # Service-account token signing key pair.
  if [ ! -f "$o/sa.key" ]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$o/sa.key" 2>/dev/null
    openssl pkey -in "$o/sa.key" -pubout -out "$o/sa.pub" 2>/dev/null
  fi
  # name CN O extKeyUsage SANs
  local certs=(
    "apiserver|kube-apiserver||serverAuth|DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:$SERVICE_IP"
    "admin|platform-e2e-admin|system:masters|clientAuth|"
    "kube-controller-manager|system:kube-controller-manager||clientAuth|"
    "kube-scheduler|system:kube-scheduler||clientAuth|"
    "kwok|kwok-controller|system:masters|clientAuth|"
    "kwok-serving|kwok||serverAuth|DNS:localhost,IP:127.0.0.1"
  )
  local spec name cn org eku sans subj ext
  for spec in "${certs[@]}"; do
    IFS='|' read -r name cn org eku sans <<<"$spec"
    [ -f "$o/$name.crt" ] && continue
    subj="/CN=$cn"
    [ -n "$org" ] && subj="/O=$org$subj"
    ext="$o/$name.ext"
    {
      echo "basicConstraints=critical,CA:FALSE"
      echo "keyUsage=critical,digitalSignature,keyEncipherment"
      echo "extendedKeyUsage=$eku"
      [ -n "$sans" ] && echo "subjectAltName=$sans"
    } >"$ext"
    openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout "$o/$name.key" -out "$o/$name.csr" \
      -subj "$subj" 2>/dev/null
    openssl x509 -req -in "$o/$name.csr" -CA "$o/ca.crt" -CAkey "$o/ca.key" -CAcreateserial \
      -days 3650 -sha256 -extfile "$ext" -out "$o/$name.crt" 2>/dev/null
    rm -f "$o/$name.csr" "$ext"
  done
  chmod 600 "$o"/*.key
}

write_kubeconfig() { # <path> <cert name> <context name>
  local path="$1" cert="$2" ctx="$3"
  cat >"$path.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $ctx
  cluster:
    server: https://$HOST:$APISERVER_PORT
    certificate-authority: $PKI/ca.crt
users:
- name: $ctx-$cert
  user:
    client-certificate: $PKI/$cert.crt
    client-key: $PKI/$cert.key
contexts:
- name: $ctx
  context:
    cluster: $ctx
    user: $ctx-$cert
    namespace: default
current-context: $ctx
EOF
  chmod 600 "$path.tmp"
  mv -f "$path.tmp" "$path"
}

# ---------------------------------------------------------- processes ----
args_of() {
  case "$1" in
    etcd)
      echo --name=platform-e2e --data-dir="$STATE/etcd" \
        --listen-client-urls="http://$HOST:$ETCD_PORT" --advertise-client-urls="http://$HOST:$ETCD_PORT" \
        --listen-peer-urls="http://$HOST:$ETCD_PEER_PORT" \
        --initial-advertise-peer-urls="http://$HOST:$ETCD_PEER_PORT" \
        --initial-cluster="platform-e2e=http://$HOST:$ETCD_PEER_PORT" \
        --unsafe-no-fsync=true --quota-backend-bytes=2147483648 \
        --log-level=warn ;;
    kube-apiserver)
      # Kubelets are dialled by InternalIP: a node's host name would be looked up in the machine's resolver.
      # PodSecurity admission is on by default; privileged pods are allowed by
      # the apiserver so that PodSecurity (not --allow-privileged) decides.
      # Webhook admission is off: pods never run here, so no operator's webhook
      # (CloudNativePG's) can ever answer, and with failurePolicy Fail every
      # custom resource of the real charts would be refused.
      echo --etcd-servers="http://$HOST:$ETCD_PORT" \
        --bind-address=$HOST --secure-port="$APISERVER_PORT" --advertise-address=$HOST \
        --endpoint-reconciler-type=none \
        --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
        --client-ca-file="$PKI/ca.crt" \
        --kubelet-client-certificate="$PKI/admin.crt" --kubelet-client-key="$PKI/admin.key" \
        --kubelet-preferred-address-types=InternalIP \
        --service-account-issuer=https://kubernetes.default.svc.cluster.local \
        --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
        --service-cluster-ip-range=$SERVICE_CIDR \
        --authorization-mode=Node,RBAC \
        --enable-admission-plugins=NodeRestriction \
        --disable-admission-plugins=MutatingAdmissionWebhook,ValidatingAdmissionWebhook \
        --allow-privileged=true \
        --profiling=false ;;
    kube-controller-manager)
      echo --kubeconfig="$STATE/kube-controller-manager.kubeconfig" \
        --authentication-kubeconfig="$STATE/kube-controller-manager.kubeconfig" \
        --authorization-kubeconfig="$STATE/kube-controller-manager.kubeconfig" \
        --bind-address=$HOST --secure-port="$KCM_PORT" \
        --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
        --use-service-account-credentials=true \
        --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
        --service-cluster-ip-range=$SERVICE_CIDR \
        --leader-elect=false --profiling=false ;;
    kube-scheduler)
      echo --kubeconfig="$STATE/kube-scheduler.kubeconfig" \
        --authentication-kubeconfig="$STATE/kube-scheduler.kubeconfig" \
        --authorization-kubeconfig="$STATE/kube-scheduler.kubeconfig" \
        --bind-address=$HOST --secure-port="$SCHEDULER_PORT" \
        --leader-elect=false --profiling=false ;;
    kwok)
      # The node "kubelet" address is kwok's own loopback server, so nothing
      # (apiserver logs/exec) ever dials a non-loopback address.
      local stages="$BIN/../share/kwok-stages" configs="" f
      for f in "$stages"/*.yaml; do configs+=" --config=$f"; done
      # shellcheck disable=SC2086 # one --config=<file> word per stage file
      echo --kubeconfig="$STATE/kwok.kubeconfig" $configs \
        --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
        --cidr=$POD_CIDR --node-ip=$HOST --node-name=kwok-controller --node-port="$KWOK_PORT" \
        --server-address="$HOST:$KWOK_PORT" \
        --tls-cert-file="$PKI/kwok-serving.crt" --tls-private-key-file="$PKI/kwok-serving.key" \
        --node-lease-duration-seconds=40 ;;
  esac
}

start_component() {
  local c="$1" pid p
  if pid="$(live_pid "$c")"; then
    log "$c: already running (pid $pid)"
    return 0
  fi
  for p in $(port_of "$c"); do
    port_listening "$p" && die "$c: port $p is already in use by another process (ss -ltnp 'sport = :$p')"
  done
  # shellcheck disable=SC2046 # args are whitespace-free by construction
  setsid "$BIN/$c" $(args_of "$c") >>"$LOGS/$c.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$RUN/$c.pid"
  # Until the forked shell has exec'd the binary, /proc/<pid>/exe is bash or setsid and live_pid would call the
  # component dead (seen on a loaded machine); wait for the exec (or the process's end) before checking health.
  for ((p = 0; p < 100; p++)); do
    live_pid "$c" >/dev/null || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.05
  done
  log "$c: started (pid $pid, log $LOGS/$c.log)"
}

# wait_for <what> <timeout s> <command...>

alive_or_die() {
  live_pid "$1" >/dev/null || { tail -n 20 "$LOGS/$1.log" >&2; die "$1 exited; see $LOGS/$1.log"; }
}
etcd_healthy() { alive_or_die etcd; curl -sf --max-time 2 "http://$HOST:$ETCD_PORT/health" | grep -q '"health":"true"'; }
apiserver_ready() { alive_or_die kube-apiserver; [ "$(curl_api /readyz)" = ok ]; }
secure_healthz() { alive_or_die "$1"; [ "$(curl -sk --max-time 2 "https://$HOST:$2/healthz")" = ok ]; }
kwok_healthy() { alive_or_die kwok; curl -sk --max-time 2 "https://$HOST:$KWOK_PORT/healthz" | grep -q ok; }
nodes_ready() {
  local ready
  ready="$(kubectl_ get nodes -l type=kwok \
    -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '^True$')"
  [ "$ready" -ge "$NODE_COUNT" ]
}
default_sa() { kubectl_ -n default get serviceaccount default; }

create_nodes() {
  local i manifest=""
  for ((i = 0; i < NODE_COUNT; i++)); do
    manifest+="
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: \"0\"
  labels:
    type: kwok
    kubernetes.io/arch: amd64
    kubernetes.io/os: linux
    kubernetes.io/hostname: kwok-node-$i
    node-role.kubernetes.io/worker: \"\"
    topology.kubernetes.io/zone: zone-$((i % 3))
status:
  addresses:
  - {type: InternalIP, address: $HOST}
  - {type: Hostname, address: kwok-node-$i}
  allocatable: {cpu: \"16\", memory: 64Gi, pods: \"110\", ephemeral-storage: 100Gi}
  capacity: {cpu: \"16\", memory: 64Gi, pods: \"110\", ephemeral-storage: 100Gi}
  nodeInfo:
    architecture: amd64
    operatingSystem: linux
    kubeletVersion: v$KUBERNETES_VERSION
    kubeProxyVersion: v$KUBERNETES_VERSION
"
  done
  printf '%s\n' "$manifest" | kubectl_ apply -f - >/dev/null
}

is_up() {
  local c
  for c in "${COMPONENTS[@]}"; do live_pid "$c" >/dev/null || return 1; done
  [ "$(curl_api /readyz 2>/dev/null)" = ok ] && nodes_ready 2>/dev/null
}

cmd_up() {
  local c missing=()
  for c in "${COMPONENTS[@]}" kubectl; do
    [ -x "$BIN/$c" ] || missing+=("$c")
  done
  [ -d "$BIN/../share/kwok-stages" ] || missing+=("kwok-stages")
  [ ${#missing[@]} -eq 0 ] || die "toolchain not built (missing: ${missing[*]} in $BIN); run e2e/toolchain.sh"
  command -v openssl >/dev/null || die "openssl is required"
  command -v curl >/dev/null || die "curl is required"

  if is_up; then
    log "cluster already up (kubeconfig $KUBECONFIG_PATH)"
    [ "$RUN_BIN" = "$BIN" ] || log "note: it runs binaries from $RUN_BIN; \`down\` then \`up\` to use $BIN"
    [ "$REAL_NODE" = 1 ] && bash "$E2E_DIR/node.sh" up
    return 0
  fi
  local c2
  for c2 in "${COMPONENTS[@]}"; do
    if [ "$RUN_BIN" != "$BIN" ] && live_pid "$c2" >/dev/null; then
      die "$c2 is running from another toolchain ($RUN_BIN); run e2e/cluster.sh down first"
    fi
  done
  local start=$SECONDS
  mkdir -p "$STATE" "$LOGS" "$RUN"
  gen_pki
  write_kubeconfig "$KUBECONFIG_PATH" admin platform-e2e
  write_kubeconfig "$STATE/kube-controller-manager.kubeconfig" kube-controller-manager platform-e2e
  write_kubeconfig "$STATE/kube-scheduler.kubeconfig" kube-scheduler platform-e2e
  write_kubeconfig "$STATE/kwok.kubeconfig" kwok platform-e2e

  echo "$BIN" >"$RUN/bin-dir"
  RUN_BIN="$BIN"
  start_component etcd
  wait_for etcd 60 etcd_healthy
  start_component kube-apiserver
  wait_for "kube-apiserver /readyz" 180 apiserver_ready
  start_component kube-controller-manager
  start_component kube-scheduler
  start_component kwok
  wait_for kube-controller-manager 90 secure_healthz kube-controller-manager "$KCM_PORT"
  wait_for kube-scheduler 90 secure_healthz kube-scheduler "$SCHEDULER_PORT"
  wait_for kwok 60 kwok_healthy
  create_nodes
  wait_for "$NODE_COUNT kwok nodes Ready" 120 nodes_ready
  wait_for "default service account" 60 default_sa
  [ "$REAL_NODE" = 1 ] && bash "$E2E_DIR/node.sh" up
  log "cluster up in $((SECONDS - start))s; export KUBECONFIG=$KUBECONFIG_PATH"
  kubectl_ get nodes
}


cmd_down() {
  local purge=false i c pid p
  [ "${1:-}" = --purge ] && purge=true
  # The real node first (whatever PLATFORM_E2E_REAL_NODE says now): its kubelet needs the apiserver to stop cleanly.
  if ls "$RUN"/node-*.pid >/dev/null 2>&1 || ip netns list 2>/dev/null | grep -qw "^pe$APISERVER_PORT"; then
    bash "$E2E_DIR/node.sh" down || leftovers_node=1
  fi
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    c="${COMPONENTS[$i]}"
    if pid="$(live_pid "$c")"; then
      stop_pid "$c" "$pid"
    else
      log "$c: not running"
    fi
    rm -f "$RUN/$c.pid"
  done
  rm -f "$RUN/bin-dir"
  # Wait for the ports to be released.
  local leftovers=${leftovers_node:-0} start=$SECONDS
  for c in "${COMPONENTS[@]}"; do
    for p in $(port_of "$c"); do
      while port_listening "$p" && ((SECONDS - start < 20)); do sleep 0.2; done
      if port_listening "$p"; then
        log "LEFTOVER: port $p ($c) is still in use: $(ss -Hltnp "sport = :$p" 2>/dev/null | tr -s ' ')"
        leftovers=1
      fi
    done
  done
  # Report (never kill) processes of the toolchain that still use this state
  # dir (e.g. their pid file was lost); other state dirs are other clusters.
  local others="" foreign=0 d cmdline
  for d in /proc/[0-9]*; do
    case "$(readlink "$d/exe" 2>/dev/null)" in
      "$RUN_BIN"/etcd|"$RUN_BIN"/kube-*|"$RUN_BIN"/kwok|"$BIN"/etcd|"$BIN"/kube-*|"$BIN"/kwok)
        cmdline="$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null || true)"
        case "$cmdline" in
          *"$STATE/"*) others+="${d#/proc/} $cmdline"$'\n' ;;
          *) foreign=$((foreign + 1)) ;;
        esac ;;
    esac
  done
  others="${others%$'\n'}"
  if [ -n "$others" ]; then
    log "LEFTOVER processes using $STATE (not in pid files, left alone):"
    printf '%s\n' "$others" | cut -c1-200 >&2
    leftovers=1
  fi
  ((foreign == 0)) || log "note: $foreign toolchain processes of other clusters (other state dirs) are running"
  if $purge; then
    # Everything but the slot lock: the run that holds it keeps its slot across a purge.
    if [ -d "$STATE" ]; then find "$STATE" -mindepth 1 -maxdepth 1 ! -name slot.lock -exec rm -rf {} +; fi
    log "state dir $STATE emptied"
  fi
  if ((leftovers)); then
    log "cluster down, with leftovers (see above)"
    return 1
  fi
  log "cluster down; no process or port left"
}

cmd_status() {
  local c pid p ok=0 state
  for c in "${COMPONENTS[@]}"; do
    if pid="$(live_pid "$c")"; then state="running pid $pid"; else state="stopped"; ok=1; fi
    for p in $(port_of "$c"); do
      if port_listening "$p"; then state+=", :$p listening"; else state+=", :$p closed"; fi
    done
    printf '%-24s %s\n' "$c" "$state"
  done
  if [ -f "$PKI/admin.crt" ] && [ "$(curl_api /readyz 2>/dev/null)" = ok ]; then
    echo "apiserver /readyz        ok"
    kubectl_ get nodes -o wide 2>/dev/null || ok=1
    nodes_ready 2>/dev/null || ok=1
  else
    echo "apiserver /readyz        not ready"
    ok=1
  fi
  if [ "$REAL_NODE" = 1 ]; then bash "$E2E_DIR/node.sh" status || ok=1; fi
  echo "kubeconfig               $KUBECONFIG_PATH"
  return $ok
}

# A run that claimed this slot (e2e/harness/clusterSlot.ts writes $STATE/slot.lock: pid + process start time) owns
# its cluster: `up`/`down` from anywhere else would restart or destroy it under that run, so they stop here.
guard_slot() {
  local lock="$STATE/slot.lock" pid start p
  [ -f "$lock" ] || return 0
  pid="$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$lock")"
  start="$(sed -n 's/.*"start":"\([0-9]*\)".*/\1/p' "$lock")"
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 0
  [ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f20)" = "$start" ] || return 0
  # The owner itself, or a process it started, may manage the cluster.
  for ((p = $$; p > 1; p = $(sed 's/.*) //' "/proc/$p/stat" | cut -d' ' -f2))); do
    [ "$p" = "$pid" ] && return 0
  done
  die "slot $STATE is in use by another live run (pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-120)); wait for it, or use another PLATFORM_E2E_STATE and ports"
}

case "${1:-}" in
  up) guard_slot; cmd_up ;;
  down) shift; guard_slot; cmd_down "$@" ;;
  status) cmd_status ;;
  env) echo "export KUBECONFIG=$KUBECONFIG_PATH" ;;
  kubeconfig) echo "$KUBECONFIG_PATH" ;;
  *) sed -n '2,21p' "$0"; exit 2 ;;
esac
