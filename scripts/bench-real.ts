// Real-engine benchmarks: the Pulumi CLI and the local kube-apiserver built by the e2e toolchain (npm run local:up).
// Every ratio compares two commands measured in the same run, interleaved, as medians.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { formatTable, median, Row, Sample } from "./stats";
import { stagedPlan, StateObject } from "./kubectlPlan";
import { syntheticServices } from "./synthetic";
import { spawnSync } from "child_process";
import { fleetPolicyConfig } from "./fleet";
import { appOnLayer, layerConfig, writeFleetFile, writeStackFile } from "../e2e/harness/fleetStacks";
import {
    clusterDown,
    clusterIsUp,
    clusterUp,
    e2eEnv,
    kubectl,
    missingTools,
    policyArgs,
    preparePulumiHome,
    prepareWorkdir,
    pulumi,
    REPO,
    selectStack,
    STATE,
    toolchainBinDir,
} from "../e2e/harness/localCluster";

export interface RealOptions {
    runs: number;
    quick: boolean;
    progress: (s: string) => void;
    root: string;
}

const RSS_PROBE = path.join(REPO, "scripts", "rss-probe.js");

interface Timed {
    ms: number;
    programRssKiB: number;
}

/** Runs a Pulumi command and returns its wall time and the peak RSS of the program's node process. */
function timedPulumi(args: string[], cwd: string, env: NodeJS.ProcessEnv): Timed {
    const rssFile = path.join(STATE, `rss-${process.pid}.jsonl`);
    fs.rmSync(rssFile, { force: true });
    const r = pulumi(args, { cwd, env: { ...env, NODE_OPTIONS: `--require ${RSS_PROBE}`, PLATFORM_BENCH_RSS_FILE: rssFile } });
    let programRssKiB = 0;
    if (fs.existsSync(rssFile)) {
        for (const line of fs.readFileSync(rssFile, "utf8").split("\n").filter(Boolean)) {
            const rec = JSON.parse(line) as { program: boolean; maxRssKiB: number };
            if (rec.program) programRssKiB = Math.max(programRssKiB, rec.maxRssKiB);
        }
    }
    return { ms: r.ms, programRssKiB };
}

function toSample(xs: Timed[], resources = 0): Sample {
    return { wallMs: median(xs.map((x) => x.ms)), ms: median(xs.map((x) => x.ms)), resources, maxRssKiB: Math.max(0, ...xs.map((x) => x.programRssKiB)) };
}

/** An empty Pulumi program with the program's runtime settings (a JavaScript entry, no ts-node): what every program pays. */
function floorProject(): string {
    const dir = path.join(STATE, "work", "bench-floor");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: floor\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
    fs.writeFileSync(path.join(dir, "index.js"), "exports.empty = true;\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "floor", main: "index.js" }));
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    return dir;
}

/**
 * The program as it ran before the prebuilt entry: Pulumi.yaml with `typescript: true` (ts-node, transpile only) and
 * package.json main index.ts. Same sources and stack file, so the difference is program start alone.
 */
function fromSourcesWorkdir(name: string, stackFileFrom: string): string {
    const dir = prepareWorkdir(name, "bench", { fresh: true });
    fs.copyFileSync(path.join(stackFileFrom, "Pulumi.bench.yaml"), path.join(dir, "Pulumi.bench.yaml"));
    for (const f of ["Pulumi.yaml", "package.json"]) fs.rmSync(path.join(dir, f));
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        "name: platform\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n    tsconfig: tsconfig.pulumi.json\n",
    );
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "platform", main: "index.ts" }));
    return dir;
}

/** The policy pack as it loaded before its prebuilt entry: package.json main index.ts, transpiled by the CLI's ts-node. */
function sourcePack(): string {
    const dir = path.join(STATE, "work", "bench-pack-from-sources");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const pack = path.join(REPO, "policy");
    for (const f of fs.readdirSync(pack)) {
        if (f === "package.json" || f === "bin") continue;
        fs.symlinkSync(path.join(pack, f), path.join(dir, f));
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(pack, "package.json"), "utf8")) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...pkg, main: "index.ts", scripts: {} }, null, 2));
    return dir;
}

function resourceCount(cwd: string, stack: string, env: NodeJS.ProcessEnv): number {
    const exported = JSON.parse(pulumi(["stack", "export", "--stack", stack], { cwd, env }).stdout) as { deployment: { resources?: unknown[] } };
    return exported.deployment.resources?.length ?? 0;
}

const DROP_METADATA = ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink"];

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/**
 * State inputs → plain Kubernetes: unwrap decrypted secrets, drop the provider's `__` bookkeeping, undo its
 * `x_kubernetes_*` renaming.
 */
