// Property-based config cases: thousands of seeded configs drawn from the schema's shape (tests/unit/configArbitraries.ts).
// Each is either accepted or refused with a ConfigError whose every problem names its key and the fix — never a
// plain Error, never the schema library's text or a raw regex; and every accepted one runs through the whole program
// under mocks and passes its environment's policy pack config. Prints how many were drawn, accepted and refused.
// PLATFORM_CONFIG_SEED=<n> draws another set.
import { expect } from "chai";
import { ConfigError, parsePlatformConfig } from "../../components/config";
import { policyConfigPath, toFakeResources } from "../../scripts/policy-check";
import { loadConfigFile, runPack } from "../../tools/policyRunner";
import { runStack } from "../../tools/stackEvaluator";
import { withoutRecording } from "../refusalRecorder";
import { acceptedConfig, quietly, rawConfig, sampleConfigs } from "./configArbitraries";
import type { Json } from "./configCases";
import { messageProblem } from "./configMessages";

const SEED = Number(process.env.PLATFORM_CONFIG_SEED ?? 24_001);
const COUNT = 3000;
/** Configs drawn (from SEED + 1) for the whole-program run: every accepted one is evaluated, about half a second each. */
const PROGRAM_COUNT = 400;

describe("generated configs: accepted, or refused with the key and the fix", function () {
    this.timeout(600_000); // a hang guard, not a timing: the 2 cores may be shared with a build

    it(`${COUNT} configs from seed ${SEED}: no plain Error, every refusal names a key in the config and says what to do`, async () => {
        const cases = sampleConfigs(SEED, COUNT);
        let accepted = 0;
        const refusedKeys = new Map<string, number>();
        const failures: string[] = [];
        // Thousands of refusals: tests/stacks/refusals.test.ts replays the hand-written ones, not these.
        await withoutRecording(async () => {
            for (const { config } of cases) {
                try {
                    parsePlatformConfig(rawConfig(config), { isSet: () => true, isSecret: () => true });
                    accepted++;
                } catch (e) {
                    if (!(e instanceof ConfigError)) {
                        failures.push(`${(e as Error).name}: ${(e as Error).message}\n    config: ${JSON.stringify((config.services as Json[]).at(-1))}`);
                        continue;
                    }
                    for (const issue of e.issues) {
                        const problem = messageProblem(issue, config);
                        const generic = issue.key.replace(/\[[0-9]+\]/g, "[]");
                        refusedKeys.set(generic, (refusedKeys.get(generic) ?? 0) + 1);
                        if (problem) failures.push(`${problem}: ${issue.key}: ${issue.message}`);
                    }
                }
            }
        });
        const refused = cases.length - accepted;
        console.log(`      generated ${cases.length} configs: ${accepted} accepted, ${refused} refused (${refusedKeys.size} distinct keys refused)`);
        const unique = [...new Set(failures)];
        expect(unique.slice(0, 20), `${unique.length} distinct problems`).to.deep.equal([]);
        // The generator must exercise both sides of the rules, or the test proves nothing.
        expect(accepted, "accepted configs").to.be.greaterThan(COUNT / 10);
        expect(refused, "refused configs").to.be.greaterThan(COUNT / 10);
    });

    it(`every accepted config of ${PROGRAM_COUNT} from seed ${SEED + 1} runs through the program under mocks without an error and passes its environment's pack config`, async () => {
        const failures: string[] = [];
        let resources = 0;
        const cases = await withoutRecording(async () => sampleConfigs(SEED + 1, PROGRAM_COUNT).filter((c) => acceptedConfig(c.config)));
        await withoutRecording(() =>
            quietly(async () => {
                for (const { stack, config } of cases) {
                    const out = await runStack(stack, { configOverrides: config });
                    const svc = JSON.stringify((config.services as Json[]).at(-1));
                    if (out.error) {
                        failures.push(`${stack}: the program threw ${out.error.name}: ${out.error.message}\n    service: ${svc}`);
                        continue;
                    }
                    resources += out.resources.length;
                    const res = await runPack(toFakeResources(out.resources), loadConfigFile(policyConfigPath(stack)));
                    for (const v of res.violations.filter((x) => x.level === "mandatory"))
                        failures.push(`${stack}: ${v.policy} (mandatory) on ${v.resourceType} ${v.resourceName}: ${v.message}\n    service: ${svc}`);
                }
            }),
        );
        console.log(`      ${cases.length} accepted configs of ${PROGRAM_COUNT} evaluated (${resources} resources), ${failures.length} failed`);
        expect(failures.slice(0, 10), `${failures.length} failures`).to.deep.equal([]);
        expect(cases.length, "accepted configs evaluated").to.be.greaterThan(PROGRAM_COUNT / 20);
    });
});
