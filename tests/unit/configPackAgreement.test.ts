// Config, program and pack agree: what the config offers either passes the shipped policy pack configs, or is refused
// by the config first with the pack policy's name. A change to either side that breaks the agreement fails here.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parsePlatformConfig, PlatformConfig, PROBE_POLICIES, RawConfig } from "../../components/config";
import { ROOT_UID_POLICY } from "../../components/config/serviceSchema";
import { ROOT } from "../../tools/stackTargets";
import { evaluateStack, readStackFile } from "../../tools/stackEvaluator";
import { loadConfigFile, runPack } from "../../tools/policyRunner";
import { policyConfigPath, toFakeResources } from "../../scripts/policy-check";
import { baseConfig, Json } from "./configCases";

const STACK_POLICY_CONFIGS = ["dev", "staging", "production"];

function levelIn(stack: string, policy: string): string | undefined {
    const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "config", `${stack}.json`), "utf8")) as Record<string, { enforcementLevel?: string }>;
    return cfg[policy]?.enforcementLevel;
}

function parse(c: Json): PlatformConfig {
    const raw: RawConfig = {};
    for (const [k, v] of Object.entries(c)) raw[k] = typeof v === "string" ? v : JSON.stringify(v);
    return parsePlatformConfig(raw, { isSet: () => true, isSecret: () => true });
}

function refusal(c: Json): string[] {
    try {
        parse(c);
    } catch (e) {
        if (e instanceof ConfigError) return e.issues.map((i) => `${i.key}: ${i.message}`);
        throw e;
    }
    return [];
}

const web = (c: Json) => (c.services as Json[])[0];

/**
 * Every option of the config whose rendered object a pack policy refuses. `refused`: the config refuses it, naming
 * the policy. `accepted`: the config lets it through on purpose (why), and the pack reports it at the stack's level.
 */
const OPTIONS: { option: string; policy: string; mutate: (c: Json) => void; decision: "refused" | { accepted: string } }[] = [
    {
        option: "readinessProbe type: none",
        policy: PROBE_POLICIES.readinessProbe,
        mutate: (c) => {
            web(c).readinessProbe = { type: "none" };
        },
        decision: "refused",
    },
    {
        option: "livenessProbe type: none",
        policy: PROBE_POLICIES.livenessProbe,
        mutate: (c) => {
            web(c).livenessProbe = { type: "none" };
        },
        decision: "refused",
    },
    {
        option: "podSecurity.runAsUser: 0",
        policy: ROOT_UID_POLICY,
        mutate: (c) => {
            web(c).podSecurity = { runAsUser: 0 };
        },
        decision: "refused",
    },
    {
        option: "a sidecar without a readinessProbe",
        policy: PROBE_POLICIES.readinessProbe,
        mutate: (c) => {
            web(c).sidecars = [{ name: "proxy", image: "ghcr.io/acme/proxy:2.1.0", livenessProbe: { type: "exec", command: ["/bin/ok"] } }];
        },
        decision: "refused",
    },
    {
        option: "a sidecar without a livenessProbe",
        policy: PROBE_POLICIES.livenessProbe,
        mutate: (c) => {
            web(c).sidecars = [{ name: "proxy", image: "ghcr.io/acme/proxy:2.1.0", readinessProbe: { type: "exec", command: ["/bin/ok"] } }];
        },
        decision: "refused",
    },
    {
        option: "a sidecar's livenessProbe type: none",
        policy: PROBE_POLICIES.livenessProbe,
        mutate: (c) => {
            web(c).sidecars = [
                { name: "proxy", image: "ghcr.io/acme/proxy:2.1.0", readinessProbe: { type: "exec", command: ["/bin/ok"] }, livenessProbe: { type: "none" } },
            ];
        },
        decision: "refused",
    },
    {
        option: "podSecurity.readOnlyRootFilesystem: false",
        policy: "read-only-root-filesystem",
        mutate: (c) => {
            web(c).podSecurity = { readOnlyRootFilesystem: false };
        },
        decision: { accepted: "reported at the stack's configured level; the pack's own tests rely on it" },
    },
    {
        option: "podSecurity.runAsNonRoot: false",
        policy: "run-as-non-root",
        mutate: (c) => {
            web(c).podSecurity = { runAsNonRoot: false };
        },
        decision: { accepted: "the pack's offline and e2e regression tests rely on it (tests/policy/stackCheck.test.ts, tests/e2e/platform.e2e.test.ts)" },
    },
    {
        option: "namespace.podSecurityLevel: baseline",
        policy: "namespace-pod-security-admission",
        mutate: (c) => {
            (c.namespace as Json).podSecurityLevel = "baseline";
        },
        decision: { accepted: "the policy has a level option for it: a stack that lowers it to baseline in its policy config may run a baseline namespace" },
    },
];

describe("config, program and pack agree", function () {
    this.timeout(120_000);

    it("probe headers the config accepts — $(VAR) references and constants — render verbatim and pass the pack's no-secrets-in-probes", async () => {
        const headers = [
            { name: "Authorization", value: "Bearer $(PROBE_TOKEN)" },
            { name: "X-Api-Key", value: "$(PROBE_KEY)" },
            { name: "X-Probe", value: "kubelet" },
            { name: "Cookie", value: "shop_session-id=x-readiness-probe" },
        ];
        const services = (readStackFile("dev")["platform:services"] as Json[]).map((s, i) =>
            i === 0 ? { ...s, readinessProbe: { ...(s.readinessProbe as Json), httpHeaders: headers } } : s,
        );
        const { resources } = await evaluateStack("dev", { configOverrides: { services } });
        const web = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "web")!;
        const probe = ((web.inputs as Json).spec as Json & { template: { spec: { containers: Json[] } } }).template.spec.containers[0].readinessProbe as Json;
        expect((probe.httpGet as Json).httpHeaders).to.deep.equal(headers);
        const res = await runPack(toFakeResources(resources), loadConfigFile(policyConfigPath("dev")));
        expect(res.violations.filter((v) => v.policy === "no-secrets-in-probes").map((v) => v.message)).to.deep.equal([]);
    });

    for (const o of OPTIONS) {
        it(`${o.option}: ${o.decision === "refused" ? `refused by the config, naming ${o.policy}` : "accepted by the config"}; ${o.policy} is mandatory in every shipped policy config`, () => {
            for (const stack of STACK_POLICY_CONFIGS) expect(levelIn(stack, o.policy), `${o.policy} in policy/config/${stack}.json`).to.equal("mandatory");
            const c = baseConfig("dev");
            o.mutate(c);
            const problems = refusal(c);
            if (o.decision === "refused")
                expect(
                    problems.some((p) => p.includes(o.policy)),
                    problems.join("\n"),
                ).to.equal(true);
            else expect(problems).to.deep.equal([]);
        });
    }
});