export function toManifest(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(toManifest);
    if (value === null || typeof value !== "object") return value;
    const rec = value as Record<string, unknown>;
    if (SECRET_SIG in rec) return typeof rec.plaintext === "string" ? toManifest(JSON.parse(rec.plaintext)) : rec.value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k.startsWith("__")) continue;
        out[k.startsWith("x_kubernetes_") ? k.replace(/_/g, "-") : k] = toManifest(v);
    }
    return out;
}

/** The stack's Kubernetes objects as plain manifests (from state), with their URNs, in state (dependency) order. */
function exportManifests(cwd: string, stack: string, env: NodeJS.ProcessEnv): StateObject[] {
    const exported = JSON.parse(pulumi(["stack", "export", "--stack", stack, "--show-secrets"], { cwd, env }).stdout) as {
        deployment: { resources: { urn: string; type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] };
    };
    const objs: StateObject[] = [];
    for (const r of exported.deployment.resources) {
        if (!r.type.startsWith("kubernetes:") || r.type === "kubernetes:helm.sh/v4:Chart" || !r.outputs?.kind || !r.inputs) continue;
        // What Pulumi sent (inputs), named as the provider named it (outputs: auto-names with suffixes).
        const o = toManifest(r.inputs) as StateObject["manifest"];
        const live = (r.outputs.metadata ?? {}) as Record<string, unknown>;
        const meta: Record<string, unknown> = { ...((o.metadata ?? {}) as Record<string, unknown>), name: live.name, namespace: live.namespace };
        for (const k of DROP_METADATA) delete meta[k];
        o.metadata = meta;
        const ann = (meta.annotations ?? {}) as Record<string, unknown>;
        delete ann["kubectl.kubernetes.io/last-applied-configuration"];
        objs.push({ urn: r.urn, manifest: o });
    }
    return objs;
}

const yamlDocs = (objs: StateObject[]) => objs.map((o) => yaml.dump(o.manifest)).join("---\n");

