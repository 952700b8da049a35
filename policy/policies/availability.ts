// Availability: PodDisruptionBudgets and HorizontalPodAutoscalers, per resource and across the stack.
import { isLiveObject, parseIntOrPercent, podTemplateLabels, selectorMatches } from "../lib/k8s";
import { DEFAULT_EXEMPT_NAMESPACES, ExemptConfig, PlatformPolicy, StackItem, describe, resourcePolicy, stackPolicy } from "../lib/policy";
import { arr, get, isUnknown, num, rec, str } from "../lib/values";

const base: ExemptConfig = { exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES] };
const SCALABLE = ["Deployment", "StatefulSet"];

export const pdbAllowsDisruption = resourcePolicy({
    name: "pdb-allows-disruption",
    description: "PodDisruptionBudgets must allow at least one voluntary disruption (no maxUnavailable: 0, no minAvailable: 100%).",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["availability"],
    remediationSteps: "Use maxUnavailable: 1 (or a percentage below 100% for minAvailable). A budget of zero blocks node drains and cluster upgrades forever.",
    defaults: base,
    appliesTo: (kind) => kind === "PodDisruptionBudget",
    validate: ({ props }, report) => {
        const mu = parseIntOrPercent(get(props, "spec", "maxUnavailable"));
        const ma = parseIntOrPercent(get(props, "spec", "minAvailable"));
        if (mu && (("count" in mu && mu.count === 0) || ("percent" in mu && mu.percent === 0)))
            report("maxUnavailable is 0: no pod may ever be evicted; use maxUnavailable: 1");
        if (ma && "percent" in ma && ma.percent >= 100) report(`minAvailable is ${ma.percent}%: no pod may ever be evicted; use maxUnavailable: 1`);
    },
});

interface HpaConfig extends ExemptConfig {
    minReplicas: number;
}

export const hpaMinReplicas = resourcePolicy<HpaConfig>({
    name: "hpa-min-replicas",
    description: "HorizontalPodAutoscalers keep at least minReplicas (default 2) so one pod loss or eviction does not take the service down.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["availability"],
    remediationSteps:
        "Set spec.minReplicas to at least 2 (3 in production per the sizing anchors). Lower the threshold per stack with this policy's minReplicas setting.",
    defaults: { ...base, minReplicas: 2 },
    schema: { minReplicas: { type: "integer", minimum: 1, default: 2, description: "Lowest acceptable spec.minReplicas." } },
    appliesTo: (kind) => kind === "HorizontalPodAutoscaler",
    validate: ({ props, config }, report) => {
        const raw = get(props, "spec", "minReplicas");
        if (isUnknown(raw)) return;
        const min = num(raw) ?? 1;
        if (min < config.minReplicas)
            report(`minReplicas is ${min}${raw === undefined ? " (default)" : ""}; at least ${config.minReplicas} required; raise spec.minReplicas`);
    },
});

/** Workloads, HPAs and PDBs of a stack, indexed for the cross-resource checks. */
interface Topology {
    workloads: StackItem[];
    hpaFor: (w: StackItem) => StackItem | undefined;
    pdbs: StackItem[];
}

function topology(items: StackItem[]): Topology {
    const hpas = items.filter((i) => i.kind === "HorizontalPodAutoscaler");
    return {
        workloads: items.filter((i) => SCALABLE.includes(i.kind)),
        pdbs: items.filter((i) => i.kind === "PodDisruptionBudget"),
        hpaFor: (w) =>
            hpas.find((h) => {
                const ref = get(h.props, "spec", "scaleTargetRef");
                return (
                    h.namespace === w.namespace && str(get(ref, "kind")) === w.kind && str(get(ref, "name")) !== undefined && str(get(ref, "name")) === w.name
                );
            }),
    };
}

/** Every workload of the stack with the replicas it runs at its lowest, where they are known. */
function workloadReplicas(t: Topology): { w: StackItem; replicas: number }[] {
    const out: { w: StackItem; replicas: number }[] = [];
    for (const w of t.workloads) {
        const replicas = minimumReplicas(w, t.hpaFor(w));
        if (replicas !== undefined) out.push({ w, replicas });
    }
    return out;
}

/** Replicas the workload runs at its lowest: HPA minReplicas when autoscaled, else spec.replicas (default 1). */
function minimumReplicas(w: StackItem, hpa: StackItem | undefined): number | undefined {
    if (hpa) {
        const m = get(hpa.props, "spec", "minReplicas");
        return isUnknown(m) ? undefined : (num(m) ?? 1);
    }
    const r = get(w.props, "spec", "replicas");
    return isUnknown(r) ? undefined : (num(r) ?? 1);
}

