// `npm run local:up` / `npm run local:down`: any stack or blueprint on a hermetic local cluster (see README "Local platform").
//   npm run local:up                                        the dev stack
//   npm run local:up -- --stack staging                     any Pulumi.<stack>.yaml
//   npm run local:up -- --config-file blueprints/traderx.yaml   a blueprint (stack named after the file)
//   npm run local:down -- <the same arguments>
import * as path from "path";
import {
    clusterDown,
    clusterIsUp,
    clusterUp,
    e2eEnv,
    ensureToolchain,
    missingTools,
    policyArgs,
    prepareWorkdir,
    pulumi,
    pulumiVisible,
    REPO,
    selectStack,
    stderrLog,
    STATE,
    toolchainBinDir,
} from "../e2e/harness/localCluster";
import { policyEnforcement, stackTarget, StackTarget } from "../tools/stackTargets";

const USAGE = "usage: local.ts up|down [--stack <name>] [--config-file <file.yaml>]";

/** `--stack X` and/or `--config-file F` → the stack to run (default: dev). */
export function localTarget(argv: string[]): StackTarget {
    let name: string | undefined;
    let file: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s, 2);
        const value = inline ?? argv[++i];
        if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
        if (flag === "--stack") name = value;
        else if (flag === "--config-file") file = value;
        else throw new Error(`unknown argument ${argv[i]}; ${USAGE}`);
    }
    if (file) return stackTarget(name ?? file, name ? file : undefined);
    return stackTarget(name ?? "dev");
}

async function up(t: StackTarget): Promise<void> {
    const t0 = Date.now();
    const step = (n: number, what: string) => stderrLog(`[${n}/5] ${what} (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
    step(1, "toolchain");
    const bin = await ensureToolchain();
    const env = e2eEnv(bin);
    step(2, "local cluster");
    await clusterUp(env);
    step(3, `stack ${t.name} from ${path.relative(REPO, t.configFile)} (file:// backend in ${path.join(STATE, "pulumi-state")})`);
    const cwd = prepareWorkdir(`local-${t.name}`, t.name, { baseFile: t.configFile });
    selectStack(t.name, cwd, env);
    const level = policyEnforcement(t);
    step(4, `pulumi up --stack ${t.name} with the policy pack (${level} enforcement)`);
    const code = await pulumiVisible(["up", "--yes", "--skip-preview", "--stack", t.name, ...policyArgs(level)], cwd, env);
    if (code !== 0) throw new Error(`pulumi up failed (exit ${code}); the cluster stays up for inspection (npm run local:down to remove it)`);
    step(5, "outputs");
    process.stdout.write(pulumi(["stack", "output", "--stack", t.name, "--json"], { cwd, env }).stdout);
    stderrLog(`done in ${((Date.now() - t0) / 1000).toFixed(0)}s. kubectl: export KUBECONFIG=${path.join(STATE, "kubeconfig")} PATH=${bin}:$PATH`);
}

async function down(t: StackTarget): Promise<void> {
    const bin = toolchainBinDir();
    if (missingTools(bin).length > 0) {
        stderrLog("toolchain not built: nothing was started");
        return;
    }
    const env = e2eEnv(bin);
    const cwd = prepareWorkdir(`local-${t.name}`, t.name, { baseFile: t.configFile });
    const selected = pulumi(["stack", "select", t.name], { cwd, env, allowFailure: true }).status === 0;
    if (selected && clusterIsUp(env)) {
        stderrLog(`destroying stack ${t.name}`);
        const code = await pulumiVisible(["destroy", "--yes", "--skip-preview", "--stack", t.name], cwd, env);
        if (code !== 0) stderrLog(`pulumi destroy failed (exit ${code}); stopping the cluster anyway`);
    }
    await clusterDown(env);
}

if (require.main === module) {
    const [cmd, ...rest] = process.argv.slice(2);
    Promise.resolve()
        .then(() => {
            const target = localTarget(rest);
            if (cmd === "up") return up(target);
            if (cmd === "down") return down(target);
            throw new Error(USAGE);
        })
        .catch((e: unknown) => {
            stderrLog(`error: ${e instanceof Error ? e.message : String(e)}`);
            process.exit(1);
        });
}
