// npm run fleet -- <up|preview|drift|destroy> [--file fleet.yaml] [--dry-run] [--json <file>] [--work-dir <dir>]
// Rolls a set of stacks in waves (docs/deployment.md "Fleet"): the cluster layers first, then each wave once the one
// before succeeded and is healthy, the stacks of a wave in parallel, each judged by the policy pack with its own pack
// config. Exit code: 0 all succeeded, 1 a stack failed (later waves untouched) or drift found, 2 a usage or fleet-file error.
import * as fs from "fs";
import * as path from "path";
import { policyEnforcement, readStackFile, StackTarget } from "../tools/stackTargets";
import { FleetError, FleetStack, planFleet, StackFacts } from "./fleet/plan";
import { essentialError, FleetOperation, FleetSummary, runFleet } from "./fleet/run";

const ROOT = path.resolve(__dirname, "..", fs.existsSync(path.resolve(__dirname, "..", "Pulumi.yaml")) ? "" : "..");
const USAGE = "usage: npm run fleet -- <up|preview|drift|destroy> [--file fleet.yaml] [--dry-run] [--json <file>] [--work-dir <dir>]";

interface Args {
    operation: FleetOperation;
    file: string;
    json?: string;
    workDir: string;
}

export function parseFleetArgs(argv: string[]): Args {
    const [verb, ...rest] = argv;
    const verbs: Record<string, FleetOperation> = { up: "up", preview: "preview", drift: "drift", destroy: "destroy" };
    if (!verb || !(verb in verbs)) throw new Error(`${verb ? `unknown command "${verb}"; ` : ""}${USAGE}`);
    const args: Args = { operation: verbs[verb], file: path.join(ROOT, "fleet.yaml"), workDir: ROOT };
    for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        const value = () => {
            const v = rest[++i];
            if (v === undefined || (v.startsWith("--") && v !== "-")) throw new Error(`${a} needs a value; ${USAGE}`);
            return v;
        };
        if (a === "--dry-run") {
            if (args.operation !== "up") throw new Error(`--dry-run goes with up (it previews the whole fleet); ${USAGE}`);
            args.operation = "preview";
        } else if (a === "--file") args.file = path.resolve(value());
        else if (a === "--json") args.json = value();
        else if (a === "--work-dir") args.workDir = path.resolve(value());
        else throw new Error(`unknown argument ${a}; ${USAGE}`);
    }
    return args;
}

/** The stack as the work dir holds it: its name and the absolute path of its config file. */
function workTarget(workDir: string, name: string, configFile?: string): StackTarget {
    return { name, configFile: path.resolve(workDir, configFile ?? `Pulumi.${name}.yaml`) };
}

/** What the planner needs of a stack, read from its stack file in the work dir. */
export function stackFacts(workDir: string): (name: string, configFile?: string) => StackFacts {
    return (name, configFile) => {
        const target = workTarget(workDir, name, configFile);
        const cfg = fs.existsSync(target.configFile) ? readStackFile(name, target.configFile) : undefined;
        const layer = cfg?.["platform:clusterLayer"];
        const context = cfg?.["kubernetes:context"];
        return {
            exists: cfg !== undefined,
            layer: cfg?.["platform:layer"] === "cluster",
            clusterLayer: typeof layer === "string" ? layer.split("/").at(-1) : undefined,
            ...(typeof context === "string" ? { kubernetesContext: context } : {}),
        };
    };
}

/** The pack config a stack is judged with: policy/config/<stack>.json, else its platform:environment's (as policy:check picks it). */
export function fleetPolicyConfig(workDir: string): (s: Pick<FleetStack, "name" | "configFile">) => string {
    return (s) => path.join(ROOT, "policy", "config", `${policyEnforcement(workTarget(workDir, s.name, s.configFile))}.json`);
}

/** The run's outcome in words, one line per stack. */
export function formatSummary(s: FleetSummary): string {
    const lines = [`fleet ${s.operation}: ${s.result} in ${(s.durationMs / 1000).toFixed(0)}s`];
    for (const r of s.waves.flat()) {
        const changes = r.changes
            ? Object.entries(r.changes)
                  .filter(([, n]) => n > 0)
                  .map(([k, n]) => `${k} ${n}`)
                  .join(", ")
            : "";
        lines.push(
            `  wave ${r.wave + 1} ${r.name}: ${r.result}${changes ? ` (${changes})` : ""}${r.drifted?.length ? `; drifted: ${r.drifted.join("; ")}` : r.drifted ? "; no drift" : ""}`,
        );
        if (r.error) lines.push(...r.error.split("\n").map((l) => `      ${l}`));
    }
    if (s.failure) lines.push(`stopped: ${s.failure.stack} failed; later waves were left untouched`);
    return lines.join("\n");
}

async function main(): Promise<number> {
    let args: Args;
    let plan;
    try {
        args = parseFleetArgs(process.argv.slice(2));
        if (!fs.existsSync(args.file)) throw new Error(`no fleet file ${args.file}; write one (see docs/deployment.md "Fleet") or pass --file`);
        plan = planFleet(fs.readFileSync(args.file, "utf8"), path.relative(process.cwd(), args.file) || args.file, stackFacts(args.workDir));
    } catch (e) {
        console.error(e instanceof FleetError || e instanceof Error ? e.message : String(e));
        return 2;
    }
    const ordered = args.operation === "destroy" ? [...plan.waves].reverse() : plan.waves;
    process.stderr.write(`[fleet] ${args.operation}: ${ordered.map((w, i) => `wave ${i + 1} [${w.map((s) => s.name).join(", ")}]`).join(" → ")}\n`);
    let summary: FleetSummary;
    try {
        summary = await runFleet(plan, {
            operation: args.operation,
            workDir: args.workDir,
            policyPack: path.join(ROOT, "policy"),
            policyConfig: fleetPolicyConfig(args.workDir),
        });
    } catch (e) {
        // The workspace itself could not start (no pulumi on PATH, no backend login): nothing ran.
        console.error(`fleet ${args.operation}: could not start: ${essentialError(e)}`);
        return 2;
    }
    console.error(formatSummary(summary));
    // The human view went to stderr; the machine-readable summary goes to stdout, or to the --json file.
    if (args.json && args.json !== "-") fs.writeFileSync(args.json, `${JSON.stringify(summary, null, 2)}\n`);
    else console.log(JSON.stringify(summary, null, 2));
    // A drift is a finding: the scheduled drift job fails on it, as a failed stack fails a roll.
    const drifted = summary.waves.flat().some((r) => (r.drifted?.length ?? 0) > 0);
    return summary.result === "succeeded" && !drifted ? 0 : 1;
}

if (require.main === module)
    void main().then((code) => {
        process.exitCode = code;
    });
