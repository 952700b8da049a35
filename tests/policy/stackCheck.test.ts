// The offline check end to end: a real stack evaluated under mocks, the whole pack with the stack's config.
// `npm test` also runs `npm run policy:check:all`; this proves the wiring catches a regression.
import { expect } from "chai";
import { checkStack } from "../../scripts/policy-check";
import { evaluateStack, readStackFile } from "../../tools/stackEvaluator";
import { loadConfigFile, runPack } from "../../policy/runner";
import { policyConfigPath, toFakeResources } from "../../scripts/policy-check";

describe("policy pack: offline check of the stacks", function () {
    this.timeout(120_000);

    it("production has zero mandatory violations", async () => {
        const res = await checkStack("production");
        expect(res.resourceCount).to.be.greaterThan(20);
        expect(res.violations.filter((v) => v.level === "mandatory").map((v) => `${v.resourceName}: ${v.policy}: ${v.message}`)).to.deep.equal([]);
    });

    it("catches a plaintext secret introduced through stack config", async () => {
        const services = readStackFile("production")["platform:services"] as Record<string, unknown>[];
        const broken = services.map((s, i) => (i === 0 ? { ...s, env: { ...(s["env"] as Record<string, string> | undefined), UPSTREAM_URL: "https://svc:Sup3rS3cret@upstream.example.com/" } } : s));
        const { resources } = await evaluateStack("production", { configOverrides: { services: broken } });
        const res = await runPack(toFakeResources(resources), loadConfigFile(policyConfigPath("production")));
        // Plain service env is rendered into the service's ConfigMap (envFrom), so that is where it is caught.
        const hits = res.violations.filter((v) => v.level === "mandatory" && v.policy === "no-secrets-in-configmaps");
        expect(hits.map((v) => v.message).join("\n")).to.include('data["UPSTREAM_URL"] contains credentials in a URL');
    });
});
