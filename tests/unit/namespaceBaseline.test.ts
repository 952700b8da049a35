import { expect } from "chai";
import {
    defaultDenySpec,
    dnsEgressSpec,
    KUBE_DNS,
    limitRangeSpec,
    NamespaceBaseline,
    namespaceLabels,
    resourceQuotaSpec,
} from "../../components/platform/namespaceBaseline";
import { REQUIRED_LABELS } from "../../components/k8s/labels";
import { resolve } from "../../tools/mocks";
import { expectAllDescendFrom, expectRequiredLabels, inputs, labelContext, parseConfig, platformContext, rawPlatform, underMocks } from "./componentFixtures";

const TYPE = "platform:index:NamespaceBaseline";
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

function build(raw = rawPlatform()) {
    const cfg = parseConfig(raw);
    const ctx = platformContext(cfg);
    return underMocks((opts) => new NamespaceBaseline("ns", { namespace: cfg.namespace, labels: ctx.labels, ownership: ctx.ownership }, opts));
}

describe("NamespaceBaseline", () => {
    describe("spec builders", () => {
        it("labels the namespace for Pod Security Admission at the configured level, plus standard labels", () => {
            const cfg = parseConfig();
            const labels = namespaceLabels({ namespace: cfg.namespace, labels: labelContext(cfg) });
            for (const mode of ["enforce", "audit", "warn"]) {
                expect(labels[`pod-security.kubernetes.io/${mode}`]).to.equal("restricted");
                expect(labels[`pod-security.kubernetes.io/${mode}-version`]).to.equal("latest");
            }
            for (const k of REQUIRED_LABELS) expect(labels, k).to.have.property(k);
            const baseline = namespaceLabels({ namespace: { ...cfg.namespace, podSecurityLevel: "baseline" }, labels: labelContext(cfg) });
            expect(baseline["pod-security.kubernetes.io/enforce"]).to.equal("baseline");
        });

        it("default deny selects every pod and denies both directions with no rules", () => {
            const spec = defaultDenySpec();
            expect(spec).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        });

        it("DNS egress reaches only kube-dns pods in kube-system on UDP and TCP 53", () => {
            const spec = dnsEgressSpec() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
            expect(spec.podSelector).to.deep.equal({});
            expect(spec.policyTypes).to.deep.equal(["Egress"]);
            expect(spec.ingress).to.equal(undefined);
            expect(spec.egress).to.have.length(1);
            expect(spec.egress[0].to).to.deep.equal([
                {
                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                },
            ]);
            expect(spec.egress[0].ports).to.deep.equal([
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
            ]);
            expect(KUBE_DNS.namespace).to.equal("kube-system");
        });

        it("quota and limit range come from config", () => {
            const cfg = parseConfig();
            expect(resourceQuotaSpec(cfg.namespace.quota!)).to.deep.equal({
                hard: { "requests.cpu": "8", "requests.memory": "16Gi", "limits.cpu": "16", "limits.memory": "32Gi", pods: "60" },
            });
            expect(limitRangeSpec(cfg.namespace.containerDefaults)).to.deep.equal({
                limits: [{ type: "Container", default: { cpu: "500m", memory: "512Mi" }, defaultRequest: { cpu: "100m", memory: "128Mi" } }],
            });
            expect(limitRangeSpec(undefined)).to.equal(undefined);
            expect(limitRangeSpec({ limits: { memory: "1Gi" } })).to.deep.equal({ limits: [{ type: "Container", default: { memory: "1Gi" } }] });
        });
    });

    describe("component", () => {
        it("creates the namespace, quota, limit range and both policies, all parented and labelled", async () => {
            const { recorder, component } = await build();
            const children = expectAllDescendFrom(recorder, TYPE, "ns");
            expect(children.map((r) => r.type).sort()).to.deep.equal([
                "kubernetes:core/v1:LimitRange",
                "kubernetes:core/v1:Namespace",
                "kubernetes:core/v1:ResourceQuota",
                NP,
                NP,
            ]);
            expectRequiredLabels(children);
            const ns = inputs(recorder.get("kubernetes:core/v1:Namespace", "ns"));
            expect(ns.metadata.name).to.equal("shop-staging");
            expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
            for (const r of children.filter((x) => x.type !== "kubernetes:core/v1:Namespace")) {
                expect(inputs(r).metadata.namespace, r.name).to.equal("shop-staging");
            }
            expect(inputs(recorder.get(NP, "ns-default-deny")).spec).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
            expect(await resolve(component.namespaceName)).to.equal("shop-staging");
        });

        it("skips quota and limit range when the namespace config has none", async () => {
            const raw = rawPlatform();
            raw.namespace = { name: "shop-dev" };
            const { recorder } = await build(raw);
            expect(recorder.ofType("kubernetes:core/v1:ResourceQuota")).to.have.length(0);
            expect(recorder.ofType("kubernetes:core/v1:LimitRange")).to.have.length(0);
            expect(recorder.ofType(NP)).to.have.length(2);
        });
    });
});
