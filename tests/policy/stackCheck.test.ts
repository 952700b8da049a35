// The offline check end to end: a real stack evaluated under mocks, the whole pack with the stack's config.
// `npm test` also runs `npm run policy:check:all`; this proves the wiring catches a regression.
import { expect } from "chai";
import { checkStack } from "../../scripts/policy-check";
import { evaluateStack, readStackFile } from "../../tools/stackEvaluator";
import { loadConfigFile, runPack } from "../../tools/policyRunner";
import { policyConfigPath, toFakeResources } from "../../scripts/policy-check";

describe("policy pack: offline check of the stacks", function () {
    this.timeout(120_000);

    it("production has zero mandatory violations", async () => {
        const res = await checkStack("production");
        expect(res.resourceCount).to.be.greaterThan(20);
        expect(res.violations.filter((v) => v.level === "mandatory").map((v) => `${v.resourceName}: ${v.policy}: ${v.message}`)).to.deep.equal([]);
    });

    it("catches a regression introduced through stack config that the config check lets through", async () => {
        // (A plaintext credential in env never gets this far: the config check refuses it; see tests/unit/config.test.ts.)
        const services = readStackFile("production")["platform:services"] as Record<string, unknown>[];
        const broken = services.map((s, i) => (i === 0 ? { ...s, podSecurity: { runAsNonRoot: false } } : s));
        const { resources } = await evaluateStack("production", { configOverrides: { services: broken } });
        const res = await runPack(toFakeResources(resources), loadConfigFile(policyConfigPath("production")));
        const hits = res.violations.filter((v) => v.level === "mandatory" && v.policy === "run-as-non-root");
        expect(hits.map((v) => v.message).join("\n")).to.include("runAsNonRoot is false");
    });
});
