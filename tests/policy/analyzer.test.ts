// Loads the pack exactly as the Pulumi CLI does (the pack's own @pulumi/pulumi/cmd/run-policy-pack, which loads
// package.json main: entry.js, the prebuilt JavaScript that `npm test` builds first) and talks to it over gRPC.
import * as path from "path";
import { expect } from "chai";
import { policies } from "../../policy/pack";
import { AnalyzerInfo, RunningPack, call, startPack } from "./analyzerHost";

const PACK = path.resolve(__dirname, "..", "..", "policy");

describe("policy pack under the real analyzer host", function () {
    this.timeout(240_000);
    let pack: RunningPack;

    before(async () => {
        pack = await startPack(PACK);
    });

    after(() => pack?.stop());

    it("type-checks, starts and describes every policy with remediation steps", async () => {
        const info = await call<AnalyzerInfo>((cb) => pack.client.getAnalyzerInfo(pack.empty(), cb));
        expect(info.getName()).to.equal("platform-kubernetes");
        expect(info.getVersion()).to.match(/^\d+\.\d+\.\d+/);
        const names = info.getPoliciesList().map((p) => p.getName());
        expect(names).to.deep.equal(policies.map((p) => p.name));
        expect(info.getPoliciesList().every((p) => p.getRemediationSteps().length > 20 && p.getConfigschema())).to.equal(true);
    });

    it("applies --policy-pack-config properties and reports violations over gRPC", async () => {
        const { pb } = pack;
        const cfg = new pb.ConfigureAnalyzerRequest();
        const hpaCfg = new pb.PolicyConfig();
        hpaCfg["setEnforcementlevel"](pb.EnforcementLevel.MANDATORY);
        hpaCfg["setProperties"](pack.struct({ minReplicas: 3, exemptNamespaces: [] }));
        cfg.getPolicyconfigMap().set("hpa-min-replicas", hpaCfg);
        await call((cb) => pack.client.configure(cfg, cb));
        const diags = await pack.analyze("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "api", {
            metadata: { name: "api", namespace: "shop" },
            spec: { minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: "Deployment", name: "api" } },
        });
        const hpa = diags.filter((d) => d.getPolicyname() === "hpa-min-replicas");
        expect(hpa.map((d) => d.getMessage()).join("\n")).to.include("minReplicas is 2; at least 3 required");
        expect(hpa[0].getEnforcementlevel()).to.equal(pb.EnforcementLevel.MANDATORY);
    });

    it("does not fail or guess on values that are unknown during preview", async () => {
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const diags = await pack.analyze("kubernetes:apps/v1:Deployment", "api", {
            metadata: { name: "api", namespace: unknown, labels: unknown, annotations: unknown },
            spec: { template: unknown },
        });
        expect(diags.map((d) => `${d.getPolicyname()}: ${d.getMessage()}`)).to.deep.equal([]);
    });
});
