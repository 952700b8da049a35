// Every refusal case of the config suite, run as the whole program under mocks: the program stops with a
// ConfigError (a RunError, so the CLI prints the list without a stack) before registering a single resource.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, STORE_CLIENT_ENV } from "../../components/config";
import { EvaluateOptions, evaluateStack, runStack } from "../../tools/stackEvaluator";
import { baseConfig, REFUSAL_CASES, RefusalCase } from "../unit/configCases";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- untyped resource inputs

/** The case as stack overrides: every `platform:` key replaced by the mutated value, removed keys removed. */
function asStackOptions(tc: RefusalCase): EvaluateOptions {
    const before = baseConfig(tc.stack);
    const after = baseConfig(tc.stack);
    tc.mutate(after);
    const configOverrides: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) configOverrides[k] = after[k];
    if (tc.secrets === "none") return { configOverrides, secrets: {} };
    if (tc.secrets) configOverrides[tc.secrets.plaintext] = "plaintext-value";
    return { configOverrides };
}

describe("every refusal happens before the first resource is registered", function () {
    this.timeout(120_000);

    it(`all ${REFUSAL_CASES.length} refusal cases: a ConfigError naming the key, 0 resources registered`, async () => {
        expect(REFUSAL_CASES.length).to.be.greaterThan(80);
        for (const tc of REFUSAL_CASES) {
            const outcome = await runStack(tc.stack ?? "dev", asStackOptions(tc));
            expect(outcome.error, tc.title).to.be.instanceOf(ConfigError);
            expect(pulumi.RunError.isInstance(outcome.error), `${tc.title}: a RunError`).to.equal(true);
            expect(outcome.error!.message, tc.title).to.include(tc.key);
            const registered = outcome.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => `${r.type}::${r.name}`);
            expect(registered, tc.title).to.deep.equal([]);
        }
    });

    it("the stores inject exactly the variables the config check reserves (STORE_CLIENT_ENV)", async () => {
        // api uses postgres, redis and kafka in the dev stack: whatever reaches it beyond its own env came from a store.
        const { resources } = await evaluateStack("dev");
        const api = baseConfig("dev").services as Obj[];
        const own = new Set<string>(["LOG_LEVEL", ...Object.keys(api[1].env ?? {}), ...(api[1].secretEnv ?? []).map((e: Obj) => e.name)]);
        const cm = resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === "api-config")!.inputs as Obj;
        const dep = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "api")!.inputs as Obj;
        const secretNames = (dep.spec.template.spec.containers[0].env ?? []).map((e: Obj) => e.name as string);
        const injected = [...Object.keys(cm.data), ...secretNames].filter((n) => !own.has(n));
        const reserved = [...STORE_CLIENT_ENV.postgres, ...STORE_CLIENT_ENV.redis, ...STORE_CLIENT_ENV.kafka];
        expect(injected.filter((n) => !reserved.includes(n)), "injected but not reserved").to.deep.equal([]);
        expect(injected.length).to.be.greaterThan(0);
    });
});
