// Every refusal case of the config suite, run as the whole program under mocks: the program stops with a
// ConfigError (a RunError, so the CLI prints the list without a stack) before registering a single resource.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { BUILTIN_STORES, ConfigError, PLATFORM_ENV_NAMES } from "../../components/config";
import { storeEnvNames } from "../../components/config/storeEnvNames";
import { EvaluateOptions, evaluateStack, readStackFile, runStack, testSecretValue } from "../../tools/stackEvaluator";
import { RecordedRefusal, recordedRefusals, withoutRecording } from "../refusalRecorder";
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

/** A refusal recorded anywhere in the suite as stack options: exactly its config, exactly its secret presence. */
function replayOptions(r: RecordedRefusal): EvaluateOptions {
    const configOverrides: Record<string, unknown> = {};
    for (const k of Object.keys(readStackFile("dev"))) if (k.startsWith("platform:")) configOverrides[k] = undefined;
    for (const [k, v] of Object.entries(r.raw)) configOverrides[k] = v;
    const secrets: Record<string, string> = {};
    for (const k of r.secretsSet) {
        if (r.plaintext.includes(k)) configOverrides[k] = "plaintext-value";
        else {
            delete configOverrides[k];
            secrets[k] = testSecretValue(k);
        }
    }
    for (const k of r.secretsUnset) configOverrides[k] = undefined;
    return { configOverrides, secrets };
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

    it("every config refused anywhere in the unit tests (which run before this file) registers 0 resources when the whole program runs it", async () => {
        // tests/refusalRecorder.ts (loaded by .mocharc.json) recorded them; the unit test files run before this one.
        const seen = new Set<string>();
        const unique = recordedRefusals.filter((r) => {
            const id = JSON.stringify([r.raw, r.secretsSet, r.secretsUnset, r.plaintext]);
            return seen.has(id) ? false : (seen.add(id), true);
        });
        expect(unique.length, "refusals recorded from the unit tests").to.be.greaterThan(150);
        await withoutRecording(async () => {
            for (const r of unique) {
                const outcome = await runStack("dev", replayOptions(r));
                const what = `${r.test} (${r.keys.join(", ")})`;
                expect(outcome.error, what).to.be.instanceOf(ConfigError);
                const replayed = (outcome.error as ConfigError).issues.map((i) => i.key);
                expect(replayed, what).to.include.members(r.keys);
                expect(
                    outcome.resources.filter((x) => x.type !== "pulumi:pulumi:Stack").map((x) => `${x.type}::${x.name}`),
                    what,
                ).to.deep.equal([]);
            }
        });
    });

    it("the stores inject exactly the variables the config check reserves (STORE_CLIENT_ENV)", async () => {
        // api uses postgres, redis and kafka in the dev stack: whatever reaches it beyond its own env came from a store.
        const { resources } = await evaluateStack("dev");
        const api = baseConfig("dev").services as Obj[];
        const own = new Set<string>([...PLATFORM_ENV_NAMES, ...Object.keys(api[1].env ?? {}), ...(api[1].secretEnv ?? []).map((e: Obj) => e.name)]);
        const cm = resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === "api-config")!.inputs as Obj;
        const dep = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "api")!.inputs as Obj;
        const secretNames = (dep.spec.template.spec.containers[0].env ?? []).map((e: Obj) => e.name as string);
        const injected = [...Object.keys(cm.data), ...secretNames].filter((n) => !own.has(n));
        const reserved = BUILTIN_STORES.flatMap(storeEnvNames);
        expect(
            injected.filter((n) => !reserved.includes(n)),
            "injected but not reserved",
        ).to.deep.equal([]);
        expect(injected.length).to.be.greaterThan(0);
    });
});
