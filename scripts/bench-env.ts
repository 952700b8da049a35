// Imported first by scripts/bench.ts: real-engine benchmarks get their own cluster (state dir and ports), so they
// never collide with `npm run local:up`'s dev stack or the e2e suite.
import * as os from "os";
import * as path from "path";

const defaults: Record<string, string> = {
    PLATFORM_E2E_STATE: path.join(os.homedir(), ".local", "state", "platform-e2e-bench"),
    PLATFORM_E2E_ETCD_PORT: "18379",
    PLATFORM_E2E_ETCD_PEER_PORT: "18380",
    PLATFORM_E2E_APISERVER_PORT: "18443",
    PLATFORM_E2E_KCM_PORT: "18257",
    PLATFORM_E2E_SCHEDULER_PORT: "18259",
    PLATFORM_E2E_KWOK_PORT: "18250",
};
for (const [k, v] of Object.entries(defaults)) process.env[k] = process.env[k] ?? v;
