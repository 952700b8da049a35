// Where `pulumi up` spends its time: runs an up of the dev-shaped bench stack with --json and prints, per resource,
// when its step started and how long it took (steps over 0.3 s), so the critical path can be read off.
// Usage: npx ts-node --transpile-only scripts/up-timeline.ts   (needs the toolchain: npm run local:up)
import "./bench-env";
import { clusterUp, e2eEnv, prepareWorkdir, pulumi, selectStack, toolchainBinDir } from "../e2e/harness/localCluster";

interface EngineEvent { timestamp: number; resourcePreEvent?: { metadata: { urn: string } }; resOutputsEvent?: { metadata: { urn: string } } }

async function main(): Promise<void> {
    const env = e2eEnv(toolchainBinDir());
    await clusterUp(env);
    const cwd = prepareWorkdir("bench", "bench", { base: "dev", overrides: { "platform:namespace": { name: "shop-bench" } } });
    selectStack("bench", cwd, env);
    pulumi(["destroy", "--yes", "--skip-preview", "--stack", "bench"], { cwd, env });
    const r = pulumi(["up", "--yes", "--skip-preview", "--stack", "bench", "--json"], { cwd, env });
    const started: Record<string, number> = {};
    const rows: { name: string; at: number; took: number }[] = [];
    let t0 = 0;
    for (const line of r.stdout.split("\n").filter((l) => l.startsWith("{"))) {
        const e = JSON.parse(line) as EngineEvent;
        t0 = t0 || e.timestamp;
        if (e.resourcePreEvent) started[e.resourcePreEvent.metadata.urn] = e.timestamp;
        if (e.resOutputsEvent) {
            const urn = e.resOutputsEvent.metadata.urn;
            const at = started[urn] ?? e.timestamp;
            rows.push({ name: urn.split("::").slice(-2).join("::"), at: at - t0, took: e.timestamp - at });
        }
    }
    process.stdout.write(`up: ${(r.ms / 1000).toFixed(1)} s (event timestamps have 1 s resolution)\n  start  took  resource\n`);
    for (const row of rows.sort((a, b) => a.at - b.at).filter((x) => x.took > 0.3)) {
        process.stdout.write(`${row.at.toFixed(0).padStart(7)}${row.took.toFixed(0).padStart(6)}  ${row.name}\n`);
    }
}

main().catch((e: unknown) => { process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`); process.exit(1); });
