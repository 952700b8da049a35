// Loaded first by tests/e2e/.mocharc.json: the e2e suite gets its own cluster (state dir and ports), so it never
// touches the cluster or the dev stack of `npm run local:up`.
import * as os from "os";
import * as path from "path";

const defaults: Record<string, string> = {
    PLATFORM_E2E_STATE: path.join(os.homedir(), ".local", "state", "platform-e2e-test"),
    PLATFORM_E2E_ETCD_PORT: "17379",
    PLATFORM_E2E_ETCD_PEER_PORT: "17380",
    PLATFORM_E2E_APISERVER_PORT: "17443",
    PLATFORM_E2E_KCM_PORT: "17257",
    PLATFORM_E2E_SCHEDULER_PORT: "17259",
    PLATFORM_E2E_KWOK_PORT: "17250",
};
for (const [k, v] of Object.entries(defaults)) process.env[k] = process.env[k] ?? v;
