// Network isolation across the stack: default-deny per namespace, an explicit policy per workload,
// and per-namespace guard rails (quota, limit range).
import { POD_BEARING_KINDS, isEmptySelector, podTemplateLabels, selectorMatches } from "../lib/k8s";
import { DEFAULT_EXEMPT_NAMESPACES, ExemptConfig, PlatformStackPolicy, StackItem, describe, stackPolicy } from "../lib/policy";
import { arr, get, isUnknown, str } from "../lib/values";

const base: ExemptConfig = { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES] };

/** Policy types a NetworkPolicy applies to (the API defaults Ingress, plus Egress when egress rules exist). */
function policyTypes(np: StackItem): string[] | undefined {
    const pt = get(np.props, "spec", "policyTypes");
    if (isUnknown(pt)) return undefined;
    const listed = arr(pt)
        .map(str)
        .filter((x): x is string => !!x);
    if (listed.length) return listed;
    return get(np.props, "spec", "egress") !== undefined ? ["Ingress", "Egress"] : ["Ingress"];
}

/** Empty pod selector, both directions, no allow rules: denies all traffic for every pod of the namespace. */
export function isDefaultDeny(np: StackItem): boolean {
    const types = policyTypes(np);
    return (
        !!types &&
        types.includes("Ingress") &&
        types.includes("Egress") &&
        isEmptySelector(get(np.props, "spec", "podSelector")) &&
        arr(get(np.props, "spec", "ingress")).length === 0 &&
        !isUnknown(get(np.props, "spec", "ingress")) &&
        arr(get(np.props, "spec", "egress")).length === 0 &&
        !isUnknown(get(np.props, "spec", "egress"))
    );
}

export const namespaceDefaultDeny = stackPolicy({
    name: "namespace-default-deny",
    description: "Every Namespace created by the stack has a default-deny NetworkPolicy (empty podSelector, policyTypes Ingress and Egress, no rules).",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: ["network"],
    remediationSteps:
        "Create the namespace through NamespaceBaseline, which adds the default-deny policy and a DNS egress allowance; then allow traffic per workload with Microservice's declared callers.",
    defaults: base,
    validate: ({ items }, report) => {
        const nps = items.filter((i) => i.kind === "NetworkPolicy");
        for (const ns of items.filter((i) => i.kind === "Namespace")) {
            if (!ns.name) continue; // name unknown during preview
            const inNs = nps.filter((n) => n.namespace === ns.name);
            if (inNs.some((n) => n.namespace === undefined)) continue;
            if (!inNs.some(isDefaultDeny))
                report(`Namespace ${ns.name} has no default-deny NetworkPolicy; add one (empty podSelector, Ingress and Egress, no rules)`, ns.resource.urn);
        }
    },
});

interface WorkloadNpConfig extends ExemptConfig {
    workloadKinds: string[];
}
const DEFAULT_WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];

export const workloadNetworkPolicy = stackPolicy<WorkloadNpConfig>({
    name: "workload-network-policy",
    description:
        "Every workload's pods are selected by at least one NetworkPolicy of their own (non-empty podSelector), so their allowed traffic is declared rather than inherited.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: ["network"],
    remediationSteps:
        "Declare the workload's callers (Microservice `allowFrom`) so it gets a NetworkPolicy whose podSelector matches its pod labels (matchLabels subset; matchExpressions are evaluated too). Namespace-wide policies such as default-deny or DNS egress do not count.",
    defaults: { ...base, workloadKinds: DEFAULT_WORKLOAD_KINDS },
    schema: {
        workloadKinds: {
            type: "array",
            items: { type: "string", enum: [...POD_BEARING_KINDS] },
            default: DEFAULT_WORKLOAD_KINDS,
            description: "Pod-bearing kinds that need their own NetworkPolicy.",
        },
    },
    validate: ({ items, config }, report) => {
        const nps = items.filter((i) => i.kind === "NetworkPolicy");
        for (const w of items.filter((i) => config.workloadKinds.includes(i.kind))) {
            const labels = podTemplateLabels(w.type, w.props);
            if (!labels || w.namespace === undefined) continue;
            let selected = false;
            let undecidable = false;
            for (const np of nps) {
                if (np.namespace !== w.namespace) continue;
                const sel = get(np.props, "spec", "podSelector");
                if (isEmptySelector(sel)) continue;
                const m = selectorMatches(sel, labels);
                if (m === undefined) undecidable = true;
                if (m) selected = true;
            }
            if (!selected && !undecidable)
                report(
                    `${describe(w)} is not selected by any workload NetworkPolicy (pod labels: ${
                        Object.entries(labels)
                            .map(([k, v]) => `${k}=${v}`)
                            .join(", ") || "none"
                    }); add a NetworkPolicy whose podSelector matches these labels`,
                    w.resource.urn,
                );
        }
    },
});

export const namespaceResourceQuota = stackPolicy({
    name: "namespace-quota-and-limits",
    description: "Every Namespace created by the stack has a ResourceQuota and a LimitRange.",
    severity: "low",
    enforcementLevel: "mandatory",
    tags: ["hygiene"],
    remediationSteps: "Create the namespace through NamespaceBaseline, which adds ResourceQuota and LimitRange sized from the stack config.",
    defaults: base,
    validate: ({ items }, report) => {
        for (const ns of items.filter((i) => i.kind === "Namespace")) {
            if (!ns.name) continue;
            const miss = ["ResourceQuota", "LimitRange"].filter((k) => !items.some((i) => i.kind === k && i.namespace === ns.name));
            if (miss.length) report(`Namespace ${ns.name} has no ${miss.join(" and no ")}; add them to the namespace`, ns.resource.urn);
        }
    },
});

export const networkPolicies: PlatformStackPolicy[] = [namespaceDefaultDeny, workloadNetworkPolicy, namespaceResourceQuota];
