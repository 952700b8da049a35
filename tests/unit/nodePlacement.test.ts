// Node placement of a service's pods (nodeSelector, tolerations): how platform:defaults and the service resolve,
// what is refused with the key and the fix (the apiserver's own rules), and where it lands in the rendered objects.
import { expect } from "chai";
import { ConfigError, labelKeyProblem, labelValueProblem, parsePlatformConfig, PlatformConfig, RawConfig, ResolvedService } from "../../components/config";
import { cronJobSpec } from "../../components/service/cleanupCronJob";
import { migrationJobSpec } from "../../components/service/migration";
import { podPlacement } from "../../components/service/podTemplate";
import { deploymentSpec } from "../../components/service/serviceDeployment";
import { evaluateStack, readStackFile } from "../../tools/stackEvaluator";
import { batchWorkloadArgs, platformContext, podTemplates, rawPlatform, resolved, parseConfig } from "./componentFixtures";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The dev stack's platform keys, unqualified. */
function dev(): Json {
    const out: Json = {};
    for (const [k, v] of Object.entries(readStackFile("dev"))) if (k.startsWith("platform:")) out[k.slice(9)] = v;
    return JSON.parse(JSON.stringify(out)) as Json;
}

function parse(c: Json): PlatformConfig {
    const raw: RawConfig = {};
    for (const [k, v] of Object.entries(c)) raw[k] = typeof v === "string" ? v : JSON.stringify(v);
    return parsePlatformConfig(raw, { isSet: () => true, isSecret: () => true });
}

function resolveAll(c: Json): Record<string, ResolvedService> {
    const cfg = parse(c);
    return Object.fromEntries(cfg.services.map((s) => [s.name, s]));
}

/** "key: message" lines of a refused config; fails when it is accepted. */
function problems(c: Json): string[] {
    try {
        parse(c);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as ConfigError).issues.map((i) => `${i.key}: ${i.message}`);
    }
    throw new Error("expected the config to be refused");
}

function expectProblem(c: Json, key: string, message: string | RegExp) {
    const all = problems(c);
    const hit = all.some((p) => p.startsWith(`${key}: `) && (typeof message === "string" ? p.includes(message) : message.test(p)));
    expect(hit, `expected ${key} ~ ${message}, got:\n${all.join("\n")}`).to.equal(true);
}

/** Dev with `edit` applied to platform:defaults and to service `api` (index 1). */
function withPlacement(defaults: Json, api: Json = {}): Json {
    const c = dev();
    Object.assign(c.defaults as Json, defaults);
    Object.assign((c.services as Json[])[1], api);
    return c;
}

const E2E = { key: "platform.example.com/e2e", operator: "Equal", value: "true", effect: "NoSchedule" };

