# Source this file (bash/zsh) to use the hermetic e2e toolchain and cluster:
#   source e2e/env.sh
# It puts the toolchain bin dir first on PATH, points kubectl at the local
# cluster and makes the Pulumi CLI fully offline (file:// backend, no update
# check, no plugin downloads, provider plugins linked into PULUMI_HOME). It
# builds nothing; run e2e/toolchain.sh and e2e/cluster.sh up first.
#
# For another PULUMI_HOME (e.g. a throwaway one in a test), call
#   platform_e2e_pulumi_home DIR
# which exports PULUMI_HOME=DIR and links the provider plugins into it.

if [ -n "${BASH_SOURCE:-}" ]; then
  _platform_e2e_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
else
  _platform_e2e_dir="$(cd "$(dirname "$0")" && pwd)" # zsh
fi

PLATFORM_E2E_STATE="${PLATFORM_E2E_STATE:-$HOME/.local/state/platform-e2e}"
PLATFORM_E2E_TOOLCHAIN="$_platform_e2e_dir/toolchain.sh"
PLATFORM_E2E_BIN="$("$PLATFORM_E2E_TOOLCHAIN" --print-bin-dir)"
PLATFORM_E2E_PLUGINS="$("$PLATFORM_E2E_TOOLCHAIN" --print-plugins-dir)"
export PLATFORM_E2E_STATE PLATFORM_E2E_TOOLCHAIN PLATFORM_E2E_BIN PLATFORM_E2E_PLUGINS

case ":$PATH:" in
  *":$PLATFORM_E2E_BIN:"*) ;;
  *) export PATH="$PLATFORM_E2E_BIN:$PATH" ;;
esac

export KUBECONFIG="$PLATFORM_E2E_STATE/kubeconfig"

# Provider plugins are kept in plugin-cache layout (resource-<name>-v<ver>/)
# by toolchain.sh; the engine finds them in $PULUMI_HOME/plugins by version.
platform_e2e_pulumi_home() {
  export PULUMI_HOME="$1"
  "$PLATFORM_E2E_TOOLCHAIN" --link-plugins "$PULUMI_HOME"
}

# The provider binaries are also in the bin dir (on PATH); ignoring ambient
# plugins makes the engine take them from the plugin cache by version, so an
# npm pin that does not match the built provider fails loudly. Set
# PLATFORM_E2E_PROVIDERS_ON_PATH=1 to use whatever is on PATH instead (the
# engine then warns "using ... from $PATH" and ignores versions). The language
# host is found next to `pulumi` either way.
if [ "${PLATFORM_E2E_PROVIDERS_ON_PATH:-}" = 1 ]; then
  unset PULUMI_IGNORE_AMBIENT_PLUGINS
else
  export PULUMI_IGNORE_AMBIENT_PLUGINS=true
fi

# Pulumi: local state, offline.
platform_e2e_pulumi_home "$PLATFORM_E2E_STATE/pulumi-home"
export PULUMI_BACKEND_URL="file://$PLATFORM_E2E_STATE/pulumi-state"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-platform-e2e}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_DISABLE_REGISTRY_RESOLVE=true
export PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true

mkdir -p "$PLATFORM_E2E_STATE/pulumi-state"
unset _platform_e2e_dir
