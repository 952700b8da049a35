// Real-engine benchmarks: the Pulumi CLI and the local kube-apiserver built by the e2e toolchain (npm run local:up).
// Every ratio compares two commands measured in the same run, interleaved, as medians.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { median, Row, Sample } from "./stats";
import { syntheticServices } from "./synthetic";
import {
    clusterDown, clusterIsUp, clusterUp, e2eEnv, kubectl, missingTools, policyArgs, prepareWorkdir, pulumi, REPO, selectStack, STATE,
    toolchainBinDir,
} from "../e2e/harness/localCluster";

export interface RealOptions { runs: number; quick: boolean; progress: (s: string) => void; root: string }

const RSS_PROBE = path.join(REPO, "scripts", "rss-probe.js");

interface Timed { ms: number; programRssKiB: number }

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

/** An empty Pulumi TypeScript program with the same runtime settings: the floor every program pays. */
function floorProject(): string {
    const dir = path.join(STATE, "work", "bench-floor");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: floor\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n    tsconfig: tsconfig.pulumi.json\n");
    fs.writeFileSync(path.join(dir, "index.ts"), "export const empty = true;\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "floor", main: "index.ts" }));
    for (const f of ["tsconfig.json", "tsconfig.pulumi.json", "node_modules"]) {
        const link = path.join(dir, f);
        if (!fs.existsSync(link)) fs.symlinkSync(path.join(REPO, f), link);
    }
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

/** The stack's Kubernetes objects as plain manifests (from state outputs), CRDs and Namespaces first. */
function exportManifests(cwd: string, stack: string, env: NodeJS.ProcessEnv): { first: object[]; rest: object[] } {
    const exported = JSON.parse(pulumi(["stack", "export", "--stack", stack, "--show-secrets"], { cwd, env }).stdout) as { deployment: { resources: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } };
    const first: object[] = [];
    const rest: object[] = [];
    for (const r of exported.deployment.resources) {
        if (!r.type.startsWith("kubernetes:") || r.type === "kubernetes:helm.sh/v4:Chart" || !r.outputs?.kind || !r.inputs) continue;
        // What Pulumi sent (inputs), named as the provider named it (outputs: auto-names with suffixes).
        const o = toManifest(r.inputs) as Record<string, unknown>;
        const live = (r.outputs.metadata ?? {}) as Record<string, unknown>;
        const meta: Record<string, unknown> = { ...((o.metadata ?? {}) as Record<string, unknown>), name: live.name, namespace: live.namespace };
        for (const k of DROP_METADATA) delete meta[k];
        o.metadata = meta;
        const ann = (meta.annotations ?? {}) as Record<string, unknown>;
        delete ann["kubectl.kubernetes.io/last-applied-configuration"];
        (o.kind === "CustomResourceDefinition" || o.kind === "Namespace" ? first : rest).push(o);
    }
    return { first, rest };
}

function kubectlOk(args: string[], env: NodeJS.ProcessEnv, input?: string): void {
    const r = kubectl(args, env, input);
    if (r.status !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${r.stderr}`);
}

/** kubectl apply --server-side of the manifests, then the same readiness Pulumi waits for. */
function kubectlApplyAndWait(m: { first: object[]; rest: object[] }, namespace: string, env: NodeJS.ProcessEnv): number {
    const t0 = process.hrtime.bigint();
    const doc = (xs: object[]) => xs.map((x) => yaml.dump(x)).join("---\n");
    kubectlOk(["apply", "--server-side", "--force-conflicts", "-f", "-"], env, doc(m.first));
    kubectlOk(["wait", "--for=condition=Established", "crd", "--all", "--timeout=120s"], env);
    kubectlOk(["apply", "--server-side", "--force-conflicts", "-f", "-"], env, doc(m.rest));
    kubectlOk(["wait", "--for=condition=Available", "deployment", "--all", "-A", "--timeout=600s"], env);
    kubectlOk(["wait", "--for=condition=Complete", "job", "--all", "-n", namespace, "--timeout=600s"], env);
    kubectlOk(["rollout", "status", "statefulset", "-n", namespace, "--timeout=600s"], env);
    return Number(process.hrtime.bigint() - t0) / 1e6;
}

function kubectlDelete(m: { first: object[]; rest: object[] }, env: NodeJS.ProcessEnv): void {
    const doc = [...m.rest, ...m.first].map((x) => yaml.dump(x)).join("---\n");
    kubectlOk(["delete", "--ignore-not-found", "--wait=true", "--timeout=300s", "-f", "-"], env, doc);
}

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

    opts.progress("preview: floor vs dev, without and with the policy pack");
    const pv: Record<string, Timed[]> = { floor: [], dev: [], devPolicy: [], devTypeCheck: [] };
    // Type-checking on every preview was the default before tsconfig.pulumi.json (noCheck); measured for comparison.
    const typeCheckEnv = { ...env, PULUMI_NODEJS_TRANSPILE_ONLY: "false" };
    for (let i = 0; i < opts.runs; i++) {
        pv.floor.push(timedPulumi(["preview", "--stack", "bench"], floor, env));
        pv.dev.push(timedPulumi(["preview", ...stackArgs], cwd, env));
        pv.devTypeCheck.push(timedPulumi(["preview", ...stackArgs], cwd, typeCheckEnv));
        pv.devPolicy.push(timedPulumi(["preview", ...stackArgs, ...policyArgs("dev")], cwd, env));
        opts.progress(`  run ${i + 1}/${opts.runs}`);
    }
    const floorPreview = toSample(pv.floor);
    rows.push({ name: "preview: empty program (floor)", median: floorPreview });
    rows.push({ name: "preview dev", median: toSample(pv.dev), ratio: median(pv.dev.map((x) => x.ms)) / floorPreview.wallMs, ratioOf: "floor" });
    rows.push({ name: "preview dev, type-checked (old default)", median: toSample(pv.devTypeCheck), ratio: median(pv.devTypeCheck.map((x) => x.ms)) / floorPreview.wallMs, ratioOf: "floor" });
    rows.push({ name: "preview dev + policy pack", median: toSample(pv.devPolicy), ratio: median(pv.devPolicy.map((x) => x.ms)) / floorPreview.wallMs, ratioOf: "floor" });

    opts.progress("up from empty to Ready vs kubectl apply --server-side + wait (same manifests)");
    const ups: Timed[] = [];
    const applies: number[] = [];
    const noops: Timed[] = [];
    const floorUps: Timed[] = [];
    pulumi(["up", "--yes", "--skip-preview", "--stack", "bench"], { cwd: floor, env });
    let count = 0;
    for (let i = 0; i < opts.runs; i++) {
        ups.push(timedPulumi(["up", "--yes", "--skip-preview", ...stackArgs], cwd, env));
        count = resourceCount(cwd, "bench", env);
        noops.push(timedPulumi(["up", "--yes", "--skip-preview", ...stackArgs], cwd, env));
        floorUps.push(timedPulumi(["up", "--yes", "--skip-preview", "--stack", "bench"], floor, env));
        const manifests = exportManifests(cwd, "bench", env);
        pulumi(["destroy", "--yes", "--skip-preview", ...stackArgs], { cwd, env });
        applies.push(kubectlApplyAndWait(manifests, ns, env));
        kubectlDelete(manifests, env);
        opts.progress(`  run ${i + 1}/${opts.runs}`);
    }
    const applyMs = median(applies);
    rows.push({ name: "kubectl apply --server-side + wait", median: { wallMs: applyMs, ms: applyMs, resources: 0, maxRssKiB: 0 } });
    rows.push({ name: "pulumi up (empty → Ready)", median: toSample(ups, count), ratio: median(ups.map((x) => x.ms)) / applyMs, ratioOf: "kubectl" });
    const floorUp = toSample(floorUps);
    rows.push({ name: "no-op up: empty program (floor)", median: floorUp });
    rows.push({ name: "no-op up dev", median: toSample(noops, count), ratio: median(noops.map((x) => x.ms)) / floorUp.wallMs, ratioOf: "floor" });

    opts.progress("scale: preview of synthetic stacks");
    const sizes = opts.quick ? [10, 50] : [10, 50, 200];
    const per: Record<number, Timed[]> = {};
    for (const n of sizes) {
        const dir = prepareWorkdir(`bench-scale-${n}`, "bench", { base: "dev", overrides: { ...prefixed(syntheticServices(n)), "platform:namespace": { name: `shop-scale-${n}` } }, fresh: true });
        selectStack("bench", dir, env);
        per[n] = [];
        for (let i = 0; i < Math.max(1, opts.runs - 1); i++) per[n].push(timedPulumi(["preview", "--stack", "bench"], dir, env));
        opts.progress(`  ${n} services done`);
    }
    for (const n of sizes) {
        rows.push({ name: `preview ${n} services`, median: toSample(per[n]), ratio: median(per[n].map((x) => x.ms)) / floorPreview.wallMs, ratioOf: "floor" });
    }
    pulumi(["destroy", "--yes", "--skip-preview", "--stack", "bench"], { cwd: floor, env });
    if (started) await clusterDown(env);
    return { rows };
}

/** `services` → `platform:services` for stack-file overrides. */
function prefixed(o: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [`platform:${k}`, v]));
}