function kubectlOk(args: string[], env: NodeJS.ProcessEnv, input?: string): void {
    const r = kubectl(args, env, input);
    if (r.status !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${r.stderr}`);
}

function elapsed(t0: bigint): number {
    return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** The staged kubectl script (scripts/kubectlPlan.ts): each stage applied server-side, then waited for. */
function kubectlStaged(objs: StateObject[], env: NodeJS.ProcessEnv): number {
    const t0 = process.hrtime.bigint();
    for (const step of stagedPlan(objs)) {
        kubectlOk(["apply", "--server-side", "--force-conflicts", "-f", "-"], env, yamlDocs(step.apply));
        for (const w of step.waits) kubectlOk(w, env);
    }
    return elapsed(t0);
}

// In a cluster without the stack, the apiserver refuses namespaced objects (their namespace does not exist yet) and
// custom resources (their CRDs do not): for kubectl's dry run as for the provider's during a preview.
const EXPECTED_DRY_RUN_REFUSALS = [/namespaces? "[^"]+" not found/, /resource mapping not found|no matches for kind/, /ensure CRDs are installed first/];

/** `kubectl apply --server-side --dry-run=server` of the manifests in whatever state the cluster is in: the preview floor. */
function kubectlDryRun(objs: StateObject[], env: NodeJS.ProcessEnv): number {
    const t0 = process.hrtime.bigint();
    const defs = objs.filter((o) => o.manifest.kind === "CustomResourceDefinition" || o.manifest.kind === "Namespace");
    const r = kubectl(
        ["apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", "-"],
        env,
        yamlDocs([...defs, ...objs.filter((o) => !defs.includes(o))]),
    );
    const ms = elapsed(t0);
    const unexpected = r.stderr.split("\n").filter((l) => l.trim() && !EXPECTED_DRY_RUN_REFUSALS.some((re) => re.test(l)));
    if (r.status !== 0 && unexpected.length > 0) throw new Error(`kubectl apply --dry-run=server failed:\n${unexpected.join("\n")}`);
    return ms;
}

function kubectlDelete(objs: StateObject[], env: NodeJS.ProcessEnv): void {
    kubectlOk(["delete", "--ignore-not-found", "--wait=true", "--timeout=300s", "-f", "-"], env, yamlDocs([...objs].reverse()));
}

/** A ratio row with its goal: "1.23× kubectl dry run (goal ≤ 1.5: met)". */
function versus(name: string, m: Sample, anchor: number, anchorName: string, goal?: number, note?: string): Row {
    const ratio = m.wallMs / anchor;
    const verdict = goal === undefined ? "" : ` (goal ≤ ${goal}: ${ratio <= goal ? "met" : "missed"})`;
    return { name, median: m, ratio, ratioOf: `${anchorName}${verdict}`, note };
}

const fixed = (ms: number): Sample => ({ wallMs: ms, ms, resources: 0, maxRssKiB: 0 });

export async function realBenchmarks(opts: RealOptions): Promise<{ rows: Row[]; skipped?: string }> {
    const bin = toolchainBinDir();
    const missing = missingTools(bin);
    if (missing.length > 0) return { rows: [], skipped: `toolchain not built (missing ${missing.join(", ")}); run npm run local:up first` };
    const env = e2eEnv(bin);
    const started = !clusterIsUp(env);
    if (started) {
        opts.progress("starting the benchmark cluster");
        await clusterUp(env);
    }
    const rows: Row[] = [];
    const floor = floorProject();
    selectStack("bench", floor, env);
    const ns = "shop-bench";
    const cwd = prepareWorkdir("bench", "bench", { base: "dev", overrides: { "platform:namespace": { name: ns } }, fresh: true });
    selectStack("bench", cwd, env);
    const stackArgs = ["--stack", "bench"];
    const packArgs = policyArgs("dev");
    // The "before" rows (program and pack run from TypeScript) are measured in full runs only.
    const fromSources = opts.quick
        ? undefined
        : { cwd: fromSourcesWorkdir("bench-from-sources", cwd), packArgs: ["--policy-pack", sourcePack(), ...packArgs.slice(2)] };

    opts.progress("manifests for the kubectl anchors: one up, export, destroy");
    pulumi(["up", "--yes", "--skip-preview", ...stackArgs], { cwd, env });
    let objs = exportManifests(cwd, "bench", env);
    pulumi(["destroy", "--yes", "--skip-preview", ...stackArgs], { cwd, env });

    opts.progress(
        `preview (cluster without the stack): kubectl dry run, floor, dev with and without the pack, with the CLI's automatic log off and on${fromSources ? ", from TypeScript" : ""}`,
    );
    const pv: Record<string, Timed[]> = { floor: [], dev: [], devLog: [], devTs: [], devPolicy: [], devPolicyLog: [], devPolicyTs: [] };
    const dry: number[] = [];
    const pulumiHome = env.PULUMI_HOME ?? "";
    // The CLI's default: its automatic log on (e2e/toolchain.sh turns it off in the hermetic PULUMI_HOME).
    const withAutomaticLog = (f: () => Timed): Timed => {
        preparePulumiHome(pulumiHome, true);
        try {
            return f();
        } finally {
            preparePulumiHome(pulumiHome, false);
        }
    };
    for (let i = 0; i < opts.runs; i++) {
        dry.push(kubectlDryRun(objs, env));
        pv.floor.push(timedPulumi(["preview", ...stackArgs], floor, env));
        pv.dev.push(timedPulumi(["preview", ...stackArgs], cwd, env));
        pv.devLog.push(withAutomaticLog(() => timedPulumi(["preview", ...stackArgs], cwd, env)));
        pv.devPolicy.push(timedPulumi(["preview", ...stackArgs, ...packArgs], cwd, env));
        pv.devPolicyLog.push(withAutomaticLog(() => timedPulumi(["preview", ...stackArgs, ...packArgs], cwd, env)));
        if (fromSources) {
            pv.devTs.push(timedPulumi(["preview", ...stackArgs], fromSources.cwd, env));
            pv.devPolicyTs.push(timedPulumi(["preview", ...stackArgs, ...fromSources.packArgs], cwd, env));
        }
        opts.progress(`  run ${i + 1}/${opts.runs}`);
    }
    const dryMs = median(dry);
    const dev = toSample(pv.dev);
    const devLog = toSample(pv.devLog);
    rows.push({ name: "kubectl apply --server-side --dry-run=server (anchor)", median: fixed(dryMs) });
    rows.push(versus("preview: empty program (floor)", toSample(pv.floor), dryMs, "kubectl dry run"));
    rows.push(versus("preview dev", dev, dryMs, "kubectl dry run", 1.25));
    rows.push(
        versus(
            "preview dev, CLI automatic log on (CLI default)",
            devLog,
            dryMs,
            "kubectl dry run",
            undefined,
            `the CLI's automatic log costs ${(devLog.wallMs - dev.wallMs).toFixed(0)} ms (${(devLog.wallMs / dev.wallMs).toFixed(2)}× preview dev)`,
        ),
    );
    rows.push(versus("preview dev + policy pack", toSample(pv.devPolicy), dev.wallMs, "preview dev", 1.25));
    rows.push(versus("preview dev + pack, automatic log on", toSample(pv.devPolicyLog), devLog.wallMs, "preview dev, automatic log on", 1.25));
    if (fromSources) {
        rows.push(
            versus(
                "preview dev, program via ts-node (before)",
                toSample(pv.devTs),
                dev.wallMs,
                "preview dev",
                undefined,
                `program start from TypeScript costs ${(toSample(pv.devTs).wallMs - dev.wallMs).toFixed(0)} ms over the prebuilt JavaScript`,
            ),
        );
        rows.push(versus("preview dev + pack via ts-node (before)", toSample(pv.devPolicyTs), dev.wallMs, "preview dev"));
    }

    // Each section's rows as soon as they exist: a long run stopped later still leaves its numbers.
    opts.progress(formatTable("Real engine so far", rows));
    opts.progress("scale: preview of synthetic stacks");
    const sizes = opts.quick ? [10, 50] : [10, 50, 200];
    const per: Record<number, Timed[]> = Object.fromEntries(sizes.map((n) => [n, []]));
    const dirs = sizes.map((n) =>
        prepareWorkdir(`bench-scale-${n}`, "bench", {
            base: "dev",
            overrides: { ...prefixed(syntheticServices(n)), "platform:namespace": { name: `shop-scale-${n}` } },
            fresh: true,
        }),
    );
    dirs.forEach((d) => selectStack("bench", d, env));
    // Interleaved like the rest: machine load drifts over minutes.
    for (let i = 0; i < opts.runs; i++) {
        sizes.forEach((n, j) => per[n].push(timedPulumi(["preview", "--stack", "bench"], dirs[j], env)));
        opts.progress(`  run ${i + 1}/${opts.runs}`);
    }
    const ten = toSample(per[10]);
    for (const n of sizes) {
        rows.push(
            n === 10
                ? { name: "preview 10 services", median: ten }
                : versus(`preview ${n} services`, toSample(per[n]), ten.wallMs, "10 services", n === 50 ? 1.4 : undefined),
        );
    }
    // Each section's rows as soon as they exist: a long run stopped later still leaves its numbers.
    opts.progress(formatTable("Real engine so far", rows));
    opts.progress("up from empty to Ready vs the staged kubectl script (same manifests, same order)");
    const ups: Timed[] = [];
    // The DIY backend rewrites the whole state after every step (over half the CLI's CPU in an up from empty):
    // measured once with that off, to show its share; never the goal row, since it trades away crash safety.
    const upsNoCheckpoints: Timed[] = [];
    const staged: number[] = [];
    const noops: Timed[] = [];
    const floorUps: Timed[] = [];
    const deployedPreviews: Timed[] = [];
    const secondDeployedPreviews: Timed[] = [];
    const deployedDry: number[] = [];
    pulumi(["up", "--yes", "--skip-preview", "--stack", "bench"], { cwd: floor, env });
    let count = 0;
    for (let i = 0; i < opts.runs; i++) {
        ups.push(timedPulumi(["up", "--yes", "--skip-preview", ...stackArgs], cwd, env));
        count = resourceCount(cwd, "bench", env);
        noops.push(timedPulumi(["up", "--yes", "--skip-preview", ...stackArgs], cwd, env));
        floorUps.push(timedPulumi(["up", "--yes", "--skip-preview", "--stack", "bench"], floor, env));
        objs = exportManifests(cwd, "bench", env);
        deployedDry.push(kubectlDryRun(objs, env));
        deployedPreviews.push(timedPulumi(["preview", ...stackArgs], cwd, env));
        secondDeployedPreviews.push(timedPulumi(["preview", ...stackArgs], cwd, env));
        pulumi(["destroy", "--yes", "--skip-preview", ...stackArgs], { cwd, env });
        upsNoCheckpoints.push(timedPulumi(["up", "--yes", "--skip-preview", ...stackArgs], cwd, { ...env, PULUMI_SKIP_CHECKPOINTS: "true" }));
        pulumi(["destroy", "--yes", "--skip-preview", ...stackArgs], { cwd, env });
        staged.push(kubectlStaged(objs, env));
        kubectlDelete(objs, env);
        opts.progress(`  run ${i + 1}/${opts.runs}`);
    }
    const stagedMs = median(staged);
    rows.push({ name: "kubectl staged script + waits (anchor)", median: fixed(stagedMs) });
    const up = toSample(ups, count);
    rows.push(versus("pulumi up (empty → Ready)", up, stagedMs, "staged kubectl", 2));
    const upNoCheckpoints = toSample(upsNoCheckpoints, count);
    rows.push(
        versus(
            "pulumi up, PULUMI_SKIP_CHECKPOINTS=true (not a default)",
            upNoCheckpoints,
            stagedMs,
            "staged kubectl",
            undefined,
            `the DIY backend's state write after every step costs ${(up.wallMs - upNoCheckpoints.wallMs).toFixed(0)} ms of the up (${(up.wallMs / upNoCheckpoints.wallMs).toFixed(2)}×)`,
        ),
    );
    const floorUp = toSample(floorUps);
    rows.push({ name: "no-op up: empty program (floor)", median: floorUp });
    rows.push(versus("no-op up dev", toSample(noops, count), floorUp.wallMs, "floor", 2));
    const deployedDryMs = median(deployedDry);
    rows.push({ name: "kubectl dry run, stack deployed", median: fixed(deployedDryMs) });
    rows.push(versus("preview dev, stack deployed (no changes)", toSample(deployedPreviews), deployedDryMs, "kubectl dry run (deployed)", 1.5));
    // A second no-op preview right after the first must not pay more (nothing cached may go stale between them).
    rows.push(
        versus("second no-op preview, stack deployed", toSample(secondDeployedPreviews), toSample(deployedPreviews).wallMs, "the first no-op preview", 1.1),
    );

    pulumi(["destroy", "--yes", "--skip-preview", "--stack", "bench"], { cwd: floor, env });

    opts.progress(formatTable("Real engine so far", rows));
    opts.progress("fleet: a cluster layer and two app stacks on it, rolled by npm run fleet vs the same stacks up one by one");
    rows.push(...fleetRows(opts, env));
    if (started) await clusterDown(env);
    return { rows };
}

