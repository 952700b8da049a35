// `npm run local:up` / `npm run local:down`: the dev stack on a hermetic local cluster (see README "Local platform").
import * as path from "path";
import {
    clusterDown, clusterIsUp, clusterUp, e2eEnv, ensureToolchain, missingTools, policyArgs, prepareWorkdir, pulumi, pulumiVisible,
    selectStack, stderrLog, STATE, toolchainBinDir,
} from "../e2e/harness/localCluster";

const STACK = "dev";
const WORKDIR_NAME = "local-dev";

async function up(): Promise<void> {
    const t0 = Date.now();
    const step = (n: number, what: string) => stderrLog(`[${n}/5] ${what} (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
    step(1, "toolchain");
    const bin = await ensureToolchain();
    const env = e2eEnv(bin);
    step(2, "local cluster");
    await clusterUp(env);
    step(3, `stack ${STACK} (file:// backend in ${path.join(STATE, "pulumi-state")})`);
    const cwd = prepareWorkdir(WORKDIR_NAME, STACK);
    selectStack(STACK, cwd, env);
    step(4, `pulumi up --stack ${STACK} with the policy pack (dev enforcement)`);
    const code = await pulumiVisible(["up", "--yes", "--skip-preview", "--stack", STACK, ...policyArgs("dev")], cwd, env);
    if (code !== 0) throw new Error(`pulumi up failed (exit ${code}); the cluster stays up for inspection (npm run local:down to remove it)`);
    step(5, "outputs");
    process.stdout.write(pulumi(["stack", "output", "--stack", STACK, "--json"], { cwd, env }).stdout);
    stderrLog(`done in ${((Date.now() - t0) / 1000).toFixed(0)}s. kubectl: export KUBECONFIG=${path.join(STATE, "kubeconfig")} PATH=${bin}:$PATH`);
}

async function down(): Promise<void> {
    const bin = toolchainBinDir();
    if (missingTools(bin).length > 0) {
        stderrLog("toolchain not built: nothing was started");
        return;
    }
    const env = e2eEnv(bin);
    const cwd = prepareWorkdir(WORKDIR_NAME, STACK);
    const selected = pulumi(["stack", "select", STACK], { cwd, env, allowFailure: true }).status === 0;
    if (selected && clusterIsUp(env)) {
        stderrLog(`destroying stack ${STACK}`);
        const code = await pulumiVisible(["destroy", "--yes", "--skip-preview", "--stack", STACK], cwd, env);
        if (code !== 0) stderrLog(`pulumi destroy failed (exit ${code}); stopping the cluster anyway`);
    }
    await clusterDown(env);
}

const cmd = process.argv[2];
(cmd === "up" ? up() : cmd === "down" ? down() : Promise.reject(new Error("usage: local.ts up|down"))).catch((e: unknown) => {
    stderrLog(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
});
