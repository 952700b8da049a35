// The arithmetic and conversions the benchmark ratios rest on.
import { expect } from "chai";
import { toManifest } from "../../scripts/bench-real";
import { stagedPlan, StateObject, typeChain } from "../../scripts/kubectlPlan";
import { formatTable, median, medianSample } from "../../scripts/stats";
import { criticalPath, idleWaits, Step } from "../../scripts/timeline";
import { syntheticServices } from "../../scripts/synthetic";
import { parsePlatformConfig } from "../../components/config";
import { readStackFile } from "../../tools/stackEvaluator";

describe("benchmark machinery", () => {
    it("takes the median CPU time only when every sample measured it", () => {
        const s = (cpuMs?: number) => ({ wallMs: 1, ms: 1, resources: 0, maxRssKiB: 0, cpuMs });
        expect(medianSample([s(3), s(1), s(2)]).cpuMs).to.equal(2);
        expect(medianSample([s(3), s(undefined), s(2)])).to.not.have.property("cpuMs");
    });

    it("takes medians of odd and even sample counts and keeps the worst peak memory", () => {
        expect(median([5, 1, 3])).to.equal(3);
        expect(median([4, 1, 3, 2])).to.equal(2.5);
        const m = medianSample([
            { wallMs: 10, ms: 4, resources: 7, maxRssKiB: 100 },
            { wallMs: 30, ms: 2, resources: 7, maxRssKiB: 300 },
            { wallMs: 20, ms: 3, resources: 7, maxRssKiB: 200 },
        ]);
        expect(m).to.deep.equal({ wallMs: 20, ms: 3, resources: 7, maxRssKiB: 300 });
    });

    it("prints ratios with two decimals next to what they compare to", () => {
        const table = formatTable("t", [{ name: "x", median: { wallMs: 1500, ms: 1500, resources: 3, maxRssKiB: 2048 }, ratio: 1.234, ratioOf: "floor" }]);
        expect(table).to.include("| x ");
        expect(table).to.include("1.23× floor");
        expect(table).to.include("| 2 ");
    });

    it("turns state inputs back into manifests kubectl accepts", () => {
        const state = {
            apiVersion: "apiextensions.k8s.io/v1",
            __fieldManager: "pulumi-kubernetes",
            spec: { versions: [{ schema: { openAPIV3Schema: { x_kubernetes_preserve_unknown_fields: true } } }] },
            stringData: { password: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '"s3cr3t"' } },
        };
        expect(toManifest(state)).to.deep.equal({
            apiVersion: "apiextensions.k8s.io/v1",
            spec: { versions: [{ schema: { openAPIV3Schema: { "x-kubernetes-preserve-unknown-fields": true } } }] },
            stringData: { password: "s3cr3t" },
        });
    });

    it("builds synthetic stacks that the config model accepts, with one service per requested size", () => {
        const raw: Record<string, string> = {};
        for (const [k, v] of Object.entries(readStackFile("dev")))
            if (k.startsWith("platform:")) raw[k.slice(9)] = typeof v === "string" ? v : JSON.stringify(v);
        for (const [k, v] of Object.entries(syntheticServices(50))) raw[k] = JSON.stringify(v);
        const cfg = parsePlatformConfig(raw, { isSet: () => true, isSecret: () => true });
        expect(cfg.services).to.have.length(50);
        expect(cfg.services.filter((s) => s.public)).to.have.length(5);
    });

    it("stages the kubectl anchor of `up` in the program's order: definitions, base, stores, migrations, workloads", () => {
        const stack = "urn:pulumi:bench::platform::platform:index:Platform";
        const obj = (chain: string, kind: string, name: string, namespace?: string): StateObject => ({
            urn: `${stack}$${chain}$kubernetes:x:${kind}::${name}`,
            manifest: { kind, metadata: { name, namespace } },
        });
        const objs = [
            obj("platform:index:Microservice", "Deployment", "api", "shop"),
            obj("platform:index:Microservice$platform:index:Migration", "Job", "api-migrate", "shop"),
            obj("platform:data:Postgres$kubernetes:helm.sh/v4:Chart", "Deployment", "cnpg", "cnpg-system"),
            obj("platform:data:Postgres$kubernetes:helm.sh/v4:Chart", "CustomResourceDefinition", "clusters.postgresql.cnpg.io"),
            obj("platform:data:Redis$kubernetes:helm.sh/v4:Chart", "StatefulSet", "valkey", "shop"),
            obj("platform:index:AppSecrets", "Secret", "app", "shop"),
            obj("platform:index:NamespaceBaseline", "Namespace", "shop"),
            obj("platform:index:Microservice", "CronJob", "cleanup", "shop"),
        ];
        expect(typeChain(objs[0].urn)).to.deep.equal(["platform:index:Platform", "platform:index:Microservice", "kubernetes:x:Deployment"]);
        const plan = stagedPlan(objs).map((s) => ({ apply: s.apply.map((o) => o.manifest.metadata?.name), waits: s.waits }));
        expect(plan).to.deep.equal([
            {
                apply: ["clusters.postgresql.cnpg.io", "shop"],
                waits: [["wait", "--for=condition=Established", "--timeout=600s", "crd/clusters.postgresql.cnpg.io"]],
            },
            { apply: ["app"], waits: [] },
            {
                apply: ["cnpg", "valkey"],
                waits: [
                    ["wait", "--for=condition=Available", "-n", "cnpg-system", "--timeout=600s", "deployment/cnpg"],
                    ["rollout", "status", "-n", "shop", "--timeout=600s", "statefulset/valkey"],
                ],
            },
            { apply: ["api-migrate"], waits: [["wait", "--for=condition=Complete", "-n", "shop", "--timeout=600s", "job/api-migrate"]] },
            { apply: ["api", "cleanup"], waits: [["wait", "--for=condition=Available", "-n", "shop", "--timeout=600s", "deployment/api"]] },
        ]);
    });

    it("finds the critical path of an up through component dependencies, and the waits nothing depends on", () => {
        const resources = [
            { urn: "pg", custom: false },
            { urn: "pg-svc", custom: true, parent: "pg" },
            { urn: "pg-sts", custom: true, parent: "pg" },
            { urn: "mig", custom: false, dependencies: ["pg"] },
            { urn: "mig-job", custom: true, parent: "mig" },
            { urn: "api", custom: true, dependencies: ["mig-job"] },
            { urn: "ingress", custom: true },
        ];
        const steps = new Map<string, Step>([
            ["pg-svc", { start: 0, end: 10_000 }],
            ["pg-sts", { start: 0, end: 4_000 }],
            ["mig-job", { start: 10_000, end: 13_000 }],
            ["api", { start: 13_000, end: 15_000 }],
            ["ingress", { start: 0, end: 5_000 }],
        ]);
        expect(criticalPath(resources, steps).map((p) => [p.urn, p.waitedFor])).to.deep.equal([
            ["pg-svc", undefined],
            ["mig-job", "pg-svc"],
            ["api", "mig-job"],
        ]);
        // Nothing depends on api or ingress; of the two, only ingress took over 2.5 s.
        expect(idleWaits(resources, steps, 2500).map((w) => w.urn)).to.deep.equal(["ingress"]);
    });
});
