// The cluster layer and the fleet on the local cluster, through `npm run fleet` as a user runs it: one cluster layer
// (both operators) and three app stacks on it in one cluster, none with an installOperator flag; a first roll whose
// second wave holds a stack the policy pack refuses, which stops the fleet before the third wave; the roll that goes
// through (layer; dev; qa and demo in parallel) with a health gate between waves; a drift made with kubectl and
// reported; destroy in reverse order, the operators' CRDs and the retained data kept. On kwok nodes (admission only:
// the operators never reconcile here).
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { expect } from "chai";
import { freshCluster } from "../../e2e/harness/freshCluster";
import { kubectl, prepareWorkdir, pulumi, REPO, runVisible, selectStack, stderrLog } from "../../e2e/harness/localCluster";
import { appOnLayer, layerConfig, writeFleetFile, writeStackFile } from "../../e2e/harness/fleetStacks";
import type { FleetSummary, StackResult } from "../../scripts/fleet/run";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- state and live objects read as JSON

const APPS = { dev: "fleet-dev", qa: "fleet-qa", demo: "fleet-demo", broken: "fleet-broken" } as const;
const BY = "tests/e2e/fleet.e2e.test.ts";

/** `npm run fleet -- <args>` in the work dir; the summary it wrote, its exit code and its stderr (the live view). */
function fleet(cwd: string, env: NodeJS.ProcessEnv, args: string[]): { status: number; summary: FleetSummary; stderr: string; ms: number } {
    const json = path.join(cwd, `summary-${args[0]}-${Date.now()}.json`);
    const t0 = Date.now();
    const r = spawnSync(
        path.join(REPO, "node_modules", ".bin", "ts-node"),
        ["--transpile-only", path.join(REPO, "scripts", "fleet.ts"), ...args, "--work-dir", cwd, "--json", json],
        { cwd: REPO, env, encoding: "utf8", maxBuffer: 64 << 20 },
    );
    const ms = Date.now() - t0;
    process.stderr.write(
        r.stderr
            .split("\n")
            .filter((l) => l.startsWith("[fleet]") || l.startsWith("fleet ") || l.startsWith("  wave") || l.startsWith("stopped"))
            .map((l) => `      ${l}\n`)
            .join(""),
    );
    if (!fs.existsSync(json)) throw new Error(`fleet ${args.join(" ")} wrote no summary (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
    return { status: r.status ?? 1, summary: JSON.parse(fs.readFileSync(json, "utf8")) as FleetSummary, stderr: r.stderr, ms };
}

const byName = (s: FleetSummary): Record<string, StackResult> => Object.fromEntries(s.waves.flat().map((r) => [r.name, r]));
const order = (s: FleetSummary): string[][] => s.waves.map((w) => w.map((r) => r.name).sort());

function stateResources(cwd: string, env: NodeJS.ProcessEnv, stack: string): Obj[] {
    const exported = JSON.parse(pulumi(["stack", "export", "--stack", stack], { cwd, env }).stdout) as { deployment: { resources?: Obj[] } };
    return exported.deployment.resources ?? [];
}

/** Kinds Kubernetes keeps outside any namespace, as their state types name them. */
const CLUSTER_SCOPED =
    /:(apiextensions\.k8s\.io\/v1:CustomResourceDefinition|rbac\.authorization\.k8s\.io\/v1:ClusterRole(Binding)?|admissionregistration\.k8s\.io\/v1:(Mutating|Validating)WebhookConfiguration|core\/v1:Namespace)$/;

describe("real engine: a cluster layer and three app stacks on it, rolled by the fleet command", function () {
    this.timeout(3_600_000);
    let env: NodeJS.ProcessEnv;
    let cwd: string;

    before(async () => {
        env = await freshCluster();
        cwd = prepareWorkdir("fleet", "cluster", { baseFile: "Pulumi.cluster.yaml", fresh: true });
        writeStackFile(cwd, "cluster", layerConfig(), BY);
        writeStackFile(cwd, APPS.dev, appOnLayer("fleet-dev"), BY);
        writeStackFile(cwd, APPS.qa, appOnLayer("fleet-qa"), BY);
        // demo keeps its PostgreSQL data on destroy (and with it its namespace); dev and qa keep nothing.
        writeStackFile(
            cwd,
            APPS.demo,
            appOnLayer("fleet-demo", (c) => {
                c["platform:postgres"].pvcRetention = "retain";
            }),
            BY,
        );
        // run-as-non-root is mandatory in every pack config: the preview inside `up` refuses this stack.
        writeStackFile(
            cwd,
            APPS.broken,
            appOnLayer("fleet-broken", (c) => {
                c["platform:services"][0].podSecurity = { runAsNonRoot: false };
            }),
            BY,
        );
        for (const s of ["cluster", ...Object.values(APPS)]) selectStack(s, cwd, env);
    });

    after(async () => {
        if (!env || process.env.PLATFORM_E2E_KEEP === "1") return;
        await runVisible(path.join(REPO, "e2e", "cluster.sh"), ["down"], env);
    });

    it("a wave with a stack the pack refuses stops the fleet: the wave's other stack and the layer went through, the next wave is untouched", () => {
        const file = writeFleetFile(cwd, "fleet-broken.yaml", [
            { name: "cluster" },
            { name: APPS.dev },
            { name: APPS.broken },
            { name: APPS.qa, dependsOn: [APPS.dev, APPS.broken] },
            { name: APPS.demo, dependsOn: [APPS.dev, APPS.broken] },
        ]);
        const r = fleet(cwd, env, ["up", "--file", file]);
        expect(r.status).to.equal(1);
        expect(order(r.summary)).to.deep.equal([["cluster"], [APPS.broken, APPS.dev].sort(), [APPS.demo, APPS.qa].sort()]);
        const res = byName(r.summary);
        expect([res.cluster.result, res[APPS.dev].result, res[APPS.broken].result, res[APPS.qa].result, res[APPS.demo].result]).to.deep.equal([
            "succeeded",
            "succeeded",
            "failed",
            "skipped",
            "skipped",
        ]);
        expect(res[APPS.broken].error).to.match(/run-as-non-root/);
        expect(r.summary.failure).to.deep.include({ stack: APPS.broken });
        expect(r.stderr).to.match(/stopped: fleet-broken failed; later waves were left untouched/);
        for (const s of [APPS.qa, APPS.demo]) expect(stateResources(cwd, env, s), `${s} must be untouched`).to.deep.equal([]);
        pulumi(["destroy", "--yes", "--stack", APPS.broken], { cwd, env });
    });

    it("rolls the layer, then dev, then qa and demo in parallel, each healthy before the next wave; no app stack owns a cluster-scoped object but its namespace", () => {
        const file = writeFleetFile(cwd, "fleet.yaml", [
            { name: "cluster" },
            { name: APPS.dev },
            { name: APPS.qa, dependsOn: [APPS.dev] },
            { name: APPS.demo, dependsOn: [APPS.dev] },
        ]);
        const r = fleet(cwd, env, ["up", "--file", file]);
        expect(r.status, r.stderr.slice(-3000)).to.equal(0);
        expect(order(r.summary)).to.deep.equal([["cluster"], [APPS.dev], [APPS.demo, APPS.qa].sort()]);
        expect(r.summary.waves.flat().every((s) => s.result === "succeeded")).to.equal(true);
        // The live view printed each stack's phases, the health gate among them.
        expect(r.stderr).to.match(/\[fleet\] wave 3\s+fleet-qa\s+health/);
        const res = byName(r.summary);
        const wave3 = [res[APPS.qa], res[APPS.demo]];
        const sequential = r.summary.waves.flat().reduce((n, s) => n + s.durationMs, 0);
        stderrLog(
            `fleet up: ${(r.summary.durationMs / 1000).toFixed(0)}s for 4 stacks; the stacks' own durations add up to ${(sequential / 1000).toFixed(0)}s (wave 3 ran qa ${(wave3[0].durationMs / 1000).toFixed(0)}s and demo ${(wave3[1].durationMs / 1000).toFixed(0)}s side by side)`,
        );
        for (const s of Object.values(APPS).filter((x) => x !== APPS.broken)) {
            const owned = stateResources(cwd, env, s)
                .map((x) => x.type as string)
                .filter((t) => CLUSTER_SCOPED.test(`:${t.replace(/^kubernetes:/, "")}`));
            expect(owned, `${s} owns only its namespace`).to.deep.equal(["kubernetes:core/v1:Namespace"]);
            expect(stateResources(cwd, env, s).map((x) => x.type)).to.include("pulumi:pulumi:StackReference");
        }
        const layerTypes = stateResources(cwd, env, "cluster").map((x) => x.type as string);
        expect(layerTypes).to.include.members([
            "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
        ]);
        // Both Kafka clusters are reconciled by the one Strimzi of the layer (it watches every namespace).
        const crb = JSON.parse(kubectl(["get", "clusterrolebindings", "-o", "json"], env).stdout) as { items: Obj[] };
        expect(crb.items.some((b) => (b.subjects ?? []).some((x: Obj) => x.namespace === "strimzi-system"))).to.equal(true);
        for (const ns of ["fleet-dev", "fleet-qa", "fleet-demo"])
            expect(kubectl(["get", "kafka", "-n", ns, "-o", "name"], env).stdout).to.match(/kafka\.strimzi\.io\//);
    });

    it("reports a drift made with kubectl on the stack it was made on, and none elsewhere", () => {
        // Out of band, as an incident would: the default-deny NetworkPolicy deleted, and the web Deployment scaled.
        const deleted = kubectl(["delete", "networkpolicy", "default-deny", "-n", "fleet-dev"], env);
        expect(deleted.status, deleted.stderr).to.equal(0);
        const scaled = kubectl(["scale", "deployment", "web", "-n", "fleet-dev", "--replicas=3"], env);
        expect(scaled.status, scaled.stderr).to.equal(0);
        const r = fleet(cwd, env, ["drift", "--file", path.join(cwd, "fleet.yaml")]);
        expect(r.status).to.equal(1);
        const res = byName(r.summary);
        stderrLog(`drift reported on fleet-dev: ${res[APPS.dev].drifted!.join("; ")}`);
        expect(res[APPS.dev].drifted!.join("\n")).to.match(/NetworkPolicy::[^\n]*default-deny/);
        for (const s of ["cluster", APPS.qa, APPS.demo]) expect(res[s].drifted, s).to.deep.equal([]);
    });

    it("destroys in reverse order, the layer last; the operators' CRDs and the retained namespace and data of the stack that says retain stay", () => {
        const r = fleet(cwd, env, ["destroy", "--file", path.join(cwd, "fleet.yaml")]);
        expect(r.status, r.stderr.slice(-3000)).to.equal(0);
        expect(order(r.summary)).to.deep.equal([[APPS.demo, APPS.qa].sort(), [APPS.dev], ["cluster"]]);
        expect(kubectl(["get", "crd", "clusters.postgresql.cnpg.io", "kafkas.kafka.strimzi.io", "-o", "name"], env).status).to.equal(0);
        const demo = JSON.parse(kubectl(["get", "namespace", "fleet-demo", "-o", "json"], env).stdout || "{}") as Obj;
        expect(demo.status?.phase, "fleet-demo is retained with its data").to.equal("Active");
        expect(kubectl(["get", "cluster.postgresql.cnpg.io", "-n", "fleet-demo", "-o", "name"], env).stdout).to.match(/postgres/);
        for (const ns of ["fleet-dev", "fleet-qa"]) {
            const live = JSON.parse(kubectl(["get", "namespace", ns, "-o", "json", "--ignore-not-found"], env).stdout || "{}") as Obj;
            expect(live.status?.phase ?? "gone", `${ns} is deleted`).to.be.oneOf(["gone", "Terminating"]);
        }
        expect(kubectl(["get", "deployment", "-n", "cnpg-system", "-o", "name"], env).stdout.trim()).to.equal("");
    });

    it("brought up again, the fleet takes back what the destroy kept: the demo stack adopts its retained namespace and Cluster", () => {
        const r = fleet(cwd, env, ["up", "--file", path.join(cwd, "fleet.yaml")]);
        expect(r.status, r.stderr.slice(-3000)).to.equal(0);
        const types = stateResources(cwd, env, APPS.demo).map((x) => `${x.type as string}::${(x.urn as string).split("::").at(-1)}`);
        expect(types).to.include("kubernetes:postgresql.cnpg.io/v1:Cluster::postgres-cluster:fleet-demo/postgres");
    });
});
