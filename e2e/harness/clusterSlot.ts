// A separate local cluster per user of the hermetic toolchain (local:up, e2e, bench): its own state dir and ports.
// Must run before e2e/harness/localCluster.ts is loaded, which reads PLATFORM_E2E_STATE once.
import * as os from "os";
import * as path from "path";

/** Points the harness at `~/.local/state/<stateDir>` and ports `<prefix>xxx` unless the environment already says. */
export function useClusterSlot(stateDir: string, portPrefix: number): void {
    const port = (suffix: string) => `${portPrefix}${suffix}`;
    const defaults: Record<string, string> = {
        PLATFORM_E2E_STATE: path.join(os.homedir(), ".local", "state", stateDir),
        PLATFORM_E2E_ETCD_PORT: port("379"),
        PLATFORM_E2E_ETCD_PEER_PORT: port("380"),
        PLATFORM_E2E_APISERVER_PORT: port("443"),
        PLATFORM_E2E_KCM_PORT: port("257"),
        PLATFORM_E2E_SCHEDULER_PORT: port("259"),
        PLATFORM_E2E_KWOK_PORT: port("250"),
    };
    for (const [k, v] of Object.entries(defaults)) process.env[k] = process.env[k] ?? v;
}
