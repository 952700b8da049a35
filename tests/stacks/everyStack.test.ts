// Every app stack file and every blueprint in the repository, found on disk (not a fixed list), evaluated under mocks:
// each one builds, parents and labels everything, denies by default, and passes secrets by reference only.
import { expect } from "chai";
import { REQUIRED_LABELS } from "../../components/k8s/labels";
import { appStackTargets, blueprintTargets, evaluateStack, readStackFile, StackEvaluation, stackFileTargets } from "../../tools/stackEvaluator";
import { expectDefaultDenyAndOwnPolicies, Obj, secretLeaks, T } from "./stackInventory";

const CHART = T.chart;

describe("every stack file and blueprint under mocks", function () {
    this.timeout(300_000);

    it("finds the stack files and the five blueprints on disk", () => {
        expect(stackFileTargets().map((t) => t.name)).to.include.members(["dev", "staging", "production"]);
        expect(blueprintTargets().map((t) => t.name)).to.include.members(["traderx", "market-spine", "phase9-shop", "sorcha", "cloud-native"]);
    });

    // Cluster layers run no services: tests/unit/clusterLayer.test.ts covers them.
    for (const target of appStackTargets()) {
        describe(`${target.name} (${target.configFile.replace(/^.*\/(blueprints\/)?/, "$1")})`, () => {
            let ev: StackEvaluation;
            before(async () => {
                ev = await evaluateStack(target.name, { configFile: target.configFile });
            });
            const k8sObjects = () => ev.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== CHART);

            it("registers a workload for every declared service", () => {
                const declared = (readStackFile(target.name, target.configFile)["platform:services"] as Obj[]).map((s) => s.name as string);
                const deployments = ev.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment").map((r) => (r.inputs as Obj).metadata.name);
                expect(deployments).to.include.members(declared);
            });

            it("parents every resource to a component", () => {
                const orphans = ev.resources.filter((r) => !r.parent && r.type !== "pulumi:pulumi:Stack" && r.type !== "platform:index:Platform");
                expect(orphans.map((r) => `${r.type}::${r.name}`)).to.deep.equal([]);
            });

            it("puts the standard labels on every Kubernetes object and pod template", () => {
                const missing: string[] = [];
                for (const r of k8sObjects()) {
                    const inputs = r.inputs as Obj;
                    for (const k of REQUIRED_LABELS) if (!inputs.metadata?.labels?.[k]) missing.push(`${r.type}::${r.name} ${k}`);
                    const tpl = inputs.spec?.template ?? inputs.spec?.jobTemplate?.spec?.template;
                    if (tpl?.metadata) for (const k of REQUIRED_LABELS) if (!tpl.metadata.labels?.[k]) missing.push(`${r.type}::${r.name} template ${k}`);
                }
                expect(missing).to.deep.equal([]);
            });

            it("has one default-deny NetworkPolicy and selects every Deployment with a policy of its own", () => {
                expectDefaultDenyAndOwnPolicies(ev.resources);
            });

            it("keeps every secret value inside Secret objects", () => {
                expect(secretLeaks(ev.resources)).to.deep.equal([]);
                expect(JSON.stringify(ev.outputs)).to.not.match(/canary-|mock-generated-/);
            });
        });
    }
});