/**
 * `npm run fleet -- up` of a layer and two app stacks (one wave after the layer, in parallel, each previewed, judged by
 * the pack and health-gated) vs the same stacks' `pulumi up` with the pack one after another. The layer is deployed
 * once beforehand (its up is a no-op on both sides), and the apps are destroyed between runs.
 */
function fleetRows(opts: RealOptions, env: NodeJS.ProcessEnv): Row[] {
    const by = "scripts/bench-real.ts";
    const apps = ["bench-fleet-a", "bench-fleet-b"];
    const cwd = prepareWorkdir("bench-fleet", "cluster", { baseFile: "Pulumi.cluster.yaml", fresh: true });
    writeStackFile(cwd, "cluster", layerConfig(), by);
    for (const a of apps) writeStackFile(cwd, a, appOnLayer(a), by);
    for (const s of ["cluster", ...apps]) selectStack(s, cwd, env);
    const file = writeFleetFile(cwd, "fleet.yaml", [{ name: "cluster" }, ...apps.map((name) => ({ name, dependsOn: ["cluster"] }))]);
    // Each stack judged with the pack config the fleet picks for it.
    const packConfig = fleetPolicyConfig(cwd);
    const pack = (name: string) => ["--policy-pack", path.join(REPO, "policy"), "--policy-pack-config", packConfig({ name })];
    pulumi(["up", "--yes", "--skip-preview", "--stack", "cluster"], { cwd, env });
    const destroyApps = () => apps.forEach((a) => pulumi(["destroy", "--yes", "--skip-preview", "--stack", a], { cwd, env }));
    const fleetMs: number[] = [];
    const oneByOneMs: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
        const t0 = Date.now();
        const r = spawnSync(
            path.join(REPO, "node_modules", ".bin", "ts-node"),
            ["--transpile-only", path.join(REPO, "scripts", "fleet.ts"), "up", "--file", file, "--work-dir", cwd],
            { cwd: REPO, env, encoding: "utf8", maxBuffer: 64 << 20 },
        );
        fleetMs.push(Date.now() - t0);
        if (r.status !== 0) throw new Error(`fleet up failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
        destroyApps();
        const t1 = Date.now();
        for (const s of ["cluster", ...apps]) pulumi(["up", "--yes", "--stack", s, ...pack(s)], { cwd, env });
        oneByOneMs.push(Date.now() - t1);
        destroyApps();
        opts.progress(`  run ${i + 1}/${opts.runs}`);
    }
    pulumi(["destroy", "--yes", "--skip-preview", "--stack", "cluster"], { cwd, env });
    const oneByOne = median(oneByOneMs);
    return [
        { name: "layer + 2 app stacks up one by one, with the pack (anchor)", median: fixed(oneByOne) },
        versus("npm run fleet -- up (same stacks, apps in one wave, health-gated)", fixed(median(fleetMs)), oneByOne, "one by one", 1),
    ];
}

/** `services` → `platform:services` for stack-file overrides. */
function prefixed(o: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [`platform:${k}`, v]));
}
