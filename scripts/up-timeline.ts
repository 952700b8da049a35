// Where `pulumi up` spends its time: runs an up of the dev-shaped bench stack from empty, stamps each engine event as it
// arrives (the events' own timestamps have 1 s resolution), then prints the critical path (from the last resource to
// finish, back through whichever dependency finished last) and the long waits that nothing depends on.
// Usage: npx ts-node --transpile-only scripts/up-timeline.ts   (needs the toolchain: npm run local:up)
import "./bench-env";
import { spawn } from "child_process";
import { clusterUp, e2eEnv, prepareWorkdir, pulumi, selectStack, toolchainBinDir } from "../e2e/harness/localCluster";
import { criticalPath, idleWaits, StateResource, Step } from "./timeline";

interface EngineEvent {
    resourcePreEvent?: { metadata: { urn: string } };
    resOutputsEvent?: { metadata: { urn: string } };
}

/** Runs `pulumi up --json` and returns each resource's step as seen by the wall clock of this process. */
function timedUp(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ steps: Map<string, Step>; ms: number }> {
    return new Promise((resolve, reject) => {
        const t0 = process.hrtime.bigint();
        const now = () => Number(process.hrtime.bigint() - t0) / 1e6;
        const child = spawn("pulumi", [...args, "--json", "--non-interactive"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        const steps = new Map<string, Step>();
        let buf = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => {
            buf += d.toString();
            let nl: number;
            while ((nl = buf.indexOf("\n")) >= 0) {
                const line = buf.slice(0, nl).trim();
                buf = buf.slice(nl + 1);
                if (!line.startsWith("{")) continue;
                const e = JSON.parse(line) as EngineEvent;
                const at = now();
                if (e.resourcePreEvent) steps.set(e.resourcePreEvent.metadata.urn, { start: at, end: at });
                if (e.resOutputsEvent) {
                    const s = steps.get(e.resOutputsEvent.metadata.urn);
                    steps.set(e.resOutputsEvent.metadata.urn, { start: s?.start ?? at, end: at });
                }
            }
        });
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve({ steps, ms: now() }) : reject(new Error(`pulumi up failed (${code}):\n${err.slice(-4000)}`))));
    });
}

const short = (urn: string) =>
    urn
        .split("::")
        .slice(-2)
        .join("::")
        .replace(/^kubernetes:/, "");

async function main(): Promise<void> {
    const env = e2eEnv(toolchainBinDir());
    await clusterUp(env);
    const cwd = prepareWorkdir("bench", "bench", { base: "dev", overrides: { "platform:namespace": { name: "shop-bench" } } });
    selectStack("bench", cwd, env);
    pulumi(["destroy", "--yes", "--skip-preview", "--stack", "bench"], { cwd, env });
    // --json needs events streamed line by line: the engine prints one JSON object per event.
    const { steps, ms } = await timedUp(["up", "--yes", "--skip-preview", "--stack", "bench"], cwd, env);
    const state = JSON.parse(pulumi(["stack", "export", "--stack", "bench"], { cwd, env }).stdout) as { deployment: { resources: StateResource[] } };
    const resources = state.deployment.resources;
    const s = (x: number) => (x / 1000).toFixed(1).padStart(6);
    process.stdout.write(`up: ${(ms / 1000).toFixed(1)} s, ${resources.length} resources\n\ncritical path (start, took, resource ← what it waited for):\n`);
    for (const p of criticalPath(resources, steps)) {
        process.stdout.write(`${s(p.step.start)}${s(p.step.end - p.step.start)}  ${short(p.urn)}${p.waitedFor ? `  ← ${short(p.waitedFor)}` : ""}\n`);
    }
    process.stdout.write(`\nwaits over 2 s that nothing depends on (skipAwait candidates unless the last to finish):\n`);
    for (const w of idleWaits(resources, steps, 2000)) process.stdout.write(`${s(w.step.start)}${s(w.step.end - w.step.start)}  ${short(w.urn)}\n`);
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
});
