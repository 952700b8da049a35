// What the stack tests read from an evaluated stack: resource types by short name, the inputs of one type, and the
// checks every stack and blueprint shares (deny by default with a policy per Deployment, secrets only inside Secrets).
import { expect } from "chai";
import { MOCK_PASSWORD_PREFIX } from "../../tools/mocks";
import type { RegisteredResource } from "../../tools/stackEvaluator";

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-side access to untyped resource inputs

/** Pulumi type tokens the stack tests look for. */
export const T = {
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    chart: "kubernetes:helm.sh/v4:Chart",
    random: "random:index/randomPassword:RandomPassword",
    namespace: "kubernetes:core/v1:Namespace",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    topic: "kubernetes:kafka.strimzi.io/v1:KafkaTopic",
};

/** Inputs of every resource of one type. */
export function inputsOf(resources: readonly RegisteredResource[], type: string): Obj[] {
    return resources.filter((r) => r.type === type).map((r) => r.inputs as Obj);
}

/** One default-deny NetworkPolicy (both directions), and every Deployment selected by a policy of its own. */
export function expectDefaultDenyAndOwnPolicies(resources: readonly RegisteredResource[]): void {
    const policies = inputsOf(resources, T.netpol);
    const deny = policies.filter((p) => Object.keys(p.spec.podSelector ?? {}).length === 0 && !p.spec.ingress && !p.spec.egress);
    expect(deny, "default deny").to.have.length(1);
    expect(deny[0].spec.policyTypes).to.have.members(["Ingress", "Egress"]);
    for (const d of inputsOf(resources, T.deployment)) {
        const sel = d.spec.selector.matchLabels as Record<string, string>;
        const own = policies.some((p) => {
            const m = (p.spec.podSelector?.matchLabels ?? {}) as Record<string, string>;
            return Object.keys(m).length > 0 && Object.entries(m).every(([k, v]) => sel[k] === v);
        });
        expect(own, `${d.metadata.name} selected by a NetworkPolicy`).to.equal(true);
    }
}

/** Resources outside Secrets (and generated passwords) whose inputs hold a test secret value or a generated password. */
export function secretLeaks(resources: readonly RegisteredResource[]): string[] {
    return resources
        .filter((r) => r.type !== T.secret && r.type !== T.random)
        .filter((r) => {
            const text = JSON.stringify(r.inputs);
            return text.includes("canary-") || text.includes(MOCK_PASSWORD_PREFIX);
        })
        .map((r) => `${r.type}::${r.name}`);
}
