// The fleet's planning without an engine: waves by dependency (the cluster layer first, independent stacks together),
// refusals of cycles, unknown and duplicate stacks and layers the fleet does not list; the health gate's judgment of
// kubectl's lists; the command line; the summary's words.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { formatSummary, parseFleetArgs, stackFacts } from "../../scripts/fleet";
import { judgeHealth } from "../../scripts/fleet/health";
import { FleetError, planFleet, StackFacts } from "../../scripts/fleet/plan";
import { progressLine } from "../../scripts/fleet/progress";
import { essentialError, healthNamespaces } from "../../scripts/fleet/run";

const FACTS: Record<string, StackFacts> = {
    cluster: { exists: true, layer: true },
    dev: { exists: true, layer: false, clusterLayer: "cluster" },
    qa: { exists: true, layer: false, clusterLayer: "cluster" },
    staging: { exists: true, layer: false, clusterLayer: "cluster" },
    production: { exists: true, layer: false },
};
const facts = (name: string): StackFacts => FACTS[name] ?? { exists: false, layer: false };

function waves(text: string): string[][] {
    return planFleet(text, "fleet.yaml", facts).waves.map((w) => w.map((s) => s.name));
}

function problems(text: string, f: (name: string) => StackFacts = facts): string[] {
    try {
        planFleet(text, "fleet.yaml", f);
    } catch (e) {
        if (e instanceof FleetError) return e.problems;
        throw e;
    }
    return [];
}

describe("fleet planning", () => {
    it("puts the cluster layer a stack names first, stacks that depend on nothing else together, and each dependant a wave later", () => {
        expect(
            waves(`
stacks:
  - name: production
    dependsOn: [staging]
  - name: staging
    dependsOn: [dev, qa]
  - name: qa
  - name: dev
  - name: cluster
`),
        ).to.deep.equal([["cluster"], ["qa", "dev"], ["staging"], ["production"]]);
    });

    it("plans the shipped fleet.yaml from the stack files: dev, then staging, then production", () => {
        const root = path.resolve(__dirname, "..", "..");
        const plan = planFleet(fs.readFileSync(path.join(root, "fleet.yaml"), "utf8"), "fleet.yaml", stackFacts(root));
        expect(plan.waves.map((w) => w.map((s) => s.name))).to.deep.equal([["dev"], ["staging"], ["production"]]);
        // The cluster layer stack file is read as a layer.
        expect(stackFacts(root)("cluster")).to.deep.equal({ exists: true, layer: true, clusterLayer: undefined });
    });

    it("a stack without dependencies and no layer runs in the first wave", () => {
        expect(waves("stacks: [{ name: production }, { name: cluster }]")).to.deep.equal([["production", "cluster"]]);
    });

    it("refuses a circle, naming it", () => {
        expect(
            problems(`
stacks:
  - { name: cluster }
  - { name: dev, dependsOn: [staging] }
  - { name: staging, dependsOn: [dev] }
`),
        ).to.deep.equal(["dependsOn: the stacks depend on each other in a circle (dev → staging → dev); remove one of these dependencies"]);
    });

    it("refuses unknown and duplicate stacks, a stack without a stack file, a self-dependency, and a layer the fleet does not list", () => {
        const p = problems(`
stacks:
  - { name: dev, dependsOn: [prod, dev] }
  - { name: dev }
  - { name: ghost }
`);
        expect(p).to.include('stacks[0].dependsOn[0]: "prod" is not a stack of this fleet; add it to stacks or remove it');
        expect(p).to.include('stacks[0].dependsOn[1]: "dev" is the stack itself; remove it');
        expect(p).to.include('stacks[1].name: "dev" is listed twice; list each stack once');
        expect(p).to.include('stacks[2].name: "ghost" has no config file (Pulumi.ghost.yaml); create the stack file or set configFile');
        expect(p).to.include(
            'stacks[0]: "dev" runs on cluster layer "cluster" (its platform:clusterLayer), which this fleet does not list; add the layer to stacks so it rolls first',
        );
    });

    it("suggests a close name, and refuses unknown settings and malformed YAML with the place in the file", () => {
        expect(problems("stacks: [{ name: production, dependsOn: [stag] }, { name: staging }, { name: cluster }]")).to.deep.equal([
            'stacks[0].dependsOn[0]: "stag" is not a stack of this fleet; did you mean "staging"?; add it to stacks or remove it',
        ]);
        expect(problems("stacks: [{ name: dev, wave: 2 }]")[0]).to.match(/^stacks\[0\]: wave is not a fleet setting/);
        expect(problems("stacks: [")[0]).to.match(/^is not YAML/);
        expect(problems("{}")[0]).to.equal("stacks: must be a list of stacks");
    });
});

