# Shared by e2e/cluster.sh and e2e/node.sh (sourced, not run): the slot's paths, logging, waiting and stopping.
# The sourcing script sets LOG_PREFIX (e.g. "node: ") and ERR_FD (where die writes) before sourcing, or takes the defaults.

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$E2E_DIR/versions.env"

STATE="${PLATFORM_E2E_STATE:-$HOME/.local/state/platform-e2e}"
BIN="${PLATFORM_E2E_BIN:-$("$E2E_DIR/toolchain.sh" --print-bin-dir)}"
# Physical path: it is compared with /proc/<pid>/exe.
[ -d "$BIN" ] && BIN="$(cd "$BIN" && pwd -P)"
PKI="$STATE/pki"
LOGS="$STATE/logs"
RUN="$STATE/run"
KUBECONFIG_PATH="$STATE/kubeconfig"
LOG_PREFIX="${LOG_PREFIX:-}"
ERR_FD="${ERR_FD:-2}"

log() { printf '[%s] %s%s\n' "$(date +%H:%M:%S)" "$LOG_PREFIX" "$*"; }
die() { log "ERROR: $*" >&"$ERR_FD"; exit 1; }
kubectl_() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }

# The pid in <pidfile> when it names a live process running <exe> (a deleted binary counts: the toolchain may be rebuilt).
pid_running() { # <pidfile> <exe>
  local pid exe
  [ -f "$1" ] || return 1
  pid="$(cat "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  [ "$exe" = "$2" ] || [ "$exe" = "$2 (deleted)" ] || return 1
  echo "$pid"
}

# Waits until <command> succeeds, a progress line every <every> seconds; dies naming <what> after <timeout> seconds.
wait_for() { # <what> <timeout> <command...>
  local what="$1" timeout="$2" start=$SECONDS every="${WAIT_EVERY:-5}" next
  next=$every
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS - start < timeout)) || die "$what: not ready after ${timeout}s (logs in $LOGS)"
    if ((SECONDS - start >= next)); then log "  waiting for $what ... $((SECONDS - start))s"; next=$((next + every)); fi
    sleep 0.5
  done
  log "$what: ready after $((SECONDS - start))s"
}

# SIGTERM, then SIGKILL after <grace> seconds.
stop_pid() { # <what> <pid> [grace seconds]
  local what="$1" pid="$2" grace="${3:-15}" i
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { log "$what: stopped (pid $pid)"; return 0; }
    sleep 0.1
  done
  log "$what: still running after ${grace}s, sending SIGKILL to pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
}