describe("node placement (nodeSelector, tolerations)", () => {
    describe("resolution", () => {
        it("without the keys every service resolves to no selector and no tolerations", () => {
            for (const s of Object.values(resolveAll(dev()))) {
                expect(s.nodeSelector, s.name).to.deep.equal({});
                expect(s.tolerations, s.name).to.deep.equal([]);
            }
        });

        it("platform:defaults applies to every service; a service's nodeSelector merges over it key by key", () => {
            const all = resolveAll(
                withPlacement(
                    { nodeSelector: { "kubernetes.io/os": "linux", "node.example.com/pool": "general" } },
                    { nodeSelector: { "node.example.com/pool": "e2e", "kubernetes.io/arch": "amd64" } },
                ),
            );
            expect(all.web.nodeSelector).to.deep.equal({ "kubernetes.io/os": "linux", "node.example.com/pool": "general" });
            expect(all.api.nodeSelector).to.deep.equal({ "kubernetes.io/os": "linux", "node.example.com/pool": "e2e", "kubernetes.io/arch": "amd64" });
        });

        it("a service's tolerations replace the defaults' list whole; [] clears it; the operator defaults to Equal", () => {
            const base = withPlacement({ tolerations: [{ key: "dedicated", value: "shop", effect: "NoSchedule" }] }, { tolerations: [E2E] });
            (base.services as Json[])[2].tolerations = [];
            const all = resolveAll(base);
            expect(all.web.tolerations).to.deep.equal([{ key: "dedicated", operator: "Equal", value: "shop", effect: "NoSchedule" }]);
            expect(all.api.tolerations).to.deep.equal([E2E]);
            expect(all.worker.tolerations).to.deep.equal([]);
        });

        it("accepts what Kubernetes accepts: Exists without a key (every taint), empty values, NoExecute with tolerationSeconds", () => {
            const tolerations = [
                { operator: "Exists" },
                { key: "node.kubernetes.io/unreachable", operator: "Exists", value: "", effect: "NoExecute", tolerationSeconds: 0 },
                { key: "gpu", operator: "Equal", value: "", effect: "PreferNoSchedule" },
                { key: "dedicated", value: "a".repeat(63), effect: "NoExecute", tolerationSeconds: 300 },
            ];
            const s = resolveAll(withPlacement({}, { tolerations, nodeSelector: { "example.com/empty": "", x: "A-1_b.c" } })).api;
            expect(s.tolerations.map((t) => t.operator)).to.deep.equal(["Exists", "Exists", "Equal", "Equal"]);
            expect(s.tolerations[0]).to.deep.equal({ operator: "Exists" });
            expect(s.nodeSelector).to.deep.equal({ "example.com/empty": "", x: "A-1_b.c" });
        });
    });

    describe("refusals name the full key and the fix", () => {
        const at = "platform:services[1]";
        it("nodeSelector keys and values are checked as the apiserver checks labels", () => {
            expectProblem(
                withPlacement({}, { nodeSelector: { "node role": "e2e" } }),
                `${at}.nodeSelector["node role"]`,
                `the key "node role" is not a label key: its name part "node role" must have only letters, digits, '-', '_' and '.'`,
            );
            expectProblem(
                withPlacement({ nodeSelector: { "Example.com/pool": "e2e" } }),
                'platform:defaults.nodeSelector["Example.com/pool"]',
                `has the prefix "Example.com", which is not a DNS subdomain`,
            );
            expectProblem(withPlacement({}, { nodeSelector: { "a/b/c": "x" } }), `${at}.nodeSelector["a/b/c"]`, "has more than one '/'");
            expectProblem(withPlacement({}, { nodeSelector: { "/pool": "x" } }), `${at}.nodeSelector["/pool"]`, "has an empty prefix before '/'");
            expectProblem(
                withPlacement({}, { nodeSelector: { "example.com/": "x" } }),
                `${at}.nodeSelector["example.com/"]`,
                `has no name after '/'; write one, e.g. "example.com/role"`,
            );
            expectProblem(
                withPlacement({}, { nodeSelector: { ["n".repeat(64)]: "x" } }),
                `${at}.nodeSelector.${"n".repeat(64)}`,
                "a name part of 64 characters, over the 63 Kubernetes allows",
            );
            expectProblem(withPlacement({}, { nodeSelector: { "": "x" } }), `${at}.nodeSelector`, "has an empty key");
            expectProblem(
                withPlacement({}, { nodeSelector: { pool: "e2e nodes" } }),
                `${at}.nodeSelector.pool`,
                `the value "e2e nodes" is not a label value: it may be empty or have only letters, digits, '-', '_' and '.'`,
            );
            expectProblem(
                withPlacement({}, { nodeSelector: { pool: "v".repeat(64) } }),
                `${at}.nodeSelector.pool`,
                "is 64 characters, over the 63 of a label value",
            );
        });

        it("a value YAML reads as a boolean or number must be quoted", () => {
            expectProblem(
                withPlacement({}, { nodeSelector: { "platform.example.com/e2e": true } }),
                `${at}.nodeSelector["platform.example.com/e2e"]`,
                'must be text: write `platform.example.com/e2e: "true"` with quotes',
            );
            expectProblem(withPlacement({}, { nodeSelector: ["kubernetes.io/os=linux"] }), `${at}.nodeSelector`, "must be a mapping of names to values");
        });

        it("tolerations: operator and effect enums, Exists without a value, a key for Equal, tolerationSeconds only with NoExecute", () => {
            const t = (tol: Json) => withPlacement({}, { tolerations: [tol] });
            expectProblem(t({ key: "dedicated", operator: "equal", value: "e2e" }), `${at}.tolerations[0].operator`, "must be Equal or Exists");
            expectProblem(t({ key: "dedicated", operator: "Lt", value: "3" }), `${at}.tolerations[0].operator`, "must be Equal or Exists");
            expectProblem(
                t({ key: "dedicated", value: "e2e", effect: "NoExec" }),
                `${at}.tolerations[0].effect`,
                "must be one of NoSchedule, PreferNoSchedule, NoExecute (or omit it to tolerate every effect)",
            );
            expectProblem(
                t({ key: "dedicated", operator: "Exists", value: "e2e" }),
                `${at}.tolerations[0].value`,
                "must be empty when operator is Exists (Exists matches any value of the key); remove value, or set operator: Equal",
            );
            expectProblem(
                t({ value: "e2e", effect: "NoSchedule" }),
                `${at}.tolerations[0].operator`,
                "defaults to Equal, which needs a key; set key to the taint's key, or operator: Exists",
            );
            expectProblem(t({ key: "", operator: "Equal" }), `${at}.tolerations[0].operator`, "is Equal, which needs a key");
            expectProblem(
                t({ key: "dedicated", value: "e2e", effect: "NoSchedule", tolerationSeconds: 60 }),
                `${at}.tolerations[0].tolerationSeconds`,
                "applies to effect NoExecute only (how long the pod stays on a node after such a taint appears), and effect is NoSchedule; set effect: NoExecute or remove tolerationSeconds",
            );
            expectProblem(
                t({ key: "dedicated", operator: "Exists", tolerationSeconds: 60 }),
                `${at}.tolerations[0].tolerationSeconds`,
                "and effect is not set",
            );
            expectProblem(
                t({ key: "dedicated", operator: "Exists", effect: "NoExecute", tolerationSeconds: -1 }),
                `${at}.tolerations[0].tolerationSeconds`,
                "must be 0 or more",
            );
            expectProblem(
                t({ key: "dedicated", operator: "Exists", effect: "NoExecute", tolerationSeconds: 1.5 }),
                `${at}.tolerations[0].tolerationSeconds`,
                "must be a whole number of seconds",
            );
            expectProblem(
                t({ key: "dedicated", operator: "Exists", effect: "NoExecute", tolerationSeconds: "60" }),
                `${at}.tolerations[0].tolerationSeconds`,
                'write `tolerationSeconds: 60`, not `"60"`',
            );
            expectProblem(t({ key: "Dedicated Nodes", operator: "Exists" }), `${at}.tolerations[0].key`, `"Dedicated Nodes" is not a label key`);
            expectProblem(t({ key: "dedicated", value: "e2e!" }), `${at}.tolerations[0].value`, `"e2e!" is not a label value`);
            expectProblem(
                t({ key: "dedicated", operator: "Exists", efect: "NoSchedule" }),
                `${at}.tolerations[0].efect`,
                'is not a known setting; did you mean "effect"?',
            );
            expectProblem(withPlacement({ tolerations: { key: "dedicated" } }), "platform:defaults.tolerations", "must be a list of tolerations");
        });

        it("the grammars say what is wrong in words", () => {
            expect(labelKeyProblem("node-role.kubernetes.io/e2e")).to.equal(undefined);
            expect(labelKeyProblem("A.b/c")).to.match(/not a DNS subdomain/);
            expect(labelKeyProblem(`${"p".repeat(254)}/x`)).to.match(/prefix of 254 characters, over the 253/);
            expect(labelKeyProblem("-x")).to.match(/must have only letters, digits/);
            expect(labelValueProblem("")).to.equal(undefined);
            expect(labelValueProblem("x-")).to.match(/not a label value/);
        });
    });

    describe("rendering", () => {
        const raw = () => {
            const r = rawPlatform();
            (r.defaults as Json).nodeSelector = { "node.example.com/pool": "general", "kubernetes.io/os": "linux" };
            (r.defaults as Json).tolerations = [{ key: "dedicated", operator: "Equal", value: "shop", effect: "NoSchedule" }];
            const api = (r.services as Json[]).find((s) => s.name === "api")!;
            api.nodeSelector = { "node.example.com/pool": "e2e" };
            api.tolerations = [E2E, { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 }];
            return r;
        };
        const EXPECTED = {
            nodeSelector: { "kubernetes.io/os": "linux", "node.example.com/pool": "e2e" },
            tolerations: [E2E, { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 }],
        };

        it("podPlacement leaves out what is empty and sorts selector keys", () => {
            expect(podPlacement({ nodeSelector: {}, tolerations: [] })).to.deep.equal({});
            expect(Object.keys(podPlacement({ nodeSelector: { b: "1", a: "2" }, tolerations: [] }).nodeSelector as object)).to.deep.equal(["a", "b"]);
        });

        it("the Deployment, the migration Job and the cleanup CronJob of a service carry the same placement", () => {
            const cfg = parseConfig(raw());
            const svc = resolved("api", cfg);
            const deployment = deploymentSpec({
                context: platformContext(cfg),
                service: svc,
                configMapName: "api-config",
                serviceAccountName: "api",
                secretEnv: {},
                configChecksum: "abc",
                dapr: { enabled: false, logLevel: "info" },
            }) as Json;
            const batch = { ...batchWorkloadArgs({}), service: svc };
            const job = migrationJobSpec(batch) as Json;
            const cron = cronJobSpec(batch) as Json;
            for (const [what, pod] of [
                ["Deployment", deployment.template.spec],
                ["migration Job", job.template.spec],
                ["cleanup CronJob", cron.jobTemplate.spec.template.spec],
            ] as const) {
                expect({ nodeSelector: pod.nodeSelector, tolerations: pod.tolerations }, what).to.deep.equal(EXPECTED);
                expect(Object.keys(pod.nodeSelector), `${what}: sorted keys`).to.deep.equal(["kubernetes.io/os", "node.example.com/pool"]);
            }
            const catalog = resolved("catalog", cfg);
            expect(catalog.nodeSelector, "a service without its own gets the defaults").to.deep.equal({
                "kubernetes.io/os": "linux",
                "node.example.com/pool": "general",
            });
            expect(catalog.tolerations).to.deep.equal([{ key: "dedicated", operator: "Equal", value: "shop", effect: "NoSchedule" }]);
        });

        it("without placement config no pod spec gets a nodeSelector or tolerations key (not even empty ones)", () => {
            const svc = resolved("api");
            const deployment = deploymentSpec({
                context: platformContext(),
                service: svc,
                configMapName: "api-config",
                serviceAccountName: "api",
                secretEnv: {},
                configChecksum: "abc",
                dapr: { enabled: false, logLevel: "info" },
            }) as Json;
            const batch = batchWorkloadArgs({});
            for (const pod of [
                deployment.template.spec,
                (migrationJobSpec(batch) as Json).template.spec,
                (cronJobSpec(batch) as Json).jobTemplate.spec.template.spec,
            ]) {
                expect(pod).to.not.have.any.keys("nodeSelector", "tolerations");
            }
        });

        it("a whole stack under mocks: every workload of the platform's services gets the defaults, the stack files none", async function () {
            this.timeout(120_000);
            const placed = await evaluateStack("dev", {
                configOverrides: { defaults: { ...(dev().defaults as Json), nodeSelector: { "kubernetes.io/os": "linux" }, tolerations: [E2E] } },
            });
            const plain = await evaluateStack("dev");
            const workloads = (ev: typeof plain) => ev.resources.filter((r) => /:(Deployment|Job|CronJob)$/.test(r.type));
            expect(workloads(placed).map((r) => r.type)).to.include.members([
                "kubernetes:apps/v1:Deployment",
                "kubernetes:batch/v1:Job",
                "kubernetes:batch/v1:CronJob",
            ]);
            for (const r of workloads(placed)) {
                for (const t of podTemplates(r))
                    expect({ n: t.spec.nodeSelector, t: t.spec.tolerations }, `${r.type}::${r.name}`).to.deep.equal({
                        n: { "kubernetes.io/os": "linux" },
                        t: [E2E],
                    });
            }
            for (const r of workloads(plain))
                for (const t of podTemplates(r)) expect(t.spec, `${r.type}::${r.name}`).to.not.have.any.keys("nodeSelector", "tolerations");
        });
    });
});
