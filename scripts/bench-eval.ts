// One benchmark sample in a fresh process: evaluates a stack (or nothing, for the floor) under mocks, then prints
// a JSON line with the in-process time, the resource count and the peak RSS. Run by scripts/bench.ts.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { projectRoot } from "../tools/chartMirror";
import { installMocks, settle } from "../tools/mocks";
import { runStack } from "../tools/stackEvaluator";
import { syntheticServices } from "./synthetic";

const ROOT = projectRoot(__dirname);

// The process settings entry.js applies under the CLI (bench.ts passes Pulumi.yaml's nodeargs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require(path.join(ROOT, "programProcess.js")) as { tuneProcess(): void }).tuneProcess();

async function main(): Promise<void> {
    const [mode, arg] = process.argv.slice(2);
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    let resources = 0;
    if (mode === "floor") {
        // The same mocks and stack resource with an empty program: what any Pulumi program pays.
        await installMocks({ stack: "floor" });
        await pulumi.runtime.runInPulumiStack(async () => ({}));
        await settle();
        resources = 0;
    } else if (mode === "stack") {
        const out = await runStack(arg);
        if (out.error) throw out.error;
        resources = out.resources.length;
    } else if (mode === "scale") {
        const n = Number(arg);
        const out = await runStack("dev", { configOverrides: syntheticServices(n) });
        if (out.error) throw out.error;
        resources = out.resources.length;
    } else {
        throw new Error(`usage: bench-eval floor | stack <name> | scale <services>`);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, resources, maxRssKiB: process.resourceUsage().maxRSS }) + "\n");
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
});
