// Every stack file and every blueprint in the repository, found on disk (not a fixed list), evaluated under mocks:
// each one builds, parents and labels everything, denies by default, and passes secrets by reference only.
import { expect } from "chai";
import { REQUIRED_LABELS } from "../../components/labels";
import { MOCK_PASSWORD_PREFIX } from "../../tools/mocks";
import { allStackTargets, blueprintTargets, evaluateStack, readStackFile, StackEvaluation, stackFileTargets } from "../../tools/stackEvaluator";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-side access to untyped resource inputs

const CHART = "kubernetes:helm.sh/v4:Chart";

describe("every stack file and blueprint under mocks", function () {
    this.timeout(300_000);

    it("finds the stack files and the five blueprints on disk", () => {
        expect(stackFileTargets().map((t) => t.name)).to.include.members(["dev", "staging", "production"]);
        expect(blueprintTargets().map((t) => t.name)).to.include.members(["traderx", "market-spine", "phase9-shop", "sorcha", "cloud-native"]);
    });

    for (const target of allStackTargets()) {
        describe(`${target.name} (${target.configFile.replace(/^.*\/(blueprints\/)?/, "$1")})`, () => {
            let ev: StackEvaluation;
            before(async () => { ev = await evaluateStack(target.name, { configFile: target.configFile }); });
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
                const policies = ev.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => r.inputs as Obj);
                const deny = policies.filter((p) => Object.keys(p.spec.podSelector ?? {}).length === 0 && !p.spec.ingress && !p.spec.egress);
                expect(deny).to.have.length(1);
                for (const d of ev.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment").map((r) => r.inputs as Obj)) {
                    const sel = d.spec.selector.matchLabels as Record<string, string>;
                    const own = policies.some((p) => {
                        const m = (p.spec.podSelector?.matchLabels ?? {}) as Record<string, string>;
                        return Object.keys(m).length > 0 && Object.entries(m).every(([k, v]) => sel[k] === v);
                    });
                    expect(own, `${d.metadata.name} selected by a NetworkPolicy`).to.equal(true);
                }
            });

            it("keeps every secret value inside Secret objects", () => {
                const leaks = ev.resources
                    .filter((r) => r.type !== "kubernetes:core/v1:Secret" && r.type !== "random:index/randomPassword:RandomPassword")
                    .filter((r) => /canary-|mock-generated-/.test(JSON.stringify(r.inputs)) || JSON.stringify(r.inputs).includes(MOCK_PASSWORD_PREFIX))
                    .map((r) => `${r.type}::${r.name}`);
                expect(leaks).to.deep.equal([]);
                expect(JSON.stringify(ev.outputs)).to.not.match(/canary-|mock-generated-/);
            });
        });
    }
});