describe("fleet health gate", () => {
    const deploy = (name: string, want: number, available: number, generation = 1, observed = 1) => ({
        metadata: { name, generation },
        spec: { replicas: want },
        status: { availableReplicas: available, updatedReplicas: available, observedGeneration: observed },
    });
    const job = (name: string, type?: string, cron = false) => ({
        metadata: { name, ...(cron ? { ownerReferences: [{ kind: "CronJob" }] } : {}) },
        status: { conditions: type ? [{ type, status: "True" }] : [] },
    });

    it("waits for Deployments below their replicas or on an old generation and for incomplete Jobs; a failed Job fails at once; CronJob runs are not gated", () => {
        expect(
            judgeHealth(
                [deploy("web", 2, 2), deploy("api", 2, 1), deploy("worker", 1, 1, 2, 1)],
                [job("api-migrate", "Complete"), job("x-migrate"), job("cleanup-1", "Failed", true)],
            ),
        ).to.deep.equal({
            waiting: ["Deployment api: 1/2 available", "Deployment worker: 1/1 available", "Job x-migrate: not complete"],
            failed: [],
        });
        expect(judgeHealth([], [job("api-migrate", "Failed")]).failed).to.deep.equal(["Job api-migrate failed"]);
        expect(judgeHealth([deploy("web", 1, 1)], [job("api-migrate", "Complete")])).to.deep.equal({ waiting: [], failed: [] });
    });

    it("reads an app stack's namespace and a cluster layer's operator namespaces from the outputs", () => {
        expect(healthNamespaces({ namespace: "shop-dev" })).to.deep.equal(["shop-dev"]);
        expect(healthNamespaces({ clusterLayer: { cnpg: { namespace: "cnpg-system" }, strimzi: { namespace: "strimzi-system" } } })).to.deep.equal([
            "cnpg-system",
            "strimzi-system",
        ]);
    });
});

describe("fleet command line and report", () => {
    it("takes a verb, --dry-run with up only, and refuses unknown arguments", () => {
        expect(parseFleetArgs(["up", "--dry-run", "--json", "-"])).to.deep.include({ operation: "preview", json: "-" });
        expect(parseFleetArgs(["drift"]).operation).to.equal("drift");
        expect(() => parseFleetArgs(["deploy"])).to.throw(/unknown command "deploy"; usage: npm run fleet/);
        expect(() => parseFleetArgs(["destroy", "--dry-run"])).to.throw(/--dry-run goes with up/);
        expect(() => parseFleetArgs(["up", "--file"])).to.throw(/--file needs a value/);
    });

    it("keeps the engine's error lines and says which stack stopped the fleet", () => {
        expect(
            essentialError(
                new Error(
                    "CommandError: code: 255\n stdout: Updating (dev)\n\n stderr: error: invalid stack configuration (1 problem):\n  - platform:services[0].port: must be between 1 and 65535\n",
                ),
            ),
        ).to.equal("error: invalid stack configuration (1 problem):\n- platform:services[0].port: must be between 1 and 65535");
        const text = formatSummary({
            operation: "up",
            result: "failed",
            durationMs: 42_000,
            failure: { stack: "dev", error: "error: boom" },
            waves: [
                [{ name: "cluster", wave: 0, result: "succeeded", durationMs: 1, resources: { done: 5 }, changes: { create: 5, same: 0 } }],
                [{ name: "dev", wave: 1, result: "failed", durationMs: 1, resources: { done: 0 }, error: "error: boom" }],
                [{ name: "staging", wave: 2, result: "skipped", durationMs: 0, resources: { done: 0 } }],
            ],
        });
        expect(text).to.equal(
            [
                "fleet up: failed in 42s",
                "  wave 1 cluster: succeeded (create 5)",
                "  wave 2 dev: failed",
                "      error: boom",
                "  wave 3 staging: skipped",
                "stopped: dev failed; later waves were left untouched",
            ].join("\n"),
        );
    });

    it("draws one line per stack: wave, phase, resources done/total, elapsed", () => {
        expect(progressLine({ name: "dev", wave: 1, phase: "updating", done: 12, total: 40, startedAt: 0 }, 7, 9_400)).to.equal(
            "wave 2  dev      updating      12/40     9s",
        );
    });
});