/** PDBs in the workload's namespace that select its pods; undefined when a selector cannot be evaluated yet. */
function pdbsSelecting(w: StackItem, pdbs: StackItem[]): StackItem[] | undefined {
    const labels = podTemplateLabels(w.type, w.props);
    if (!labels || w.namespace === undefined) return undefined;
    const out: StackItem[] = [];
    for (const p of pdbs) {
        if (p.namespace !== w.namespace) continue;
        const m = selectorMatches(get(p.props, "spec", "selector"), labels);
        if (m === undefined) return undefined;
        if (m) out.push(p);
    }
    return out;
}

export const pdbForReplicatedWorkloads = stackPolicy({
    name: "pdb-for-replicated-workloads",
    description: "Every Deployment/StatefulSet running more than one replica (spec.replicas or HPA minReplicas) has a PodDisruptionBudget selecting its pods.",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["availability"],
    remediationSteps:
        "Create a PodDisruptionBudget (maxUnavailable: 1) whose selector matches the pod template labels; the Microservice component does when pdb is enabled for the stack.",
    defaults: base,
    validate: ({ items }, report) => {
        const t = topology(items);
        for (const { w, replicas } of workloadReplicas(t)) {
            if (replicas < 2) continue;
            const selecting = pdbsSelecting(w, t.pdbs);
            if (selecting && selecting.length === 0)
                report(
                    `${describe(w)} runs at least ${replicas} replicas but no PodDisruptionBudget selects its pods; add one with maxUnavailable: 1`,
                    w.resource.urn,
                );
        }
    },
});

export const pdbMinAvailableBelowReplicas = stackPolicy({
    name: "pdb-min-available-below-replicas",
    description: "A PodDisruptionBudget's minAvailable stays below the replicas of the workloads it selects (otherwise no pod can ever be evicted).",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["availability"],
    remediationSteps: "Prefer maxUnavailable: 1. If you use minAvailable, keep it below the workload's replicas (or the HPA's minReplicas).",
    defaults: base,
    validate: ({ items }, report) => {
        const t = topology(items);
        for (const { w, replicas } of workloadReplicas(t)) {
            for (const p of pdbsSelecting(w, t.pdbs) ?? []) {
                const ma = parseIntOrPercent(get(p.props, "spec", "minAvailable"));
                if (ma && "count" in ma && ma.count >= replicas) {
                    report(
                        `${describe(p)} requires minAvailable ${ma.count} but ${describe(w)} runs ${replicas} replica(s): no voluntary eviction is possible; use maxUnavailable: 1 or a lower minAvailable`,
                        p.resource.urn,
                    );
                }
            }
        }
    },
});

/** Whether Pulumi (not the HPA or the API server default) sets spec.replicas; undefined when it cannot be told. */
export function replicasSetByProgram(w: StackItem): boolean | undefined {
    const r = get(w.props, "spec", "replicas");
    if (isUnknown(r)) return undefined;
    if (!isLiveObject(w.props)) return r !== undefined && r !== null;
    // Live outputs always carry replicas; only Pulumi's own field manager entry tells who set it.
    const managed = arr(get(w.props, "metadata", "managedFields"));
    if (managed.length === 0) return undefined;
    return managed.some((m) => /^pulumi/i.test(str(get(m, "manager")) ?? "") && rec(get(m, "fieldsV1", "f:spec", "f:replicas")) !== undefined);
}

export const hpaOwnedNoReplicas = stackPolicy({
    name: "hpa-owned-deployment-no-replicas",
    description: "A Deployment/StatefulSet targeted by an HPA does not set spec.replicas (each `pulumi up` would reset the autoscaler's count).",
    severity: "medium",
    enforcementLevel: "mandatory",
    tags: ["availability"],
    remediationSteps:
        "Omit spec.replicas when an HPA owns the workload (the Microservice component does when hpa is enabled); the HPA's minReplicas sets the floor.",
    defaults: base,
    validate: ({ items }, report) => {
        const t = topology(items);
        for (const w of t.workloads) {
            const hpa = t.hpaFor(w);
            if (hpa && replicasSetByProgram(w) === true) {
                report(`${describe(w)} sets spec.replicas although ${describe(hpa)} scales it; omit spec.replicas`, w.resource.urn);
            }
        }
    },
});

export const availabilityPolicies: PlatformPolicy[] = [
    pdbAllowsDisruption,
    hpaMinReplicas,
    pdbForReplicatedWorkloads,
    pdbMinAvailableBelowReplicas,
    hpaOwnedNoReplicas,
];
